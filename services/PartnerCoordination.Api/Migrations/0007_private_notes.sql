-- A partner's own notes in a trajectory: no other partner, not even the lead, ever reads them.
CREATE TABLE private_notes (
    id               uuid PRIMARY KEY,
    trajectory_id    uuid        NOT NULL REFERENCES trajectories (id),
    owner_partner_id uuid        NOT NULL REFERENCES partners (id),
    text             text        NOT NULL,
    created_at       timestamptz NOT NULL
);

CREATE INDEX private_notes_owner ON private_notes (trajectory_id, owner_partner_id, created_at);
