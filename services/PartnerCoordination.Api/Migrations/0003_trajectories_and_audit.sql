-- A participation trajectory (for example "Renovatie Kolenkitbuurt 2027") that partners run together.
CREATE TABLE trajectories (
    id              uuid PRIMARY KEY,
    name            text        NOT NULL,
    description     text        NOT NULL,
    buurt_codes     text[]      NOT NULL,
    lead_partner_id uuid        NOT NULL REFERENCES partners (id),
    created_at      timestamptz NOT NULL
);

CREATE TABLE trajectory_members (
    trajectory_id uuid        NOT NULL REFERENCES trajectories (id),
    partner_id    uuid        NOT NULL REFERENCES partners (id),
    role          text        NOT NULL CHECK (role IN ('lead', 'co-owner', 'contributor', 'observer')),
    joined_at     timestamptz NOT NULL,
    PRIMARY KEY (trajectory_id, partner_id)
);

CREATE INDEX trajectory_members_partner ON trajectory_members (partner_id);

-- Who changed ownership or roles, with which client, what and when. Append-only: the API never changes a row and
-- the database refuses to.
CREATE TABLE audit_log (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trajectory_id    uuid,
    actor_partner_id uuid,
    actor_client_id  text        NOT NULL,
    action           text        NOT NULL,
    subject          text        NOT NULL,
    details          jsonb       NOT NULL DEFAULT '{}',
    occurred_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX audit_log_trajectory ON audit_log (trajectory_id, id);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
