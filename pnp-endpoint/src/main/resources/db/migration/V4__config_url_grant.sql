-- The day-0 config URL as a grant: config_token now holds the SHA-256 of the URL's secret (never the secret),
-- with when it was sent and to which address. A secret stored in clear by an earlier version is dropped: its
-- device gets a new URL at its next work request. Portable to H2 and MariaDB; may run again, as V1.
UPDATE devices SET config_token = NULL WHERE config_token IS NOT NULL AND CHAR_LENGTH(config_token) <> 64;
ALTER TABLE devices ADD COLUMN IF NOT EXISTS config_issued_at DATETIME(3);
ALTER TABLE devices ADD COLUMN IF NOT EXISTS config_bound_to VARCHAR(64);
