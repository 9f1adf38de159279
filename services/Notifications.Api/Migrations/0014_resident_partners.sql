-- Which partners registered (or were linked to) each resident, from ResidentRegistered and ResidentsLinkedToPartner:
-- a partner lists only the notifications of its own residents (their ids, language and channel), and sees the others
-- only as counts. Residents registered before this projection existed have no row, so no partner lists theirs.
CREATE TABLE resident_partners (
    resident_id uuid NOT NULL,
    partner_id  uuid NOT NULL,
    PRIMARY KEY (resident_id, partner_id)
);
