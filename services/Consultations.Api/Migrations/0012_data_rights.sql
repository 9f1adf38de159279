-- Erasure (AVG art. 17): the residents this service was told were erased. A late or redelivered event about one of
-- them (a registration, an audience) must not bring their link back.
CREATE TABLE erased_residents (
    resident_id uuid PRIMARY KEY,
    erasure_id  uuid        NOT NULL,
    erased_at   timestamptz NOT NULL
);

-- Inserts for an erased resident are dropped silently (an upsert's update never happens either). The erasure takes
-- the lock exclusively before it deletes, inserts take it shared: a transaction that was adding a row when the
-- erasure came is waited for, and one that comes after sees the erasure.
CREATE FUNCTION skip_erased_resident() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(hashtext('resident-erasure'));
    IF EXISTS (SELECT 1 FROM erased_residents WHERE resident_id = NEW.resident_id) THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER residents_concerned_not_erased BEFORE INSERT ON residents_concerned
    FOR EACH ROW EXECUTE FUNCTION skip_erased_resident();
CREATE TRIGGER consultation_audience_not_erased BEFORE INSERT ON consultation_audience
    FOR EACH ROW EXECUTE FUNCTION skip_erased_resident();

-- A late SupportMeasurementHomesResolved must not link an erased resident to a home again.
CREATE TRIGGER support_measurement_residents_not_erased BEFORE INSERT ON support_measurement_residents
    FOR EACH ROW EXECUTE FUNCTION skip_erased_resident();
