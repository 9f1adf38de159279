-- A signing key that no longer signs is kept a while (TokenKeyOptions.KeptForRefreshTokens) only so that the token
-- server can check the refresh tokens and codes it signed; checking needs the public part alone. So each key also
-- keeps its public part (SubjectPublicKeyInfo, base64: not secret), and the rotation erases the encrypted private part
-- when the key stops signing, so that a copy of the database holds no private key that is not in use. Keys stored
-- before this script get their public part at the next rotation, before anything is erased.
ALTER TABLE token_keys ADD COLUMN public_key text;

-- At most one form of the private part; none only for a retired signing key whose public part is kept.
ALTER TABLE token_keys DROP CONSTRAINT token_keys_one_form;
ALTER TABLE token_keys ADD CONSTRAINT token_keys_private_part CHECK (
    (private_key IS NULL OR protected_private_key IS NULL)
    AND (private_key IS NOT NULL OR protected_private_key IS NOT NULL
         OR (purpose = 'signing' AND retired_at IS NOT NULL AND public_key IS NOT NULL)));
