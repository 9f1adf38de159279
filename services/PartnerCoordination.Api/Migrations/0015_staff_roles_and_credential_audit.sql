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
