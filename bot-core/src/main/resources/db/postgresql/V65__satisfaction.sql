-- Customer satisfaction after resolve: one rating (1-5) and an optional comment per case, asked with
-- buttons when the case is resolved and given with /rate. A later answer replaces the earlier one (a
-- later answer without a comment keeps the earlier comment). The engineer is the one the rating is
-- counted for (the case's owner, or else who resolved it). Instants are epoch milliseconds.
-- PostgreSQL twin of db/migration/V65__satisfaction.sql.

CREATE TABLE satisfaction (
  incident        VARCHAR(40)  PRIMARY KEY,
  organization_id VARCHAR(100) NOT NULL,
  engineer        VARCHAR(300),
  score           INTEGER      NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment         TEXT         NOT NULL,
  rated_by        VARCHAR(300) NOT NULL,
  rated_ms        BIGINT       NOT NULL
);
CREATE INDEX satisfaction_rated ON satisfaction (rated_ms);
