-- The home a resident lives at, as an address key, so that a consultation meant for some addresses finds its residents.
ALTER TABLE residents ADD COLUMN address_key text;
CREATE INDEX residents_address_key ON residents (address_key);

-- Consultations meant only for the homes at some addresses: whoever registers at one of them later is told too.
CREATE TABLE address_scoped_consultations (
    consultation_id uuid PRIMARY KEY,
    trajectory_id   uuid NOT NULL
);

CREATE TABLE address_scoped_consultation_keys (
    consultation_id uuid NOT NULL REFERENCES address_scoped_consultations (consultation_id),
    address_key     text NOT NULL,
    PRIMARY KEY (consultation_id, address_key)
);

CREATE INDEX address_scoped_consultation_keys_key ON address_scoped_consultation_keys (address_key);
