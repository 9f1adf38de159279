-- A partner's own logo, shown to its staff in the partner console: one small image per partner (PNG or SVG, at most
-- 50 KB, checked by the API), replaced as a whole.
CREATE TABLE partner_logos (
    partner_id   uuid        PRIMARY KEY REFERENCES partners (id),
    content_type text        NOT NULL CHECK (content_type IN ('image/png', 'image/svg+xml')),
    content      bytea       NOT NULL CHECK (octet_length(content) <= 51200),
    updated_at   timestamptz NOT NULL
);
