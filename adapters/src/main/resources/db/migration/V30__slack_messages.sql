-- Slack adapter: where the desk's named messages live in Slack.
-- name is "thread:ACME-1" for a case's thread root or "status:ACME-1" for its status message;
-- ts is Slack's message timestamp, the id chat.update and thread_ts need.
CREATE TABLE slack_messages (
  workspace TEXT NOT NULL,
  name      TEXT NOT NULL,
  channel   TEXT NOT NULL,
  ts        TEXT NOT NULL,
  PRIMARY KEY (workspace, name)
);
CREATE INDEX slack_messages_by_ts ON slack_messages (workspace, channel, ts);
