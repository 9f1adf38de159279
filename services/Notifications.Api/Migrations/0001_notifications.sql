-- What the notifications service knows of residents: pseudonymous id, buurt and how to reach them. No names,
-- no addresses: those stay in the residents service, which delivers through this service's instructions later.
CREATE TABLE recipients (
    resident_id        uuid PRIMARY KEY,
    buurt_code         text        NOT NULL,
    preferred_language text        NOT NULL,
    preferred_channel  text        NOT NULL,
    registered_at      timestamptz NOT NULL
);

CREATE INDEX recipients_buurt_code ON recipients (buurt_code);

-- Consultations residents are invited to, so that a resident who registers later is still invited.
CREATE TABLE consultations (
    consultation_id uuid PRIMARY KEY,
    title           text NOT NULL,
    buurt_code      text NOT NULL,
    closes_on       date NOT NULL
);

CREATE INDEX consultations_buurt_code ON consultations (buurt_code, closes_on);

CREATE TABLE notifications (
    id          uuid PRIMARY KEY,
    resident_id uuid        NOT NULL,
    kind        text        NOT NULL,
    subject_id  uuid        NOT NULL,
    language    text        NOT NULL,
    channel     text        NOT NULL,
    title       text        NOT NULL,
    body        text        NOT NULL,
    status      text        NOT NULL DEFAULT 'pending',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX notifications_resident ON notifications (resident_id, created_at);
CREATE INDEX notifications_subject ON notifications (subject_id);

-- A resident is invited to a consultation once, whichever of the two events (resident registered, consultation
-- opened) arrives last.
CREATE UNIQUE INDEX notifications_one_invitation
    ON notifications (subject_id, resident_id) WHERE kind = 'consultation-opened';
