/**
 * Alert severities, lowest common vocabulary of Prometheus labels, Alertmanager routes and the
 * Grafana mirror. `none` is for alerts that page nobody (the Watchdog heartbeat).
 */
export const SEVERITIES = ["critical", "warning", "info", "none"] as const;

export type Severity = (typeof SEVERITIES)[number];

/** Severities that have a KMS receiver of their own (`none` goes to the heartbeat only). */
export const ROUTED_SEVERITIES = ["critical", "warning", "info"] as const;

export type RoutedSeverity = (typeof ROUTED_SEVERITIES)[number];
