-- The embedded store (SQLite): the tables db/migration builds for MariaDB step by step (V1 to V9 there), as they
-- stand now, in one migration. A later change of the schema is written twice, once here and once there. Times are
-- UTC text as JDBC writes a LocalDateTime, whose order is the text's; booleans are 0 or 1.

CREATE TABLE devices (
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
    revision           BIGINT        NOT NULL,
    udi                VARCHAR(160),
    profile            VARCHAR(253),
    backoff_due        BOOLEAN       DEFAULT FALSE NOT NULL,
    waiting_step       VARCHAR(32),
    waiting_since      DATETIME(3),
    auth_required      BOOLEAN       DEFAULT FALSE NOT NULL,
    config_issued_at   DATETIME(3),
    config_bound_to    VARCHAR(64),
    auth_challenge     VARCHAR(128),
    proven_as          VARCHAR(255),
    in_line            INT,
    request_implied    BOOLEAN       DEFAULT FALSE NOT NULL
);

CREATE INDEX devices_by_phase ON devices (phase);

CREATE TABLE transitions (
    serial      VARCHAR(32)   NOT NULL,
    seq         BIGINT        NOT NULL,
    from_step   VARCHAR(32)   NOT NULL,
    to_step     VARCHAR(32)   NOT NULL,
    phase       VARCHAR(16)   NOT NULL,
    work        VARCHAR(32)   NOT NULL,
    correlator  VARCHAR(255),
    result      VARCHAR(255)  NOT NULL,
    error       VARCHAR(2000),
    happened_at DATETIME(3)   NOT NULL,
    PRIMARY KEY (serial, seq)
);

CREATE TABLE store_heartbeat (
    id         INT           NOT NULL PRIMARY KEY,
    checked_at DATETIME(3)   NOT NULL
);

CREATE TABLE install_slots (
    profile   VARCHAR(253) NOT NULL,
    serial    VARCHAR(32)  NOT NULL,
    taken_at  DATETIME(3)  NOT NULL,
    PRIMARY KEY (profile, serial)
);

CREATE TABLE rollouts (
    profile   VARCHAR(253) NOT NULL PRIMARY KEY
);
