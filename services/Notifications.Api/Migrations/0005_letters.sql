-- Letters go out in a daily print batch per sending partner (the lead of the notification's trajectory): one PDF and
-- a CSV manifest, kept here for the partner and the operator to fetch.

-- Partners' names for the sender line, from PartnerRegistered; nothing else of a partner is needed here.
CREATE TABLE letter_senders (
    partner_id    uuid PRIMARY KEY,
    name          text        NOT NULL,
    registered_at timestamptz NOT NULL
);

CREATE TABLE letter_batches (
    id           uuid PRIMARY KEY,
    -- Null for letters of no trajectory (none today): only the operator sees that batch.
    partner_id   uuid,
    sender_name  text        NOT NULL,
    print_date   date        NOT NULL,
    created_at   timestamptz NOT NULL,
    -- 'daily' (the job), 'on-request' (cut through the API) or 'scheduled' (local runs, Letters:CutEvery).
    cut_by       text        NOT NULL,
    letter_count integer     NOT NULL,
    page_count   integer     NOT NULL,
    pdf          bytea       NOT NULL,
    manifest     text        NOT NULL
);

CREATE INDEX letter_batches_partner ON letter_batches (partner_id, created_at);

-- Each letter is in one batch at most: the primary key refuses a second, whatever went wrong before.
CREATE TABLE letter_batch_letters (
    notification_id uuid PRIMARY KEY,
    batch_id        uuid    NOT NULL REFERENCES letter_batches (id),
    first_page      integer NOT NULL
);

CREATE INDEX letter_batch_letters_batch ON letter_batch_letters (batch_id);

-- The daily batch is cut once per date in Amsterdam, by whichever instance comes first.
CREATE TABLE letter_batch_days (
    print_date date PRIMARY KEY,
    cut_at     timestamptz NOT NULL
);

-- When a batch claimed a letter (status 'sending'), so that letters of a batch that died half-way are taken again.
ALTER TABLE notifications ADD COLUMN letter_claimed_at timestamptz;

CREATE INDEX notifications_letters_to_print ON notifications (created_at) WHERE channel = 'letter' AND status IN ('pending', 'sending');
