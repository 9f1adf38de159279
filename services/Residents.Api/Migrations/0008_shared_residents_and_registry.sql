-- Issue 9: one resident for several partners. A partner that registers the same person (same home, same e-mail
-- address or phone number) is linked to the resident already known instead of creating a second one; every linked
-- partner may read and change the resident. registered_by_partner_id stays: the partner that registered first.
CREATE TABLE resident_partners (
    resident_id          uuid        NOT NULL REFERENCES residents (id),
    partner_id           uuid        NOT NULL,
    registered_at        timestamptz NOT NULL,
    registered_by_client text,
    PRIMARY KEY (resident_id, partner_id)
);

CREATE INDEX resident_partners_partner ON resident_partners (partner_id, resident_id);

INSERT INTO resident_partners (resident_id, partner_id, registered_at)
SELECT id, registered_by_partner_id, registered_at FROM residents WHERE registered_by_partner_id IS NOT NULL;

-- The contact details written alike however they were typed (ResidentIdentifierKeys.NormaliseEmail/NormalisePhone),
-- so that the matching rule compares them in one indexed query.
ALTER TABLE residents ADD COLUMN email_normalised text;
ALTER TABLE residents ADD COLUMN phone_normalised text;
UPDATE residents SET email_normalised = lower(btrim(email)) WHERE email IS NOT NULL;
UPDATE residents SET phone_normalised = CASE
        WHEN digits LIKE '00%' THEN '+' || substr(digits, 3)
        WHEN digits LIKE '0%' THEN '+31' || substr(digits, 2)
        ELSE digits END
FROM (SELECT id AS digits_id, regexp_replace(phone_number, '[^0-9+]', '', 'g') AS digits FROM residents WHERE phone_number IS NOT NULL) AS p
WHERE id = p.digits_id;
CREATE INDEX residents_home_email ON residents (address_key, email_normalised) WHERE email_normalised IS NOT NULL;
CREATE INDEX residents_home_phone ON residents (address_key, phone_normalised) WHERE phone_normalised IS NOT NULL;

-- The counter behind ResidentProfileChanged and ResidentSignInKeysChanged: raised by every change, never lowered.
ALTER TABLE residents ADD COLUMN profile_version bigint NOT NULL DEFAULT 0;

-- The resident's own quiet hours (Amsterdam time); null for the platform's default.
ALTER TABLE residents ADD COLUMN quiet_hours_start time;
ALTER TABLE residents ADD COLUMN quiet_hours_end time;

-- Where a resident lived and lives: a move closes the current row and opens a new one.
CREATE TABLE resident_addresses (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    resident_id         uuid        NOT NULL REFERENCES residents (id),
    postcode            text        NOT NULL,
    house_number        integer     NOT NULL,
    house_number_suffix text,
    street              text,
    city                text,
    buurt_code          text        NOT NULL,
    address_key         text,
    lived_from          timestamptz NOT NULL,
    lived_until         timestamptz
);

CREATE INDEX resident_addresses_resident ON resident_addresses (resident_id, id);
CREATE INDEX resident_addresses_key ON resident_addresses (address_key);

INSERT INTO resident_addresses (resident_id, postcode, house_number, house_number_suffix, street, city, buurt_code, address_key, lived_from)
SELECT id, postcode, house_number, house_number_suffix, street, city, buurt_code, address_key, registered_at FROM residents;

-- Consent per purpose, append-only: the latest row of a purpose is the resident's current choice, the rest its history.
CREATE TABLE resident_consents (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    resident_id uuid        NOT NULL REFERENCES residents (id),
    purpose     text        NOT NULL CONSTRAINT resident_consents_purpose CHECK (purpose IN ('participation', 'research', 'newsletter')),
    given       boolean     NOT NULL,
    channel     text        NOT NULL,
    given_at    date        NOT NULL,
    recorded_at timestamptz NOT NULL,
    recorded_by text        NOT NULL
);

CREATE INDEX resident_consents_resident ON resident_consents (resident_id, purpose, id DESC);

-- Everyone registered before consent was recorded was registered by a partner to take part: participation consent
-- at registration, as new registrations without consents record it.
INSERT INTO resident_consents (resident_id, purpose, given, channel, given_at, recorded_at, recorded_by)
SELECT id, 'participation', true, 'partner-registration', (registered_at AT TIME ZONE 'Europe/Amsterdam')::date, registered_at,
       coalesce('partner ' || registered_by_partner_id::text, 'migration')
FROM residents;
