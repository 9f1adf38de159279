-- Kinds of consultation besides written reactions: resident evenings (bewonersavonden), questionnaires and polls.
-- Residents appear only by their pseudonymous id, as in reactions.

-- A meeting residents come to; registrations are bounded by its capacity, and a reminder goes out once, the day before.
CREATE TABLE meetings (
    id                    uuid PRIMARY KEY,
    consultation_id       uuid        NOT NULL REFERENCES consultations (id),
    partner_id            uuid        NOT NULL,
    place                 text        NOT NULL,
    starts_at             timestamptz NOT NULL,
    ends_at               timestamptz NOT NULL,
    capacity              integer     NOT NULL CHECK (capacity BETWEEN 1 AND 1000),
    created_at            timestamptz NOT NULL,
    -- Set in the transaction that puts MeetingReminderDue in the outbox, so that the reminder goes out once.
    reminder_published_at timestamptz,
    CHECK (ends_at > starts_at)
);

CREATE INDEX meetings_consultation ON meetings (consultation_id, starts_at);
CREATE INDEX meetings_reminder_pending ON meetings (starts_at) WHERE reminder_published_at IS NULL;

-- One row per resident and meeting: registering twice changes nothing.
CREATE TABLE meeting_registrations (
    meeting_id               uuid        NOT NULL REFERENCES meetings (id),
    resident_id              uuid        NOT NULL,
    registered_by_partner_id uuid        NOT NULL,
    registered_at            timestamptz NOT NULL,
    attended                 boolean,
    attendance_recorded_at   timestamptz,
    PRIMARY KEY (meeting_id, resident_id)
);

-- A questionnaire, or a poll (a questionnaire of one multiple-choice question): at most one of each per consultation.
-- The questions, with their texts in every supported language, are stored as the partner gave them.
CREATE TABLE questionnaires (
    id              uuid PRIMARY KEY,
    consultation_id uuid        NOT NULL REFERENCES consultations (id),
    kind            text        NOT NULL CHECK (kind IN ('questionnaire', 'poll')),
    partner_id      uuid        NOT NULL,
    questions       jsonb       NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    UNIQUE (consultation_id, kind)
);

-- A resident's current answers; answering again replaces them, so that a resident is counted once.
CREATE TABLE questionnaire_responses (
    questionnaire_id       uuid        NOT NULL REFERENCES questionnaires (id),
    resident_id            uuid        NOT NULL,
    channel                text        NOT NULL,
    language               text        NOT NULL,
    answers                jsonb       NOT NULL,
    entered_by_partner_id  uuid        NOT NULL,
    submitted_at           timestamptz NOT NULL,
    PRIMARY KEY (questionnaire_id, resident_id)
);
