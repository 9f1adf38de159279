-- Retention: a resident with no activity for a configurable period is anonymised. Activity is the registration, a
-- change of their data, and their own actions elsewhere (a reaction, from ReactionSubmitted).
ALTER TABLE residents ADD COLUMN last_activity_at timestamptz;
UPDATE residents SET last_activity_at = registered_at;

-- Kept here rather than in each handler, so that every change counts, whichever feature makes it: on insert the
-- registration time, on a change of the resident's own data the time of the change (a bounce report is not one).
CREATE FUNCTION residents_track_activity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.last_activity_at := coalesce(NEW.last_activity_at, NEW.registered_at);
    ELSE
        NEW.last_activity_at := greatest(OLD.last_activity_at, NEW.last_activity_at, now());
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER residents_activity_on_insert BEFORE INSERT ON residents
    FOR EACH ROW EXECUTE FUNCTION residents_track_activity();
CREATE TRIGGER residents_activity_on_change BEFORE UPDATE OF
    full_name, postcode, house_number, house_number_suffix, buurt_code, email, phone_number, preferred_language,
    preferred_channel, birth_year, tenure, street, city, digest_frequency, quiet_hours_start, quiet_hours_end ON residents
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION residents_track_activity();

ALTER TABLE residents ALTER COLUMN last_activity_at SET NOT NULL;
CREATE INDEX residents_last_activity ON residents (last_activity_at);
