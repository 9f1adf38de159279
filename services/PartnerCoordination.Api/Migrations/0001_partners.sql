-- Partner organisations that take part in trajectories: municipalities, housing corporations, social institutions.
CREATE TABLE partners (
    id              uuid PRIMARY KEY,
    name            text        NOT NULL,
    kind            text        NOT NULL,
    registry_number text,
    registered_at   timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX partners_registry_number ON partners (registry_number) WHERE registry_number IS NOT NULL;
