-- Run once, when the PostgreSQL volume is new (docker-entrypoint-initdb.d): a database per service and web client, owned by the
-- owner role the migration jobs connect as (POSTGRES_USER). The services' own roles are made by their migrators.
CREATE DATABASE partnersdb;
CREATE DATABASE residentsdb;
CREATE DATABASE consultationsdb;
CREATE DATABASE notificationsdb;
-- The web clients' key rings (BuildingBlocks/DataProtection/WebClientKeyRing.cs), one small database each.
CREATE DATABASE residentportaldb;
CREATE DATABASE partnerconsoledb;
