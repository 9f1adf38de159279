-- A staff member is plain staff or the partner's admin; only an admin (or the partner's system client, or the
-- operator) manages the partner's clients and staff. Existing logins stay plain staff: an admin is named explicitly.
ALTER TABLE partner_users
    ADD COLUMN role text NOT NULL DEFAULT 'staff' CHECK (role IN ('staff', 'partner-admin'));

-- Every credential action (a client registered or revoked, a staff login added or disabled), append-only like
-- audit_log: who acted (client, and staff member when a person did), whether the operator acted, on what, when.
CREATE TABLE credential_audit (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner_id        uuid        NOT NULL REFERENCES partners (id),
    action            text        NOT NULL,
    subject_kind      text        NOT NULL CHECK (subject_kind IN ('client', 'staff')),
    subject_id        text        NOT NULL,
    actor_client_id   text        NOT NULL,
    actor_staff_id    uuid,
    acted_as_operator boolean     NOT NULL,
    occurred_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX credential_audit_partner ON credential_audit (partner_id, id);

CREATE TRIGGER credential_audit_append_only BEFORE UPDATE OR DELETE ON credential_audit
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();

-- Failed staff sign-ins per account (a hash of the e-mail address typed, known or not) and per client address: each
-- failure beyond a few free ones blocks the next try for a growing time. Kept in the database so that every instance
-- counts alike.
CREATE TABLE staff_sign_in_throttle (
    key            text PRIMARY KEY,
    failures       integer     NOT NULL,
    last_failed_at timestamptz NOT NULL,
    blocked_until  timestamptz NOT NULL
);
