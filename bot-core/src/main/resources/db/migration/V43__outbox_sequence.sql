-- Outbox ids are never given twice. An INTEGER PRIMARY KEY takes the largest id in the table plus one,
-- so once the outbox had emptied (every message delivered, or set aside) the next message took an id
-- used before: adapters send the id to the platform to recognise a post they already made (Slack
-- metadata, Discord nonce), and a set-aside message's id could clash with a later one's. The store
-- now takes ids from this counter, which starts past every id either table holds. Portable SQL.

CREATE TABLE outbox_sequence (
  name    VARCHAR(40) PRIMARY KEY,
  last_id BIGINT      NOT NULL
);
INSERT INTO outbox_sequence (name, last_id)
  SELECT 'outbox', MAX(m) FROM (
    SELECT COALESCE(MAX(id), 0) AS m FROM outbox
    UNION ALL SELECT COALESCE(MAX(id), 0) AS m FROM outbox_set_aside) AS ids;
