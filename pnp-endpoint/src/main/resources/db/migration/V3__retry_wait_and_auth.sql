-- Whether a device is owed the retry backoff after a failed try, the background command it waits for (the
-- guestshell's start) and since when, and whether it asks for credentials (portable to H2 and MariaDB; may
-- run again, as V1).
ALTER TABLE devices ADD COLUMN IF NOT EXISTS backoff_due BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE devices ADD COLUMN IF NOT EXISTS waiting_step VARCHAR(32);
ALTER TABLE devices ADD COLUMN IF NOT EXISTS waiting_since DATETIME(3);
ALTER TABLE devices ADD COLUMN IF NOT EXISTS auth_required BOOLEAN DEFAULT FALSE NOT NULL;
