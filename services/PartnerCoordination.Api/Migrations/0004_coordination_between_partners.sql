-- Coordination between the partners of a trajectory: tasks, agreements, the shared agenda, the communication plan
-- and each partner's interests. Everything has an owning partner: the one that recorded it, and the only one that
-- changes it.

CREATE TABLE trajectory_tasks (
    id                  uuid PRIMARY KEY,
    trajectory_id       uuid        NOT NULL REFERENCES trajectories (id),
    title               text        NOT NULL,
    description         text        NOT NULL,
    owner_partner_id    uuid        NOT NULL REFERENCES partners (id),
    assignee_partner_id uuid        NOT NULL REFERENCES partners (id),
    due_date            date        NOT NULL,
    status              text        NOT NULL CHECK (status IN ('open', 'in-progress', 'done', 'cancelled')),
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);

CREATE INDEX trajectory_tasks_trajectory ON trajectory_tasks (trajectory_id, due_date);

-- Who does what between partners.
CREATE TABLE trajectory_agreements (
    id               uuid PRIMARY KEY,
    trajectory_id    uuid        NOT NULL REFERENCES trajectories (id),
    title            text        NOT NULL,
    description      text        NOT NULL,
    owner_partner_id uuid        NOT NULL REFERENCES partners (id),
    created_at       timestamptz NOT NULL
);

CREATE INDEX trajectory_agreements_trajectory ON trajectory_agreements (trajectory_id, created_at);

CREATE TABLE trajectory_agreement_partners (
    agreement_id uuid NOT NULL REFERENCES trajectory_agreements (id) ON DELETE CASCADE,
    partner_id   uuid NOT NULL REFERENCES partners (id),
    PRIMARY KEY (agreement_id, partner_id)
);

-- The shared agenda: residents' evenings (bewonersavond), door-to-door rounds, walk-in hours (inloopspreekuur), meetings.
CREATE TABLE trajectory_activities (
    id                     uuid PRIMARY KEY,
    trajectory_id          uuid        NOT NULL REFERENCES trajectories (id),
    kind                   text        NOT NULL CHECK (kind IN ('bewonersavond', 'door-to-door', 'inloopspreekuur', 'meeting', 'other')),
    title                  text        NOT NULL,
    place                  text        NOT NULL,
    starts_at              timestamptz NOT NULL,
    ends_at                timestamptz NOT NULL,
    responsible_partner_id uuid        NOT NULL REFERENCES partners (id),
    target_groups          text[]      NOT NULL,
    owner_partner_id       uuid        NOT NULL REFERENCES partners (id),
    created_at             timestamptz NOT NULL,
    CHECK (ends_at > starts_at)
);

CREATE INDEX trajectory_activities_trajectory ON trajectory_activities (trajectory_id, ends_at);

-- Which channel reaches which target groups in which phase, and when ("week 12", "before the summer").
CREATE TABLE communication_plan_entries (
    id               uuid PRIMARY KEY,
    trajectory_id    uuid        NOT NULL REFERENCES trajectories (id),
    phase            text        NOT NULL CHECK (phase IN ('orientation', 'plan-making', 'decision', 'execution', 'aftercare')),
    channel          text        NOT NULL CHECK (channel IN ('letter', 'email', 'sms', 'meeting', 'door-to-door', 'app')),
    target_groups    text[]      NOT NULL,
    planned_for      text        NOT NULL,
    owner_partner_id uuid        NOT NULL REFERENCES partners (id),
    created_at       timestamptz NOT NULL
);

CREATE INDEX communication_plan_entries_trajectory ON communication_plan_entries (trajectory_id, phase);

-- Each partner's interests and positions in a trajectory.
CREATE TABLE trajectory_interests (
    id               uuid PRIMARY KEY,
    trajectory_id    uuid        NOT NULL REFERENCES trajectories (id),
    topic            text        NOT NULL,
    position         text        NOT NULL,
    owner_partner_id uuid        NOT NULL REFERENCES partners (id),
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);

CREATE INDEX trajectory_interests_trajectory ON trajectory_interests (trajectory_id, created_at);

-- Lessons learned, shared with every partner of the platform (not tied to a trajectory, so nothing of one leaks).
CREATE TABLE best_practices (
    id               uuid PRIMARY KEY,
    title            text        NOT NULL,
    lesson           text        NOT NULL,
    target_groups    text[]      NOT NULL,
    theme            text        NOT NULL,
    trajectory_kind  text        NOT NULL CHECK (trajectory_kind IN ('renovation', 'demolition-new-build', 'public-space', 'other')),
    owner_partner_id uuid        NOT NULL REFERENCES partners (id),
    published_at     timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);

CREATE INDEX best_practices_published ON best_practices (published_at DESC, id DESC);
CREATE INDEX best_practices_target_groups ON best_practices USING gin (target_groups);
