-- Area grants are announced (PartnerAreasChanged, issue 11 part 3) so that the residents service confines
-- registrations and counts to them, and they are audited beside the credential actions: who granted which areas,
-- when, and whether the operator acted.
ALTER TABLE credential_audit DROP CONSTRAINT credential_audit_subject_kind_check;
ALTER TABLE credential_audit ADD CONSTRAINT credential_audit_subject_kind_check CHECK (subject_kind IN ('client', 'staff', 'areas'));

-- Areas granted before they were announced get one announcement each, so that the residents service starts
-- complete. The payload is what the outbox writes for a PartnerAreasChanged (JSON web names).
INSERT INTO outbox_messages (id, message_type, payload)
SELECT gen_random_uuid(),
       'Participatie.Contracts.PartnerAreasChanged, Participatie.Contracts',
       jsonb_build_object(
           'partnerId', a.partner_id,
           'areaCodes', to_jsonb(array_agg(a.area_code ORDER BY a.area_code)),
           'changedAt', now())
FROM partner_areas a
GROUP BY a.partner_id
ORDER BY a.partner_id;
