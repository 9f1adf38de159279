-- A reaction for an erased resident is refused inside its own INSERT (SQLSTATE PE422, which the API answers with 422)
-- instead of by a lock and a lookup of their own before it: two round trips fewer on the busiest write path. Same rule
-- as skip_erased_resident (Migrations/0012): the erasure lock shared, then a statement of its own, with a fresh
-- snapshot, that sees an erasure which just committed.
CREATE FUNCTION refuse_erased_resident() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(hashtext('resident-erasure'));
    IF EXISTS (SELECT 1 FROM erased_residents WHERE resident_id = NEW.resident_id) THEN
        RAISE EXCEPTION 'resident % asked for their data to be erased', NEW.resident_id USING ERRCODE = 'PE422';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER reactions_resident_not_erased BEFORE INSERT ON reactions
    FOR EACH ROW EXECUTE FUNCTION refuse_erased_resident();
