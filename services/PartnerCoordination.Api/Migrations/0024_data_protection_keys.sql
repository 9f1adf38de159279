-- The ASP.NET Core Data Protection key ring (sign-in cookies, antiforgery tokens), shared by every replica of the
-- service (BuildingBlocks/DataProtection). Each row is one XML element of the ring, encrypted with a key derived from
-- the key-encryption secret; the framework never changes an element (a revocation is a new one), so the table is
-- append-only for the service.
CREATE TABLE data_protection_keys (
    friendly_name text PRIMARY KEY,
    xml text NOT NULL,
    created_at timestamptz NOT NULL
);

DO $$
DECLARE
    service_role text := current_setting('participatie.service_role');
BEGIN
    IF service_role <> current_user THEN
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON data_protection_keys FROM %I', service_role);
    END IF;
END
$$;
