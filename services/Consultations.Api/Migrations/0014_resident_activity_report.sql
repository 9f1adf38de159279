-- Up to when the residents' own actions were reported to the residents service (ResidentsWereActive), so that the
-- hourly report takes each action once. One row; the report locks it, so two instances never report the same hour.
CREATE TABLE resident_activity_report (
    only_row       boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    reported_until timestamptz NOT NULL
);
INSERT INTO resident_activity_report (reported_until) VALUES (now());

-- The report reads each table by time. BRIN: these times only grow, and the index costs an insert next to nothing.
CREATE INDEX reactions_submitted_at_brin ON reactions USING brin (submitted_at);
CREATE INDEX questionnaire_responses_submitted_at_brin ON questionnaire_responses USING brin (submitted_at);
CREATE INDEX meeting_registrations_registered_at_brin ON meeting_registrations USING brin (registered_at);
