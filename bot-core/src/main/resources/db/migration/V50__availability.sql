-- Service availability (policy section "availability"): outages recorded by the vendor's engineers
-- (/outage start|end) and planned maintenance windows (/maintenance schedule). Instants are epoch
-- milliseconds; an outage still going on has no end. Portable SQL.

CREATE TABLE availability_outages (
  id         INTEGER       PRIMARY KEY,
  started_ms BIGINT        NOT NULL,
  ended_ms   BIGINT,
  started_by VARCHAR(300)  NOT NULL,
  note       TEXT          NOT NULL,
  end_note   TEXT
);
CREATE INDEX availability_outages_start ON availability_outages (started_ms);

CREATE TABLE availability_maintenance (
  id           INTEGER      PRIMARY KEY,
  starts_ms    BIGINT       NOT NULL,
  ends_ms      BIGINT       NOT NULL,
  scheduled_ms BIGINT       NOT NULL,
  scheduled_by VARCHAR(300) NOT NULL,
  note         TEXT         NOT NULL
);
CREATE INDEX availability_maintenance_start ON availability_maintenance (starts_ms);
