-- The gemeenten and buurten each partner works in (issue 11, part 3), as partner coordination announces them with
-- PartnerAreasChanged: a partner registers residents, and counts them, only inside its areas. One row per partner
-- with the whole set; changed_at orders the announcements, so a late redelivery cannot bring back an older set.
CREATE TABLE partner_areas (
    partner_id uuid        PRIMARY KEY,
    area_codes text[]      NOT NULL,
    changed_at timestamptz NOT NULL
);
