-- The residents a consultation concerns, as the residents service describes them pseudonymously: no names, no
-- addresses, only what reach is measured by.
CREATE TABLE residents_concerned (
    resident_id uuid PRIMARY KEY,
    buurt_code  text NOT NULL,
    language    text NOT NULL,
    age_band    text NOT NULL,
    tenure      text NOT NULL
);

CREATE INDEX residents_concerned_buurt ON residents_concerned (buurt_code);
