-- Bulk registrations under an Idempotency-Key: a retry with the same key by the same partner gets the first answer
-- again (and registers no one twice). The row is written in the same transaction as the residents, so the key
-- and what it registered commit or vanish together.
CREATE TABLE bulk_registrations (
    partner_id      uuid        NOT NULL,
    idempotency_key text        NOT NULL,
    request_hash    bytea       NOT NULL,
    result          json,
    received_at     timestamptz NOT NULL,
    PRIMARY KEY (partner_id, idempotency_key)
);
