-- Bounded rollouts: a device's place in line for an image install, the slots taken per profile, and one row per
-- profile that admissions lock, so that servers sharing a database never let more installs through than the limit
-- (portable to H2 and MariaDB; may run again, as V1).
ALTER TABLE devices ADD COLUMN IF NOT EXISTS in_line INT;

CREATE TABLE IF NOT EXISTS install_slots (
    profile   VARCHAR(253) NOT NULL,
    serial    VARCHAR(32)  NOT NULL,
    taken_at  DATETIME(3)  NOT NULL,
    PRIMARY KEY (profile, serial)
);

CREATE TABLE IF NOT EXISTS rollouts (
    profile   VARCHAR(253) NOT NULL PRIMARY KEY
);
