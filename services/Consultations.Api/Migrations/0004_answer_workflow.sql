-- Answering reactions on time: a deadline per reaction, set from its trajectory's promise; staff assign reactions,
-- keep internal notes on them and group them into themes that are answered at once.

-- How many working days a trajectory promises its residents for an answer. No row: the default (15).
CREATE TABLE trajectory_settings (
    trajectory_id         uuid PRIMARY KEY,
    answer_working_days   integer     NOT NULL CHECK (answer_working_days BETWEEN 1 AND 60),
    updated_by_partner_id uuid        NOT NULL,
    updated_at            timestamptz NOT NULL
);

-- A group of reactions that say the same thing; its answer is given to every reaction in it.
CREATE TABLE themes (
    id              uuid PRIMARY KEY,
    consultation_id uuid        NOT NULL REFERENCES consultations (id),
    partner_id      uuid        NOT NULL,
    title           text        NOT NULL,
    description     text,
    status          text,
    explanation     text,
    answered_at     timestamptz,
    created_at      timestamptz NOT NULL
);

CREATE INDEX themes_consultation ON themes (consultation_id, created_at);

ALTER TABLE reactions
    ADD COLUMN answer_due_on       date,
    ADD COLUMN assigned_partner_id uuid,
    ADD COLUMN assignee            text,
    ADD COLUMN assigned_at         timestamptz,
    -- A reaction belongs to at most one theme, so that a theme's answer never contradicts another theme's.
    ADD COLUMN theme_id            uuid REFERENCES themes (id);

-- Reactions received before deadlines existed were promised no date. They get three weeks after their day of
-- receipt (15 working days when no holiday falls in between, a little earlier otherwise): an early flag on an old,
-- unanswered reaction errs on the resident's side.
UPDATE reactions SET answer_due_on = (submitted_at AT TIME ZONE 'Europe/Amsterdam')::date + 21 WHERE answer_due_on IS NULL;
ALTER TABLE reactions ALTER COLUMN answer_due_on SET NOT NULL;

CREATE INDEX reactions_awaiting_outcome ON reactions (answer_due_on) WHERE status IN ('received', 'under-consideration');
CREATE INDEX reactions_theme ON reactions (theme_id) WHERE theme_id IS NOT NULL;

-- What staff write down while working on an answer. Never sent to the resident, never in an event.
CREATE TABLE reaction_internal_notes (
    id          uuid PRIMARY KEY,
    reaction_id uuid        NOT NULL REFERENCES reactions (id),
    partner_id  uuid        NOT NULL,
    client_id   text,
    author      text,
    text        text        NOT NULL,
    created_at  timestamptz NOT NULL
);

CREATE INDEX reaction_internal_notes_reaction ON reaction_internal_notes (reaction_id, created_at);
