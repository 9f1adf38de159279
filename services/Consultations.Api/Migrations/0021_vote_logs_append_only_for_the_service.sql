-- The vote log and the counted votes are append-only (triggers refuse changes); the service's own role is not even
-- granted them, so that they hold even if a trigger were dropped or disabled by mistake. The vote log keeps one
-- exception, as its trigger does: the links to the home, the paper form and the resident may be cut (closing,
-- erasure), so UPDATE is granted on those three columns only.
DO $$
DECLARE
    service_role text := current_setting('participatie.service_role');
BEGIN
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON support_vote_log FROM %I', service_role);
    EXECUTE format('GRANT UPDATE (home_key, resident_id, form_reference) ON support_vote_log TO %I', service_role);
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON support_counted_votes FROM %I', service_role);
END
$$;
