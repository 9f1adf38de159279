-- What the token server knows of residents: keyed hashes (HMAC) of what they sign in with, never the values, copied
-- from the residents service's ResidentSignInKeysChanged. An erased resident keeps a row without keys (erased_at set),
-- so that a late, older message cannot bring the keys back.
CREATE TABLE resident_sign_in_keys (
    resident_id        uuid PRIMARY KEY,
    version            bigint      NOT NULL,
    email_key          text,
    phone_key          text,
    home_key           text,
    preferred_language text,
    changed_at         timestamptz NOT NULL,
    erased_at          timestamptz
);

CREATE INDEX resident_sign_in_keys_email ON resident_sign_in_keys (email_key) WHERE email_key IS NOT NULL;
CREATE INDEX resident_sign_in_keys_phone ON resident_sign_in_keys (phone_key) WHERE phone_key IS NOT NULL;
CREATE INDEX resident_sign_in_keys_home ON resident_sign_in_keys (home_key) WHERE home_key IS NOT NULL;

-- One-time codes: only a hash is kept. E-mail and SMS codes are redeemed with their challenge id; letter codes with
-- the home they were made for (home_key), which binds them to that address.
CREATE TABLE resident_sign_in_codes (
    challenge_id uuid PRIMARY KEY,
    resident_id  uuid        NOT NULL,
    channel      text        NOT NULL CHECK (channel IN ('email', 'sms', 'letter')),
    code_hash    text        NOT NULL,
    home_key     text,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);

CREATE INDEX resident_sign_in_codes_resident ON resident_sign_in_codes (resident_id);
CREATE INDEX resident_sign_in_codes_home ON resident_sign_in_codes (home_key, code_hash) WHERE home_key IS NOT NULL;

-- Wrong tries per resident (e-mail and SMS codes), per home (letter codes) or per unknown challenge: five within the
-- lock's duration lock the subject for that long.
CREATE TABLE resident_sign_in_locks (
    subject         text PRIMARY KEY,
    resident_id     uuid,
    failed_attempts integer NOT NULL DEFAULT 0,
    last_failed_at  timestamptz,
    locked_until    timestamptz
);

CREATE INDEX resident_sign_in_locks_resident ON resident_sign_in_locks (resident_id) WHERE resident_id IS NOT NULL;

-- Each erasure is confirmed once, however often its message arrives. Ids only.
CREATE TABLE resident_erasures (
    erasure_id   uuid PRIMARY KEY,
    resident_id  uuid        NOT NULL,
    confirmed_at timestamptz NOT NULL
);
