-- One row the health check writes, to tell whether the database takes writes now (a full disk answers reads
-- and refuses writes). Portable to H2 and MariaDB; may run again, as V1.
CREATE TABLE IF NOT EXISTS store_heartbeat (
    id         INT           NOT NULL PRIMARY KEY,
    checked_at DATETIME(3)   NOT NULL
);
