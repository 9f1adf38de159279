-- The same refusal as reactions' (Migrations/0015) for questionnaire and poll answers and meeting registrations: one
-- mechanism for every row a partner can enter for a resident, inside the INSERT itself (SQLSTATE PE422 -> 422).
CREATE TRIGGER questionnaire_responses_resident_not_erased BEFORE INSERT ON questionnaire_responses
    FOR EACH ROW EXECUTE FUNCTION refuse_erased_resident();
CREATE TRIGGER meeting_registrations_resident_not_erased BEFORE INSERT ON meeting_registrations
    FOR EACH ROW EXECUTE FUNCTION refuse_erased_resident();
