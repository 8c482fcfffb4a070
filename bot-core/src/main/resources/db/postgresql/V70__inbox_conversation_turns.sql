-- Per-conversation order of inbox entries across instances (issue 16). Each entry names its
-- conversation (a case thread, or a person in a channel: Inbound.conversation()); an instance
-- handles an entry only when no earlier entry of its conversation is pending and no other live
-- instance holds the conversation's turn. Entries written before this version have no
-- conversation and are handled without that check.
ALTER TABLE inbox ADD COLUMN conversation TEXT;
CREATE INDEX inbox_conversation_pending ON inbox (conversation, id) WHERE done_ms IS NULL;

-- Who is handling an entry of a conversation, until when (renewed every tick, like the inbox
-- leases); a row exists only while an instance holds the turn.
CREATE TABLE inbox_turns (
  conversation   TEXT         PRIMARY KEY,
  holder         VARCHAR(100) NOT NULL,
  lease_until_ms BIGINT       NOT NULL
);
