-- Review findings on the draagvlakmeting (issue 11): a paper form leaves a trace, and a resident's own vote undoes an
-- exclusion (someone lives there), so that leaving homes out cannot be used to rig the 70%.

-- form_reference: the number of the signed paper form a partner entered (e.g. of its scan), so that the tenants'
-- organisation can check it; cut at closing with the home, since the form names the home.
-- undid_exclusion: the reason a home had been left out of the count for, when this resident's vote brought it back.
ALTER TABLE support_vote_log
    ADD COLUMN form_reference  text CHECK (length(form_reference) BETWEEN 1 AND 100),
    ADD COLUMN undid_exclusion text CHECK (undid_exclusion IN ('vacant', 'owner-occupied'));

-- Still append-only; at closing the home key and the form reference are cut, and the link to a resident may be cut
-- (erasure); the rest of the row stays.
CREATE OR REPLACE FUNCTION support_vote_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND (NEW.resident_id IS NULL OR NEW.resident_id = OLD.resident_id)
        AND (NEW.home_key IS NULL OR NEW.home_key = OLD.home_key)
        AND (NEW.form_reference IS NULL OR NEW.form_reference = OLD.form_reference)
        AND (to_jsonb(NEW) - 'resident_id' - 'home_key' - 'form_reference')
            = (to_jsonb(OLD) - 'resident_id' - 'home_key' - 'form_reference') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the support vote log is append-only';
END
$$;

-- An exclusion is undone only as a whole (a resident voted for the home); it never changes to another reason.
CREATE OR REPLACE FUNCTION support_measurement_home_is_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'the homes of a support measurement are never deleted';
    END IF;
    IF NEW.measurement_id <> OLD.measurement_id OR NEW.home_key <> OLD.home_key OR NEW.position <> OLD.position
        OR NEW.code_hash <> OLD.code_hash THEN
        RAISE EXCEPTION 'only the vote of a home changes';
    END IF;
    IF OLD.excluded_reason IS NOT NULL AND NEW.excluded_reason IS NOT NULL AND NEW.excluded_reason <> OLD.excluded_reason THEN
        RAISE EXCEPTION 'an excluded home is brought back by a vote, never excluded for another reason';
    END IF;
    IF EXISTS (SELECT 1 FROM support_measurements WHERE id = OLD.measurement_id AND closed_at IS NOT NULL) THEN
        RAISE EXCEPTION 'support measurement % is closed; its votes are final', OLD.measurement_id;
    END IF;
    RETURN NEW;
END
$$;
