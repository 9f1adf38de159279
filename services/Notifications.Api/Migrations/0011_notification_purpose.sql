-- Consent is checked again when a notification goes out, not only when it is made: a notification made while the
-- resident was withdrawing consent could otherwise still be sent. Its purpose (NotificationPurposes.Of(kind)) is kept
-- with it; null for what the resident asked for themselves (a sign-in or confirmation code), which needs no consent.
ALTER TABLE notifications ADD COLUMN purpose text;

-- The notifications made before, by the rule of NotificationPurposes at the time: every kind but the codes is about
-- taking part.
UPDATE notifications SET purpose = 'participation'
WHERE kind IN ('consultation-opened', 'reaction-received', 'reaction-answered', 'phase-changed', 'digest') OR kind LIKE 'meeting-%';
