-- A service may start beside its migration job (issue 7: the job is off the cold start's path) and waits until the
-- job has applied every script it carries (DatabaseMigrator). It reads the journal's script names for that; it still
-- may not change them.
DO $$
DECLARE
    service_role text := current_setting('participatie.service_role');
BEGIN
    IF service_role <> current_user THEN
        EXECUTE format('GRANT SELECT ON schema_versions TO %I', service_role);
    END IF;
END
$$;
