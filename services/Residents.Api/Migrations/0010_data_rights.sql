-- Data rights (AVG art. 15, 17, 20): exports of what the platform holds on a resident, and erasures with their proof.

-- An export request; the residents service collects one part per data-holding service. It is ready when every
-- service answered (counted when read, so parts arriving at once need no lock).
CREATE TABLE data_exports (
    id                      uuid PRIMARY KEY,
    resident_id             uuid        NOT NULL,
    -- 'resident' (their own token) or 'partner' (a linked partner on their behalf).
    requested_by            text        NOT NULL CHECK (requested_by IN ('resident', 'partner')),
    requested_by_partner_id uuid,
    requested_at            timestamptz NOT NULL
);

CREATE INDEX data_exports_resident ON data_exports (resident_id);
CREATE INDEX data_exports_requested_at ON data_exports (requested_at);

-- Each service's part: what it holds on the pseudonymous id, as the JSON it sent. Deleted with its export.
CREATE TABLE data_export_parts (
    export_id   uuid        NOT NULL REFERENCES data_exports (id) ON DELETE CASCADE,
    service     text        NOT NULL,
    data        jsonb       NOT NULL,
    exported_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (export_id, service)
);

-- The tombstone of an erased resident: the personal data is gone from residents, this row stays so that the id is
-- never used again and a second request gets the same erasure. It holds no personal data.
CREATE TABLE resident_erasures (
    id                      uuid PRIMARY KEY,
    resident_id             uuid        NOT NULL UNIQUE,
    -- 'resident', 'partner' or 'retention' (the scheduled job for inactive residents).
    requested_by            text        NOT NULL CHECK (requested_by IN ('resident', 'partner', 'retention')),
    requested_by_partner_id uuid,
    erased_at               timestamptz NOT NULL
);

-- The partners linked to the resident when they were erased: they may read the proof afterwards.
CREATE TABLE resident_erasure_partners (
    erasure_id uuid NOT NULL REFERENCES resident_erasures (id),
    partner_id uuid NOT NULL,
    PRIMARY KEY (erasure_id, partner_id)
);

CREATE INDEX resident_erasure_partners_partner ON resident_erasure_partners (partner_id);

-- Each service's confirmation that it honoured the erasure: the proof. Complete when all four confirmed.
CREATE TABLE resident_erasure_confirmations (
    erasure_id   uuid        NOT NULL REFERENCES resident_erasures (id),
    service      text        NOT NULL,
    confirmed_at timestamptz NOT NULL,
    PRIMARY KEY (erasure_id, service)
);

-- An erased resident's id never comes back, whatever code inserts a resident.
CREATE FUNCTION residents_id_is_not_erased() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM resident_erasures WHERE resident_id = NEW.id) THEN
        RAISE EXCEPTION 'resident % was erased; the id is never used again', NEW.id;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER residents_id_not_erased BEFORE INSERT ON residents
    FOR EACH ROW EXECUTE FUNCTION residents_id_is_not_erased();
