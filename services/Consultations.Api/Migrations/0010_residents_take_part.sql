-- Residents take part themselves (issue 9): besides partners entering things on their behalf, a resident with their
-- own token reacts, registers for meetings, answers questionnaires and polls, and votes for their home.

-- Who entered a registration or a response: a partner on the resident's behalf, or the resident themselves (no partner).
ALTER TABLE meeting_registrations ALTER COLUMN registered_by_partner_id DROP NOT NULL;
ALTER TABLE questionnaire_responses ALTER COLUMN entered_by_partner_id DROP NOT NULL;

-- The explanation of every step of a reaction's history in the partner's other languages, so that a resident reads
-- the whole history in their own language, not only the latest answer. NULL for steps recorded before this column.
ALTER TABLE reaction_status_changes ADD COLUMN explanation_translations jsonb;

-- The vote log recorded only votes partners entered. Now it records who entered each vote: a partner (with its id and
-- client) or the resident (online with their own token, resident_id set; or anonymously with the code from their
-- letter, resident_id NULL).
ALTER TABLE support_vote_log
    ADD COLUMN entered_by  text NOT NULL DEFAULT 'partner' CHECK (entered_by IN ('partner', 'resident')),
    ADD COLUMN resident_id uuid,
    ALTER COLUMN partner_id DROP NOT NULL,
    ADD CONSTRAINT support_vote_log_who CHECK ((entered_by = 'partner') = (partner_id IS NOT NULL)
                                               AND (resident_id IS NULL OR entered_by = 'resident'));
ALTER TABLE support_vote_log ALTER COLUMN entered_by DROP DEFAULT;

-- Still append-only, with one exception: the link to a resident may be cut (erasure, AVG art. 17); the vote stays.
CREATE OR REPLACE FUNCTION support_vote_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.resident_id IS NULL
        AND (to_jsonb(NEW) - 'resident_id') = (to_jsonb(OLD) - 'resident_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the support vote log is append-only';
END
$$;

-- The residents living at the homes of a support measurement, as the residents service resolved them
-- (SupportMeasurementHomesResolved): only pseudonymous ids, so that a resident votes online for their own home.
CREATE TABLE support_measurement_residents (
    measurement_id uuid NOT NULL,
    home_key       text NOT NULL,
    resident_id    uuid NOT NULL,
    PRIMARY KEY (measurement_id, resident_id, home_key)
);

CREATE INDEX support_measurement_residents_resident ON support_measurement_residents (resident_id);

-- Wrong voting codes per measurement and client address, to stop guessing: after 10 wrong codes within 15 minutes
-- the client waits. Rows older than the window serve no purpose and are deleted as new ones come in.
CREATE TABLE support_code_attempts (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    measurement_id uuid        NOT NULL,
    client_address text        NOT NULL,
    attempted_at   timestamptz NOT NULL
);

CREATE INDEX support_code_attempts_client ON support_code_attempts (measurement_id, client_address, attempted_at);

-- "What is mine": a resident's own reactions, registrations and responses.
CREATE INDEX reactions_resident ON reactions (resident_id, submitted_at);
CREATE INDEX meeting_registrations_resident ON meeting_registrations (resident_id);
CREATE INDEX consultation_audience_resident ON consultation_audience (resident_id);
