-- The partner that registers a resident (for example the corporation for its own tenants) holds the resident's
-- personal data on the platform; other partners see aggregates only.
ALTER TABLE residents ADD COLUMN registered_by_partner_id uuid;

-- The log records changes of personal data as well as reads; it is append-only.
ALTER TABLE personal_data_access_log ADD COLUMN action text NOT NULL DEFAULT 'read';

CREATE FUNCTION personal_data_access_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the personal data access log is append-only';
END
$$;

CREATE TRIGGER personal_data_access_log_append_only BEFORE UPDATE OR DELETE ON personal_data_access_log
    FOR EACH ROW EXECUTE FUNCTION personal_data_access_log_is_append_only();
