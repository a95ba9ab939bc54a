-- The full UDI as devices send it, and the profile that provisions the device (portable to H2 and MariaDB;
-- may run again, as V1).
ALTER TABLE devices ADD COLUMN IF NOT EXISTS udi VARCHAR(160);
ALTER TABLE devices ADD COLUMN IF NOT EXISTS profile VARCHAR(253);
