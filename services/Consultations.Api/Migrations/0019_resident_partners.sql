-- Which partners registered (or were linked to) each resident, from ResidentRegistered and ResidentsLinkedToPartner:
-- a partner sees the pseudonymous id on reactions and meeting registrations only of its own residents. Residents
-- registered before this projection existed have no row, so their ids are shown to no partner (privacy first).
CREATE TABLE resident_partners (
    resident_id uuid NOT NULL,
    partner_id  uuid NOT NULL,
    PRIMARY KEY (resident_id, partner_id)
);
