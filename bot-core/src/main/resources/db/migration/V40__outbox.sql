-- The outbox of the chat desk: messages rendered from the incident log wait here until an adapter
-- reports them sent (then the row is deleted). Portable SQL; instants are epoch milliseconds.
-- Numbered past the adapters' migrations (V30) so that databases they created upgrade in order.

CREATE TABLE outbox (
  id              INTEGER      PRIMARY KEY,
  lane            VARCHAR(400) NOT NULL,
  kind            VARCHAR(40)  NOT NULL,
  body            TEXT         NOT NULL,
  recorded_ms     BIGINT       NOT NULL,
  attempts        INTEGER      NOT NULL,
  next_attempt_ms BIGINT       NOT NULL
);

-- The id of the last incident event whose messages were recorded in the outbox. A database that
-- existed before the outbox starts at its last event: those events' messages were sent then.
CREATE TABLE outbox_cursor (
  name          VARCHAR(40) PRIMARY KEY,
  last_event_id BIGINT      NOT NULL
);
INSERT INTO outbox_cursor (name, last_event_id)
  SELECT 'events', COALESCE(MAX(id), 0) FROM incident_events;
