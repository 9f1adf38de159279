-- The audit logs are append-only (a trigger refuses changes); the service's own role is not even granted them, so
-- that they hold even if the trigger were dropped or disabled by mistake.
DO $$
DECLARE
    service_role text := current_setting('participatie.service_role');
BEGIN
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM %I', service_role);
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON credential_audit FROM %I', service_role);
END
$$;

-- Token keys are kept encrypted with a key-encryption key from configuration (protected_private_key), never as plain
-- PKCS#8. A key stored before this script is encrypted by the service at its next start, which then empties
-- private_key; exactly one of the two holds the key.
ALTER TABLE token_keys ALTER COLUMN private_key DROP NOT NULL;
ALTER TABLE token_keys ADD COLUMN protected_private_key text;
ALTER TABLE token_keys ADD CONSTRAINT token_keys_one_form CHECK ((private_key IS NULL) <> (protected_private_key IS NULL));

-- Signing keys rotate: a new key is published in the key set from created_at, signs from signs_from (a day later),
-- and the key it replaces stays published until the tokens it signed have expired. So two keys (or three, around a
-- change) are live at once, and "one active key" is no longer the rule for signing keys.
ALTER TABLE token_keys ADD COLUMN signs_from timestamptz;
UPDATE token_keys SET signs_from = created_at;
ALTER TABLE token_keys ALTER COLUMN signs_from SET NOT NULL;
DROP INDEX token_keys_one_active_per_purpose;
CREATE UNIQUE INDEX token_keys_one_encryption_key ON token_keys (purpose) WHERE purpose = 'encryption' AND retired_at IS NULL;
CREATE UNIQUE INDEX token_keys_signs_from ON token_keys (purpose, signs_from);
