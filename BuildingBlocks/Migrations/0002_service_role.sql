-- Least privilege: the service connects as a login role of its own (its name in the session setting
-- participatie.service_role, created by the migrator), while these scripts run as the owner of the schema. The
-- service's role may read and write rows, never change the schema, and reach no other database: CONNECT is taken
-- from PUBLIC, so another service's role is refused at the door.
DO $$
DECLARE
    service_role text := current_setting('participatie.service_role');
BEGIN
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), service_role);
    REVOKE CREATE ON SCHEMA public FROM PUBLIC;
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', service_role);

    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', service_role);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', service_role);
    -- Tables and sequences that later scripts create (as the same owner) are granted alike; a script that creates
    -- an append-only table revokes UPDATE and DELETE on it itself.
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', service_role);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO %I', service_role);

    -- The migrations' journal is the owner's alone; the service needs none of it.
    IF service_role <> current_user THEN
        EXECUTE format('REVOKE ALL ON schema_versions FROM %I', service_role);
    END IF;
END
$$;
