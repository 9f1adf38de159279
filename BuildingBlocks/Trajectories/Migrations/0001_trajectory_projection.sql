-- This service's own copy of the trajectories and their partners' roles, fed by TrajectoryChanged events from
-- partner coordination, so that it decides a caller's access with a join in its own database.
CREATE TABLE trajectory_projection (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    buurt_codes text[] NOT NULL,
    lead_partner_id uuid NOT NULL,
    -- The version of the last snapshot applied; an older or equal one arriving later is ignored.
    version bigint NOT NULL,
    changed_at timestamptz NOT NULL
);

CREATE TABLE trajectory_member_projection (
    trajectory_id uuid NOT NULL REFERENCES trajectory_projection (id) ON DELETE CASCADE,
    partner_id uuid NOT NULL,
    role text NOT NULL,
    PRIMARY KEY (trajectory_id, partner_id)
);

-- "Which trajectories does this partner take part in" for every list endpoint.
CREATE INDEX trajectory_member_projection_partner ON trajectory_member_projection (partner_id, trajectory_id);
