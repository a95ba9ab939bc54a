-- Devices and their transition history. Written for both H2 (the embedded default) and MariaDB:
-- portable types only, times as UTC DATETIME(3), no engine-specific options. Every statement may run
-- again: MariaDB commits each DDL statement, so a migration cut off by an outage is run once more.

CREATE TABLE IF NOT EXISTS devices (
    serial             VARCHAR(32)   NOT NULL PRIMARY KEY,
    pid                VARCHAR(64)   NOT NULL,
    vid                VARCHAR(16)   NOT NULL,
    hostname           VARCHAR(255)  NOT NULL,
    ip_address         VARCHAR(64)   NOT NULL,
    step               VARCHAR(32)   NOT NULL,
    phase              VARCHAR(16)   NOT NULL,
    attempts           INT           NOT NULL,
    last_error         VARCHAR(2000),
    first_seen         DATETIME(3)   NOT NULL,
    last_contact       DATETIME(3)   NOT NULL,
    step_since         DATETIME(3)   NOT NULL,
    finished_at        DATETIME(3),
    running_version    VARCHAR(64),
    running_image      VARCHAR(255),
    bootflash_free     BIGINT,
    guestshell         VARCHAR(32),
    config_applied     BOOLEAN       NOT NULL,
    script_ran         BOOLEAN       NOT NULL,
    pending_correlator VARCHAR(255),
    pending_service    VARCHAR(32),
    last_correlator    VARCHAR(255),
    config_token       VARCHAR(64),
    transition_count   BIGINT        NOT NULL,
    revision           BIGINT        NOT NULL
);

CREATE INDEX IF NOT EXISTS devices_by_phase ON devices (phase);

CREATE TABLE IF NOT EXISTS transitions (
    serial      VARCHAR(32)   NOT NULL,
    seq         BIGINT        NOT NULL,
    from_step   VARCHAR(32)   NOT NULL,
    to_step     VARCHAR(32)   NOT NULL,
    phase       VARCHAR(16)   NOT NULL,
    work        VARCHAR(32)   NOT NULL,
    correlator  VARCHAR(255),
    result      VARCHAR(16)   NOT NULL,
    error       VARCHAR(2000),
    happened_at DATETIME(3)   NOT NULL,
    PRIMARY KEY (serial, seq)
);
