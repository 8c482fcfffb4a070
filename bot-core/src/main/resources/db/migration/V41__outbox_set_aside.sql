-- Messages the outbox gave up on after too many failed attempts (Backoff.giveUpAfter), moved out
-- of the outbox so that their lane goes on; kept for the record and for an operator to look at.

CREATE TABLE outbox_set_aside (
  id             INTEGER      PRIMARY KEY,
  lane           VARCHAR(400) NOT NULL,
  kind           VARCHAR(40)  NOT NULL,
  body           TEXT         NOT NULL,
  recorded_ms    BIGINT       NOT NULL,
  attempts       INTEGER      NOT NULL,
  set_aside_ms   BIGINT       NOT NULL,
  reason         TEXT         NOT NULL
);
