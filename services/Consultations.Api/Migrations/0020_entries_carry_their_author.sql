-- Entries carry their author (issue 11, part 6): reactions, questionnaire and poll answers and meeting registrations
-- record the partner and client that entered them, and the staff member when a person signed in (the vote log does
-- so since Migrations/0013). All NULL when the resident entered it themselves; NULL too for rows from before.
ALTER TABLE reactions
    ADD COLUMN entered_by_partner_id uuid,
    ADD COLUMN entered_by_client_id  text,
    ADD COLUMN entered_by_staff_id   uuid;

ALTER TABLE questionnaire_responses
    ADD COLUMN entered_by_client_id text,
    ADD COLUMN entered_by_staff_id  uuid;

ALTER TABLE meeting_registrations
    ADD COLUMN registered_by_client_id text,
    ADD COLUMN registered_by_staff_id  uuid;
