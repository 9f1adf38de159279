-- Every change of a trajectory or its membership raises its version by one; the TrajectoryChanged event carries it,
-- so that a projection elsewhere applies a snapshot only when it is newer than the one it holds.
ALTER TABLE trajectories ADD COLUMN version bigint NOT NULL DEFAULT 0;

-- Trajectories created before their changes were published get one snapshot each, so that projections elsewhere
-- start complete. The payload is what the outbox writes for a TrajectoryChanged (JSON web names).
UPDATE trajectories SET version = 1;

INSERT INTO outbox_messages (id, message_type, payload)
SELECT gen_random_uuid(),
       'Participatie.Contracts.TrajectoryChanged, Participatie.Contracts',
       jsonb_build_object(
           'trajectoryId', t.id,
           'change', 'created',
           'version', t.version,
           'name', t.name,
           'buurtCodes', to_jsonb(t.buurt_codes),
           'leadPartnerId', t.lead_partner_id,
           'members', (SELECT coalesce(jsonb_agg(jsonb_build_object('partnerId', m.partner_id, 'role', m.role)
                                                 ORDER BY m.joined_at, m.partner_id), '[]'::jsonb)
                       FROM trajectory_members m WHERE m.trajectory_id = t.id),
           'changedAt', now())
FROM trajectories t
ORDER BY t.created_at, t.id;
