-- Keys that sign (and encrypt) the tokens this service issues. Kept here so that tokens stay valid across restarts
-- and every instance signs with the same key.
CREATE TABLE token_keys (
    id          text PRIMARY KEY,
    purpose     text        NOT NULL CHECK (purpose IN ('signing', 'encryption')),
    private_key text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    retired_at  timestamptz
);

CREATE UNIQUE INDEX token_keys_one_active_per_purpose ON token_keys (purpose) WHERE retired_at IS NULL;

-- OAuth clients of a partner: its systems (client credentials) and its web clients (authorization code + PKCE).
-- Secrets are stored only as salted PBKDF2 hashes.
CREATE TABLE partner_clients (
    client_id       text PRIMARY KEY,
    partner_id      uuid        NOT NULL REFERENCES partners (id),
    display_name    text        NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('system', 'web')),
    secret_hash     text,
    redirect_uris   text[]      NOT NULL DEFAULT '{}',
    allowed_origins text[]      NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now(),
    revoked_at      timestamptz
);

CREATE INDEX partner_clients_partner ON partner_clients (partner_id);

-- The people a partner organisation puts forward as its contacts.
CREATE TABLE partner_contacts (
    id           uuid PRIMARY KEY,
    partner_id   uuid        NOT NULL REFERENCES partners (id),
    name         text        NOT NULL,
    email        text        NOT NULL,
    phone_number text,
    role         text,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX partner_contacts_partner ON partner_contacts (partner_id);
