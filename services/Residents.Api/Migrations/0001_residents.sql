-- Residents and their personal data. This is the only database that holds names, addresses and contact details.
CREATE TABLE residents (
    id                  uuid PRIMARY KEY,
    full_name           text        NOT NULL,
    postcode            text        NOT NULL,
    house_number        integer     NOT NULL,
    house_number_suffix text,
    buurt_code          text        NOT NULL,
    email               text,
    phone_number        text,
    preferred_language  text        NOT NULL,
    preferred_channel   text        NOT NULL,
    registered_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX residents_buurt_code ON residents (buurt_code);

-- Every read of personal data is recorded: who asked, for which resident, when.
CREATE TABLE personal_data_access_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    resident_id uuid        NOT NULL,
    accessed_by text        NOT NULL,
    purpose     text        NOT NULL,
    accessed_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX personal_data_access_log_resident ON personal_data_access_log (resident_id);
