-- Draagvlakmeting (art. 7:220 BW): tenants vote on a corporation's renovation proposal, one vote per rental home.
-- Homes are addresses, never residents: no personal data is stored here. Each home's voting code is stored only as a
-- hash. Once closed, a measurement's counts are frozen into its row and neither it nor its homes change again.
CREATE TABLE support_measurements (
    id                   uuid PRIMARY KEY,
    trajectory_id        uuid        NOT NULL,
    partner_id           uuid        NOT NULL,
    title                text        NOT NULL,
    proposal             text        NOT NULL,
    deadline             timestamptz NOT NULL,
    home_count           integer     NOT NULL CHECK (home_count >= 10),
    created_at           timestamptz NOT NULL,
    -- Set together when the measurement closes (by its owner, or at the deadline): the final result.
    closed_at            timestamptz,
    closed_by_partner_id uuid,
    final_votes          integer,
    final_agreeing       integer,
    final_disagreeing    integer,
    CHECK (num_nulls(closed_at, final_votes, final_agreeing, final_disagreeing) IN (0, 4)),
    CHECK (final_agreeing + final_disagreeing = final_votes AND final_votes <= home_count)
);

CREATE INDEX support_measurements_trajectory ON support_measurements (trajectory_id, created_at);

-- A home's current vote; voting again replaces it, so a home is never counted twice.
CREATE TABLE support_measurement_homes (
    measurement_id uuid        NOT NULL REFERENCES support_measurements (id),
    home_key       text        NOT NULL,
    position       integer     NOT NULL,
    code_hash      bytea       NOT NULL,
    choice         text        CHECK (choice IN ('agree', 'disagree')),
    channel        text,
    voted_at       timestamptz,
    PRIMARY KEY (measurement_id, home_key),
    UNIQUE (measurement_id, code_hash)
);

-- Every vote and every change of a vote, with the partner and client that entered it. Append-only: the API never
-- changes a row and the database refuses to.
CREATE TABLE support_vote_log (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    measurement_id  uuid        NOT NULL,
    home_key        text        NOT NULL,
    choice          text        NOT NULL,
    previous_choice text,
    channel         text        NOT NULL,
    recorded_at     timestamptz NOT NULL,
    partner_id      uuid        NOT NULL,
    client_id       text,
    FOREIGN KEY (measurement_id, home_key) REFERENCES support_measurement_homes (measurement_id, home_key)
);

CREATE INDEX support_vote_log_measurement ON support_vote_log (measurement_id, id);

CREATE FUNCTION support_vote_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the support vote log is append-only';
END
$$;

CREATE TRIGGER support_vote_log_append_only BEFORE UPDATE OR DELETE ON support_vote_log
    FOR EACH ROW EXECUTE FUNCTION support_vote_log_is_append_only();
CREATE TRIGGER support_vote_log_no_truncate BEFORE TRUNCATE ON support_vote_log
    FOR EACH STATEMENT EXECUTE FUNCTION support_vote_log_is_append_only();

-- A measurement is never deleted, and a closed one never changes: its result is final.
CREATE FUNCTION support_measurement_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'support measurements are never deleted';
    END IF;
    IF OLD.closed_at IS NOT NULL THEN
        RAISE EXCEPTION 'support measurement % is closed; its result is final', OLD.id;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER support_measurements_final BEFORE UPDATE OR DELETE ON support_measurements
    FOR EACH ROW EXECUTE FUNCTION support_measurement_is_final();

-- The complex is fixed at creation; only a home's vote changes, and only while the measurement is open.
CREATE FUNCTION support_measurement_home_is_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'the homes of a support measurement are never deleted';
    END IF;
    IF NEW.measurement_id <> OLD.measurement_id OR NEW.home_key <> OLD.home_key OR NEW.position <> OLD.position
        OR NEW.code_hash <> OLD.code_hash THEN
        RAISE EXCEPTION 'only the vote of a home changes';
    END IF;
    IF EXISTS (SELECT 1 FROM support_measurements WHERE id = OLD.measurement_id AND closed_at IS NOT NULL) THEN
        RAISE EXCEPTION 'support measurement % is closed; its votes are final', OLD.measurement_id;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER support_measurement_homes_fixed BEFORE UPDATE OR DELETE ON support_measurement_homes
    FOR EACH ROW EXECUTE FUNCTION support_measurement_home_is_fixed();
