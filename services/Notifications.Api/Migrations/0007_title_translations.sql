-- A consultation's title in the languages the partner translated it into (language code to text; NULL when none),
-- so that a resident who registers after it opened is invited in their language too, like those invited at once.
ALTER TABLE consultations ADD COLUMN title_translations jsonb;
