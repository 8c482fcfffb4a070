/**
 * The operators' endpoint of {@code supportbot run}: {@link org.supportbot.app.ops.OpsMetrics} (Micrometer,
 * Prometheus text format) and {@link org.supportbot.app.ops.HealthCheck}, served by
 * {@link org.supportbot.app.ops.OpsServer} as {@code GET /metrics} and {@code GET /health}.
 */
package org.supportbot.app.ops;
