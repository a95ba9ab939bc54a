-- Whether a device's next request is implied by its stored state (its last stored change was its own answer being
-- applied), so handing that request out is not stored. False for devices stored before: their next request is
-- stored as before (portable to H2 and MariaDB; may run again, as V1).
ALTER TABLE devices ADD COLUMN IF NOT EXISTS request_implied BOOLEAN DEFAULT FALSE NOT NULL;
