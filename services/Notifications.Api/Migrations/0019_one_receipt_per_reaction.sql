-- A reaction's receipt is recorded once by this index rather than by the inbox: its consumer writes it in one
-- statement (ON CONFLICT DO NOTHING) without a transaction, on the path every reaction takes (issue 7). A fallback
-- letter for a receipt that could not be delivered is a second row, as for invitations.
CREATE UNIQUE INDEX notifications_one_receipt
    ON notifications (subject_id, resident_id) WHERE kind = 'reaction-received' AND fallback_for IS NULL;
