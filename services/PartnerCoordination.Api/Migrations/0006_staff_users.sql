-- The people of a partner organisation who sign in to its web clients (authorization code with PKCE).
-- Passwords are stored only as salted PBKDF2 hashes.
CREATE TABLE partner_users (
    id            uuid PRIMARY KEY,
    partner_id    uuid        NOT NULL REFERENCES partners (id),
    email         text        NOT NULL,
    name          text        NOT NULL,
    password_hash text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    disabled_at   timestamptz
);

CREATE UNIQUE INDEX partner_users_email ON partner_users (lower(email));

-- OpenIddict runs without token storage here, so this table makes each authorization code redeemable once.
CREATE TABLE redeemed_authorization_codes (
    code_hash   text PRIMARY KEY,
    redeemed_at timestamptz NOT NULL DEFAULT now()
);
