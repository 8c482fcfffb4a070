-- Emergency maintenance (started at once, without notice) and cancelled maintenance windows. A
-- cancelled window keeps its row (its cancellation notice is announced from it) and no longer counts
-- anywhere. Instants are epoch milliseconds. Portable SQL.

ALTER TABLE availability_maintenance ADD COLUMN emergency BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE availability_maintenance ADD COLUMN cancelled_ms BIGINT;
ALTER TABLE availability_maintenance ADD COLUMN cancelled_by VARCHAR(300);
ALTER TABLE availability_maintenance ADD COLUMN cancel_note TEXT;
