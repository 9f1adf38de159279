-- Sign-in codes go only to an address the resident gave at registration or confirmed themselves with a code: a
-- partner's change of the e-mail address or phone number is kept for delivery, but withdraws that channel's sign-in
-- key until the resident confirms an address (otherwise a partner could redirect the resident's sign-in). Everything
-- known so far was given at registration or confirmed by the resident.
ALTER TABLE residents ADD COLUMN email_sign_in_confirmed boolean NOT NULL DEFAULT true;
ALTER TABLE residents ADD COLUMN phone_sign_in_confirmed boolean NOT NULL DEFAULT true;

-- The public lookup answers by postcode (the nearest known house number), never by the exact home.
CREATE INDEX resident_addresses_postcode ON resident_addresses (postcode, house_number);
