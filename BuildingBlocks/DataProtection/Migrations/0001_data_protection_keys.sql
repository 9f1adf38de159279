-- A web client's Data Protection key ring (its sign-in and antiforgery cookies), shared by every replica of the client
-- (BuildingBlocks/DataProtection/WebClientKeyRing.cs). Linked into each client's Migrations/ and applied in the
-- client's own database, after the building blocks' scripts (the client's role, its grants). The same table as partner
-- coordination's (its script 0024): each row one XML element of the ring, encrypted with a key derived from the
-- client's key-encryption secret; the framework never changes an element (a revocation is a new one), so the table is
-- append-only for the client.
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
