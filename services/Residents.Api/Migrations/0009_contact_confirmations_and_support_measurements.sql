-- A new e-mail address or phone number the resident gave, waiting for the code sent to it. Only the code's hash is
-- kept; after five wrong codes the confirmation is locked for 15 minutes.
CREATE TABLE contact_confirmations (
    id              uuid PRIMARY KEY,
    resident_id     uuid        NOT NULL REFERENCES residents (id),
    channel         text        NOT NULL CONSTRAINT contact_confirmations_channel CHECK (channel IN ('email', 'sms')),
    value           text        NOT NULL,
    code_hash       bytea       NOT NULL,
    requested_at    timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    failed_attempts integer     NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    confirmed_at    timestamptz
);

CREATE INDEX contact_confirmations_resident ON contact_confirmations (resident_id, requested_at DESC);

-- Support measurements (draagvlakmeting) over some homes: whoever registers at or moves to one of them later is
-- named to consultations too.
CREATE TABLE support_measurements (
    measurement_id uuid PRIMARY KEY,
    trajectory_id  uuid        NOT NULL,
    deadline       timestamptz NOT NULL
);

CREATE TABLE support_measurement_homes (
    measurement_id uuid NOT NULL REFERENCES support_measurements (measurement_id),
    home_key       text NOT NULL,
    PRIMARY KEY (measurement_id, home_key)
);

CREATE INDEX support_measurement_homes_key ON support_measurement_homes (home_key);
