-- The personal data access log is append-only (a trigger refuses changes); the service's own role is not even
-- granted them, so that the log holds even if the trigger were dropped or disabled by mistake.
DO $$
BEGIN
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON personal_data_access_log FROM %I',
        current_setting('participatie.service_role'));
END
$$;
