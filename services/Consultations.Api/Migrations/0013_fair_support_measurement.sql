-- A fair and verifiable draagvlakmeting (issue 11): the platform sends the voting codes itself, partners enter only
-- signed paper forms and never overwrite a resident's vote, every trajectory member reads the log, homes that are
-- vacant or owner-occupied can be excluded with a reason, and at closing home and choice are unlinked.

-- Who cast a home's current vote ('resident' or 'partner', with the partner), so that a partner's paper form cannot
-- replace what the resident cast; and the hash of the vote's receipt (see support_vote_log.receipt_hash).
ALTER TABLE support_measurement_homes
    ADD COLUMN cast_by            text CHECK (cast_by IN ('resident', 'partner')),
    ADD COLUMN cast_by_partner_id uuid,
    ADD COLUMN receipt_hash       bytea,
    -- The law counts tenants: a vacant or owner-occupied home is left out of the count, with a reason all members read.
    ADD COLUMN excluded_reason        text CHECK (excluded_reason IN ('vacant', 'owner-occupied')),
    ADD COLUMN excluded_note          text CHECK (length(excluded_note) <= 500),
    ADD COLUMN excluded_at            timestamptz,
    ADD COLUMN excluded_by_partner_id uuid,
    ADD CONSTRAINT support_measurement_homes_exclusion CHECK (num_nulls(excluded_reason, excluded_at, excluded_by_partner_id) IN (0, 3));

-- The log also keeps the receipt hash of each vote: HMAC-SHA256 keyed with a random salt that only the voter got, over
-- measurement id, home key and choice. Once the measurement closes the home key is cut from the log (and from the
-- homes), so that nobody can tell how an address voted, while the voter can still find their own vote by its hash.
-- staff_subject: the token subject that entered a partner's vote (the staff member, or the system client).
ALTER TABLE support_vote_log
    ADD COLUMN receipt_hash  bytea,
    ADD COLUMN staff_subject text,
    ALTER COLUMN home_key DROP NOT NULL;

-- Still append-only, with two exceptions: the link to a resident may be cut (erasure), and the home key is cut when
-- the measurement closes; the rest of the row stays.
CREATE OR REPLACE FUNCTION support_vote_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND (NEW.resident_id IS NULL OR NEW.resident_id = OLD.resident_id)
        AND (NEW.home_key IS NULL OR NEW.home_key = OLD.home_key)
        AND (to_jsonb(NEW) - 'resident_id' - 'home_key') = (to_jsonb(OLD) - 'resident_id' - 'home_key') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the support vote log is append-only';
END
$$;

-- The votes that counted, without their homes: written when the measurement closes, never changed. A home checks
-- its receipt hash here; the counts of the result can be recounted from these rows.
CREATE TABLE support_counted_votes (
    measurement_id uuid  NOT NULL REFERENCES support_measurements (id),
    receipt_hash   bytea NOT NULL,
    choice         text  NOT NULL CHECK (choice IN ('agree', 'disagree')),
    PRIMARY KEY (measurement_id, receipt_hash)
);

CREATE FUNCTION support_counted_votes_are_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the counted votes of a support measurement are final';
END
$$;

CREATE TRIGGER support_counted_votes_final BEFORE UPDATE OR DELETE ON support_counted_votes
    FOR EACH ROW EXECUTE FUNCTION support_counted_votes_are_final();
CREATE TRIGGER support_counted_votes_no_truncate BEFORE TRUNCATE ON support_counted_votes
    FOR EACH STATEMENT EXECUTE FUNCTION support_counted_votes_are_final();

-- The final result also says how many homes were left out (NULL, read as none, for measurements closed before), and tracks the written notice of the result to the
-- tenants and the 8 weeks (art. 7:220 lid 3 BW, ending on a working day) in which a tenant can go to court.
ALTER TABLE support_measurements
    ADD COLUMN final_excluded       integer,
    ADD COLUMN notice_requested_at  timestamptz,
    ADD COLUMN court_period_ends_on date;

-- A home's vote and exclusion change while the measurement is open; its address, position and code never.
CREATE OR REPLACE FUNCTION support_measurement_home_is_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'the homes of a support measurement are never deleted';
    END IF;
    IF NEW.measurement_id <> OLD.measurement_id OR NEW.home_key <> OLD.home_key OR NEW.position <> OLD.position
        OR NEW.code_hash <> OLD.code_hash THEN
        RAISE EXCEPTION 'only the vote of a home changes';
    END IF;
    IF OLD.excluded_reason IS NOT NULL AND NEW.excluded_reason IS DISTINCT FROM OLD.excluded_reason THEN
        RAISE EXCEPTION 'an excluded home stays excluded';
    END IF;
    IF EXISTS (SELECT 1 FROM support_measurements WHERE id = OLD.measurement_id AND closed_at IS NOT NULL) THEN
        RAISE EXCEPTION 'support measurement % is closed; its votes are final', OLD.measurement_id;
    END IF;
    RETURN NEW;
END
$$;

-- Partner coordination blanks relayed sign-in codes the same way: the relay marks the row published, and in that
-- same update the codes leave the database, so that no code can be read back from the outbox it is kept in.
CREATE FUNCTION blank_relayed_voting_codes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.payload := jsonb_set(NEW.payload, '{homes}', (
        SELECT coalesce(jsonb_agg(home || '{"code": ""}'::jsonb ORDER BY position), '[]'::jsonb)
        FROM jsonb_array_elements(NEW.payload -> 'homes') WITH ORDINALITY AS h (home, position)));
    RETURN NEW;
END;
$$;

CREATE TRIGGER outbox_messages_blank_relayed_voting_codes
BEFORE UPDATE OF published_at ON outbox_messages
FOR EACH ROW
WHEN (NEW.published_at IS NOT NULL AND NEW.message_type LIKE 'Participatie.Contracts.SupportVotingCodesIssued,%')
EXECUTE FUNCTION blank_relayed_voting_codes();
