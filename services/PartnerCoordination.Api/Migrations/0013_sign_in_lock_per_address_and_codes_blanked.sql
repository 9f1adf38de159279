-- Wrong tries are counted per address someone signs in with (the e-mail or phone key, or the home key for letters),
-- no longer per resident: a known and an unknown address then lock alike, so the lock tells nobody whether an
-- address is known. Every code request leaves a challenge with the subject it counts against; a request that sends
-- nothing (an unknown address, a locked one, an e-mail shared by residents of several homes without the home) leaves
-- a decoy without a resident, so that redeeming it takes the same path as a real one.
ALTER TABLE resident_sign_in_codes ALTER COLUMN resident_id DROP NOT NULL;
ALTER TABLE resident_sign_in_codes ADD COLUMN lock_subject text;
-- Codes of before this script keep counting against the lock they had (e-mail/SMS codes live 10 minutes).
UPDATE resident_sign_in_codes
SET lock_subject = CASE WHEN channel = 'letter' THEN 'home:' || home_key ELSE 'resident:' || replace(resident_id::text, '-', '') END;
ALTER TABLE resident_sign_in_codes ALTER COLUMN lock_subject SET NOT NULL;

-- A sign-in code travels in SignInCodeRequested through the outbox, whose relayed rows are kept a week for looking
-- back. Once the relay marks the row published, nobody needs the code in it any more: it is blanked in that same
-- update, so that a code (a letter code holds 30 days) cannot be read from the database after it went out.
CREATE FUNCTION blank_relayed_sign_in_code() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.payload := jsonb_set(NEW.payload, '{code}', '""');
    RETURN NEW;
END;
$$;

CREATE TRIGGER outbox_messages_blank_relayed_sign_in_code
BEFORE UPDATE OF published_at ON outbox_messages
FOR EACH ROW
WHEN (NEW.published_at IS NOT NULL AND NEW.message_type LIKE 'Participatie.Contracts.SignInCodeRequested,%')
EXECUTE FUNCTION blank_relayed_sign_in_code();

UPDATE outbox_messages SET payload = jsonb_set(payload, '{code}', '""')
WHERE published_at IS NOT NULL AND message_type LIKE 'Participatie.Contracts.SignInCodeRequested,%';
