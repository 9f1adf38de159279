-- Partner-written texts may be given in other languages besides the Dutch one, which stays in its own column and
-- remains the default: language code to text, for example {"tr": "...", "pl": "..."}. NULL when none were given.
ALTER TABLE consultations
    ADD COLUMN title_translations       jsonb,
    ADD COLUMN description_translations jsonb;

ALTER TABLE reactions ADD COLUMN explanation_translations jsonb;
