-- A consultation may be meant only for the homes at a list of addresses (for example one block of flats) instead of
-- its whole buurt. Only the address keys are kept here; who lives there only the residents service knows.
ALTER TABLE consultations ADD COLUMN address_scoped boolean NOT NULL DEFAULT false;

CREATE TABLE consultation_addresses (
    consultation_id uuid NOT NULL REFERENCES consultations (id),
    address_key     text NOT NULL,
    PRIMARY KEY (consultation_id, address_key)
);

-- Who the residents service says lives at those addresses: the residents such a consultation concerns.
CREATE TABLE consultation_audience (
    consultation_id uuid NOT NULL,
    resident_id     uuid NOT NULL,
    PRIMARY KEY (consultation_id, resident_id)
);
