/**
 * The operators' endpoint of {@code supportbot run}: {@link org.supportbot.app.ops.OpsMetrics} (Micrometer,
 * Prometheus text format) and {@link org.supportbot.app.ops.HealthCheck}, served by
 * {@link org.supportbot.app.ops.OpsServer} as {@code GET /metrics} and {@code GET /health};
 * {@link org.supportbot.app.ops.RefusalWatch} tells the health check when a platform refuses every call.
 */
package org.supportbot.app.ops;
