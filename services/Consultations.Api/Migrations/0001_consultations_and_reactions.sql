-- Consultations a partner opens for a buurt, and the reactions residents give. Residents appear only by their
-- pseudonymous id; their personal data stays in the residents service.
CREATE TABLE consultations (
    id          uuid PRIMARY KEY,
    partner_id  uuid        NOT NULL,
    title       text        NOT NULL,
    description text        NOT NULL,
    buurt_code  text        NOT NULL,
    closes_on   date        NOT NULL,
    opened_at   timestamptz NOT NULL
);

CREATE INDEX consultations_buurt_code ON consultations (buurt_code);

CREATE TABLE reactions (
    id              uuid PRIMARY KEY,
    consultation_id uuid        NOT NULL REFERENCES consultations (id),
    resident_id     uuid        NOT NULL,
    text            text        NOT NULL,
    channel         text        NOT NULL,
    language        text        NOT NULL,
    status          text        NOT NULL,
    explanation     text,
    submitted_at    timestamptz NOT NULL,
    answered_at     timestamptz
);

CREATE INDEX reactions_consultation ON reactions (consultation_id, submitted_at);

-- Every status a reaction went through, so that "you said, we did" can show what changed and when.
CREATE TABLE reaction_status_changes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reaction_id uuid        NOT NULL REFERENCES reactions (id),
    status      text        NOT NULL,
    explanation text,
    changed_at  timestamptz NOT NULL
);

CREATE INDEX reaction_status_changes_reaction ON reaction_status_changes (reaction_id, id);
