-- Sign-in codes and contact confirmations: sent at once and first (priority 0, like receipts and answers), never
-- held by quiet hours, never in a digest. PostgreSQL cannot change a generated column's expression in place.
DROP INDEX notifications_due;
ALTER TABLE notifications DROP COLUMN priority;
ALTER TABLE notifications ADD COLUMN priority smallint GENERATED ALWAYS AS
    (CASE WHEN kind IN ('reaction-received', 'reaction-answered', 'sign-in-code', 'contact-confirmation') THEN 0 ELSE 1 END) STORED;
CREATE INDEX notifications_due ON notifications (priority, (coalesce(next_attempt_at, created_at)))
    WHERE status = 'pending' AND channel <> 'letter';

-- A contact confirmation goes to the new, still pending address: the residents service finds it by this id.
ALTER TABLE notifications ADD COLUMN confirmation_id uuid;

-- The one-time code in the body, kept only until the notification is sent or has failed for good: then it is
-- blanked out of the body, whichever way the status changed (worker, letter batch, delivery report).
ALTER TABLE notifications ADD COLUMN one_time_code text;

CREATE FUNCTION blank_one_time_code() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.body := replace(NEW.body, NEW.one_time_code, '······');
    NEW.one_time_code := NULL;
    RETURN NEW;
END;
$$;

CREATE TRIGGER notifications_blank_one_time_code
    BEFORE UPDATE OF status ON notifications
    FOR EACH ROW
    WHEN (NEW.one_time_code IS NOT NULL AND NEW.status IN ('sent', 'delivered', 'failed', 'bounced'))
    EXECUTE FUNCTION blank_one_time_code();
