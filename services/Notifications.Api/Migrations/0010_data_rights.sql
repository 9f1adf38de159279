-- Erasure (AVG art. 17): the residents this service was told were erased. Nothing about them may come back: not a
-- notification from an event still on its way, not a fallback of one that was being sent, not their recipient row.
CREATE TABLE erased_residents (
    resident_id uuid PRIMARY KEY,
    erasure_id  uuid        NOT NULL,
    erased_at   timestamptz NOT NULL
);

-- Inserts for an erased resident are dropped silently (an upsert's update never happens either). The erasure takes
-- the lock exclusively before it deletes, inserts take it shared: a transaction that was adding a row when the
-- erasure came is waited for (and its rows deleted), one that comes after sees the erasure.
CREATE FUNCTION skip_erased_resident() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(hashtext('resident-erasure'));
    IF EXISTS (SELECT 1 FROM erased_residents WHERE resident_id = NEW.resident_id) THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER notifications_not_erased BEFORE INSERT ON notifications
    FOR EACH ROW EXECUTE FUNCTION skip_erased_resident();
CREATE TRIGGER recipients_not_erased BEFORE INSERT ON recipients
    FOR EACH ROW EXECUTE FUNCTION skip_erased_resident();
