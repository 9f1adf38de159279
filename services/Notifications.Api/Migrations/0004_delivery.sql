-- Delivery: every notification leaves the platform over its channel and its way is recorded.
-- pending → sending → sent → delivered | failed | bounced (letters and the app feed skip what they cannot know).
ALTER TABLE notifications
    ADD COLUMN consultation_id    uuid,
    -- Receipts and answers to a resident's own reaction go before invitations and news of a whole buurt.
    ADD COLUMN priority           smallint GENERATED ALWAYS AS
                                      (CASE WHEN kind IN ('reaction-received', 'reaction-answered') THEN 0 ELSE 1 END) STORED,
    ADD COLUMN attempts           integer     NOT NULL DEFAULT 0,
    -- Not before this moment (a retry's backoff, quiet hours); null: as soon as possible.
    ADD COLUMN next_attempt_at    timestamptz,
    -- A worker's lease while sending: a worker that died mid-send leaves it to another once this has passed.
    ADD COLUMN claimed_until      timestamptz,
    ADD COLUMN sent_at            timestamptz,
    ADD COLUMN completed_at       timestamptz,
    ADD COLUMN provider_reference text,
    -- The notification this one replaces on another channel (an e-mail that bounced goes again by letter).
    ADD COLUMN fallback_for       uuid REFERENCES notifications (id),
    -- The digest this notification was joined into, instead of going out on its own.
    ADD COLUMN digest_id          uuid REFERENCES notifications (id),
    ADD COLUMN read_at            timestamptz;

UPDATE notifications SET consultation_id = subject_id WHERE kind = 'consultation-opened';

-- The worker's question: what is due now, most urgent first. Only unfinished notifications are in it.
CREATE INDEX notifications_due ON notifications (priority, (coalesce(next_attempt_at, created_at)))
    WHERE status IN ('pending', 'sending');
CREATE INDEX notifications_consultation ON notifications (consultation_id) WHERE consultation_id IS NOT NULL;
CREATE UNIQUE INDEX notifications_provider_reference ON notifications (channel, provider_reference)
    WHERE provider_reference IS NOT NULL;

-- One invitation per resident and consultation, but a fallback letter for a bounced invitation is a second row.
DROP INDEX notifications_one_invitation;
CREATE UNIQUE INDEX notifications_one_invitation
    ON notifications (subject_id, resident_id) WHERE kind = 'consultation-opened' AND fallback_for IS NULL;

-- Each step on a notification's way: an attempt and how it ended, a hold for quiet hours, a report, a fallback.
CREATE TABLE delivery_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    notification_id uuid        NOT NULL REFERENCES notifications (id),
    occurred_at     timestamptz NOT NULL,
    attempt         integer     NOT NULL,
    channel         text        NOT NULL,
    event           text        NOT NULL,
    detail          text
);

CREATE INDEX delivery_events_notification ON delivery_events (notification_id, id);

-- How often a resident wants news of a whole buurt: at once, or joined into a daily or weekly digest.
ALTER TABLE recipients ADD COLUMN digest_frequency text NOT NULL DEFAULT 'immediately';
