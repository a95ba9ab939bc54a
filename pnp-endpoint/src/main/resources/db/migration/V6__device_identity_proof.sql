-- The device-auth challenge in flight, and who a device proved to be with its SUDI certificate (portable to H2
-- and MariaDB; may run again, as V1).
ALTER TABLE devices ADD COLUMN IF NOT EXISTS auth_challenge VARCHAR(128);
ALTER TABLE devices ADD COLUMN IF NOT EXISTS proven_as VARCHAR(255);
