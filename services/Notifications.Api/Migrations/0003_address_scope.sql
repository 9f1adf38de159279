-- A consultation meant only for some addresses invites the residents the residents service names, not the buurt.
ALTER TABLE consultations ADD COLUMN address_scoped boolean NOT NULL DEFAULT false;
