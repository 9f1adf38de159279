-- Partners confined to their area (issue 11, part 3): the operator grants each partner the gemeenten (CBS code
-- GM0363) or single buurten (BU03630000) it works in, and a trajectory's buurten must lie inside its lead's areas.
-- Existing partners get no area: until the operator grants one they cannot start a trajectory (their existing
-- trajectories are untouched). The demo seed and the test fixtures grant their partners' areas explicitly.
CREATE TABLE partner_areas (
    partner_id uuid        NOT NULL REFERENCES partners (id),
    area_code  text        NOT NULL CHECK (area_code ~ '^(GM[0-9]{4}|BU[0-9]{8})$'),
    granted_at timestamptz NOT NULL,
    PRIMARY KEY (partner_id, area_code)
);
