-- The adapters' tables on PostgreSQL (db/migration V30 on SQLite; discord_refs is created by DiscordRefs there).
CREATE TABLE slack_messages (
  workspace TEXT NOT NULL,
  name      TEXT NOT NULL,
  channel   TEXT NOT NULL,
  ts        TEXT NOT NULL,
  PRIMARY KEY (workspace, name)
);
CREATE INDEX slack_messages_by_ts ON slack_messages (workspace, channel, ts);

CREATE TABLE discord_refs (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
