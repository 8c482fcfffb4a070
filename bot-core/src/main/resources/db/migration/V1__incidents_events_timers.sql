-- Schema of the supportbot desk. Portable SQL (SQLite and PostgreSQL): plain types, ON CONFLICT
-- upserts in the code, no SQLite-only column types. Instants are epoch milliseconds.

CREATE TABLE organizations (
  id        VARCHAR(100) PRIMARY KEY,
  org_key   VARCHAR(10)  NOT NULL UNIQUE,
  body      TEXT         NOT NULL
);

CREATE TABLE channel_bindings (
  platform        VARCHAR(40)  NOT NULL,
  workspace       VARCHAR(100) NOT NULL,
  channel         VARCHAR(100) NOT NULL,
  organization_id VARCHAR(100) NOT NULL,
  PRIMARY KEY (platform, workspace, channel)
);

CREATE TABLE contacts (
  organization_id VARCHAR(100) NOT NULL,
  identity        VARCHAR(300) NOT NULL,
  name            VARCHAR(200) NOT NULL,
  PRIMARY KEY (organization_id, identity)
);

CREATE TABLE engineers (
  identity VARCHAR(300) PRIMARY KEY,
  name     VARCHAR(200) NOT NULL,
  role     VARCHAR(20)  NOT NULL
);

CREATE TABLE incidents (
  number          VARCHAR(24)  PRIMARY KEY,
  org_key         VARCHAR(10)  NOT NULL,
  seq             INTEGER      NOT NULL,
  organization_id VARCHAR(100) NOT NULL,
  state           VARCHAR(24)  NOT NULL,
  is_open         INTEGER      NOT NULL,
  is_active       INTEGER      NOT NULL,
  claimed_by      VARCHAR(300),
  next_deadline_ms BIGINT,
  free_task       INTEGER      NOT NULL,
  platform        VARCHAR(40)  NOT NULL,
  workspace       VARCHAR(100) NOT NULL,
  channel         VARCHAR(100) NOT NULL,
  thread          VARCHAR(100) NOT NULL,
  event_count     BIGINT       NOT NULL,
  snapshot        TEXT         NOT NULL,
  UNIQUE (org_key, seq)
);
CREATE INDEX incidents_by_place ON incidents (platform, workspace, channel, thread, is_open);
CREATE INDEX incidents_by_org ON incidents (organization_id, is_open);
-- Partial indexes: a new, unclaimed case touches neither the claim index nor, once finished, the queue.
CREATE INDEX incidents_by_claim ON incidents (claimed_by) WHERE claimed_by IS NOT NULL;
CREATE INDEX incidents_queue ON incidents (next_deadline_ms) WHERE is_active = 1;

-- The append-only log. (incident, seq) is the position in one incident's log; id orders all events.
CREATE TABLE incident_events (
  id              INTEGER      PRIMARY KEY,
  incident        VARCHAR(24)  NOT NULL,
  seq             BIGINT       NOT NULL,
  type            VARCHAR(40)  NOT NULL,
  at_ms           BIGINT       NOT NULL,
  actor           VARCHAR(300) NOT NULL,
  idempotency_key VARCHAR(300) NOT NULL,
  message_id      VARCHAR(200),
  body            TEXT         NOT NULL,
  UNIQUE (incident, seq)
);

-- Durable timers: keyed by (incident, kind, deadline version); fired_ms is set in the transaction
-- that applies the firing's effect.
CREATE TABLE timers (
  incident  VARCHAR(24)  NOT NULL,
  kind      VARCHAR(80)  NOT NULL,
  version   BIGINT       NOT NULL,
  due_ms    BIGINT       NOT NULL,
  fired_ms  BIGINT,
  PRIMARY KEY (incident, kind, version)
);
CREATE INDEX timers_due ON timers (due_ms) WHERE fired_ms IS NULL;

-- Idempotency: the first outcome of every command, by the platform's event or interaction id.
CREATE TABLE command_outcomes (
  idempotency_key VARCHAR(300) PRIMARY KEY,
  outcome         TEXT         NOT NULL,
  recorded_ms     BIGINT       NOT NULL
);
