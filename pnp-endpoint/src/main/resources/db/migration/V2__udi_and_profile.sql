-- The full UDI as devices send it, and the profile that provisions the device (portable to H2 and MariaDB).
ALTER TABLE devices ADD COLUMN udi VARCHAR(160);
ALTER TABLE devices ADD COLUMN profile VARCHAR(253);
