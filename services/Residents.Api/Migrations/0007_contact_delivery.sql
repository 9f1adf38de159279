-- Delivery by channel (issue 8). A letter needs the street and the city as well as the postcode and house number;
-- both are optional, since a Dutch postcode and house number already find the home.
ALTER TABLE residents ADD COLUMN street text;
ALTER TABLE residents ADD COLUMN city text;

-- How often the resident wants messages: at once, or joined into a daily or weekly digest.
ALTER TABLE residents ADD COLUMN digest_frequency text NOT NULL DEFAULT 'immediately'
    CONSTRAINT residents_digest_frequency CHECK (digest_frequency IN ('immediately', 'daily', 'weekly'));

-- When a bounce or a provider's failure report said the address does not work: it is not disclosed for delivery
-- again until the resident gives a new one.
ALTER TABLE residents ADD COLUMN email_undeliverable_at timestamptz;
ALTER TABLE residents ADD COLUMN phone_undeliverable_at timestamptz;
