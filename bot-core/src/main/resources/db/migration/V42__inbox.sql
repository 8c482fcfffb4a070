-- The durable inbox at the edge: every inbound is written here before the platform request is
-- acknowledged, and marked done once the desk handled it. Portable SQL; instants are epoch milliseconds.

CREATE TABLE inbox (
  id          INTEGER      PRIMARY KEY,
  idem_key    VARCHAR(300) NOT NULL UNIQUE,
  platform    VARCHAR(40)  NOT NULL,
  body        TEXT         NOT NULL,
  extra       TEXT,
  received_ms BIGINT       NOT NULL,
  attempts    INTEGER      NOT NULL,
  done_ms     BIGINT
);
CREATE INDEX inbox_pending ON inbox (platform, id) WHERE done_ms IS NULL;

-- The last platform message seen per place (a channel, or a thread), for reading back the history
-- posted while the bot was down. position is a Slack ts or a Discord snowflake.
CREATE TABLE inbox_seen (
  platform VARCHAR(40)  NOT NULL,
  place    VARCHAR(300) NOT NULL,
  position VARCHAR(100) NOT NULL,
  PRIMARY KEY (platform, place)
);
