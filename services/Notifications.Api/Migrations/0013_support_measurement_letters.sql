-- The draagvlakmeting's letters to homes: a voting code to every home of the complex, and the written notice of the
-- result to every tenant's home. They are addressed to a home ("Aan de bewoners van"), not to a registered resident,
-- so they live beside the notifications rather than among them: no partner endpoint reads this table.
CREATE TABLE home_letters (
    id             uuid PRIMARY KEY,
    -- 'support-voting-code' or 'support-result'.
    kind           text        NOT NULL,
    measurement_id uuid        NOT NULL,
    trajectory_id  uuid        NOT NULL,
    -- Postcode, house number and suffix as AddressKeys.Key writes them; the letter's address.
    home_key       text        NOT NULL,
    language       text        NOT NULL,
    title          text        NOT NULL,
    -- Without the code: the code goes into the body only when the letter is printed.
    body           text        NOT NULL,
    -- Kept only until the letter is in a print batch (set to null in the same transaction); then only the batch's
    -- PDF holds it, until the operator marks the batch printed and the PDF is dropped.
    voting_code    text,
    created_at     timestamptz NOT NULL,
    batch_id       uuid REFERENCES letter_batches (id),
    first_page     integer,
    -- A redelivered or repeated event never makes a second letter for the same home.
    UNIQUE (measurement_id, kind, home_key)
);

CREATE INDEX home_letters_to_print ON home_letters (created_at) WHERE batch_id IS NULL;

-- Batches that carry voting codes are the platform operator's alone (no partner_id, and refused to partners even so).
ALTER TABLE letter_batches ADD COLUMN voting_codes boolean NOT NULL DEFAULT false;

-- Set when the operator reports the batch printed; a voting-code batch then loses its PDF, the codes' last copy.
ALTER TABLE letter_batches ADD COLUMN printed_at timestamptz;
ALTER TABLE letter_batches ALTER COLUMN pdf DROP NOT NULL;
