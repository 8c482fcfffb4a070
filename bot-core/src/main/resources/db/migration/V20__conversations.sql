-- Conversations of the chat desk: unfinished intakes, handled inbound keys, deferred pings, marks.
-- Portable SQL (SQLite and PostgreSQL). Instants are epoch milliseconds.

CREATE TABLE intakes (
  platform      VARCHAR(40)  NOT NULL,
  workspace     VARCHAR(100) NOT NULL,
  channel       VARCHAR(100) NOT NULL,
  person        VARCHAR(300) NOT NULL,
  last_activity BIGINT       NOT NULL,
  body          TEXT         NOT NULL,
  PRIMARY KEY (platform, workspace, channel, person)
);

CREATE TABLE inbound_handled (
  idem_key   VARCHAR(300) PRIMARY KEY,
  handled_at BIGINT       NOT NULL
);

CREATE TABLE deferred_pings (
  id         INTEGER PRIMARY KEY,
  release_at BIGINT  NOT NULL,
  body       TEXT    NOT NULL
);

CREATE INDEX deferred_pings_due ON deferred_pings (release_at);

CREATE TABLE desk_marks (
  name  VARCHAR(100) PRIMARY KEY,
  value TEXT         NOT NULL
);
