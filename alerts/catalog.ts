import { WATCHDOG } from "./routing";
import { Severity } from "../shared/severity";

/**
 * The alert catalog: every alert of seeds 001 (prometheus/rules/kms.yml), 002 (ops/alerts/kms.yml)
 * and 003 (AWS KMS client), true duplicates folded (see `foldedFrom` and docs/alerting.md), plus
 * the Watchdog. Rule files, routes, runbooks, the Grafana mirror and the tests all read this list.
 */

/** The dashboard every KMS alert links to (dashboards/ builds it with this uid). */
export const DASHBOARD_UID = "kms-crypto-health";

export interface AlertSpec {
    /** Alert name (`alertname` label); KMS alerts start with `KMS` so the KMS route matches them. */
    readonly name: string;
    readonly severity: Severity;
    /** PromQL; every series it returns must carry `env` and `service` (routing and inhibition group on them). */
    readonly expr: string;
    /** How long the condition must hold before firing; `0s` fires on the first evaluation. */
    readonly for: string;
    /** One line; Go template with `$labels`. */
    readonly summary: string;
    /** What is happening and why it matters; Go template with `$labels` and `$value`. */
    readonly description: string;
    /** Anchor of the alert's section in docs/runbooks/kms-alerts.md (GitHub heading slug). */
    readonly runbookAnchor: string;
    /** Dashboard the notification links to, and the panel to open, if one shows exactly this signal. */
    readonly dashboard: { readonly uid: typeof DASHBOARD_UID; readonly panelId?: number };
    /** Seed alerts that meant the same thing and were folded into this one. */
    readonly foldedFrom?: readonly string[];
}

/**
 * Panels of `kms-crypto-health` that show exactly an alert's signal (ids are stable in
 * dashboards/kms-crypto-health.ts; a test keeps the two equal). Kept here as numbers so the catalog
 * loads without the dashboard SDK.
 */
export const DASHBOARD_PANELS = { mode: 2, ready: 3, uptime: 4, decryptionErrors: 5 } as const;

const at = (name: string, panel?: keyof typeof DASHBOARD_PANELS) => ({
    runbookAnchor: name.toLowerCase(),
    dashboard: { uid: DASHBOARD_UID, ...(panel ? { panelId: DASHBOARD_PANELS[panel] } : {}) } as const,
});
const where = "{{ $labels.service }} in {{ $labels.env }}";

export const ALERTS: readonly AlertSpec[] = [
    {
        name: "KMSCryptoModeNotKMS", severity: "critical", for: "5m", ...at("KMSCryptoModeNotKMS", "mode"),
        expr: "crypto_mode == 0",
        summary: `Crypto is not using Cloud KMS: ${where}`,
        description: "{{ $labels.instance }} has run on the environment-key fallback (crypto_mode=0) for 5 minutes: " +
            "data keys are not protected by the KMS key encryption key.",
        foldedFrom: ["KMSModeNotActive (seed 002 ops/alerts/kms.yml)"],
    },
    {
        name: "KMSCryptoNotReady", severity: "critical", for: "5m", ...at("KMSCryptoNotReady", "ready"),
        expr: "crypto_ready == 0",
        summary: `Crypto not ready: ${where}`,
        description: "{{ $labels.instance }} reports crypto_ready=0 for 5 minutes: it cannot encrypt or decrypt " +
            "(KEK unreachable, database down or no active DEK).",
        foldedFrom: ["KMSCryptoNotReady (seed 002 ops/alerts/kms.yml, same name and condition)"],
    },
    {
        name: "KMSHealthChecksFailing", severity: "critical", for: "0s", ...at("KMSHealthChecksFailing"),
        // No successful blackbox probe of /healthz in the last 5 minutes.
        expr: 'max_over_time(probe_success{job="blackbox-healthz"}[5m]) == 0',
        summary: `/healthz unreachable: ${where}`,
        description: "No successful blackbox probe (probe_success{job=\"blackbox-healthz\"}) of {{ $labels.instance }} " +
            "in 5 minutes: the backend is down, crashing or deadlocked.",
        foldedFrom: ["KMSHealthEndpointDown (seed 002 ops/alerts/kms.yml)"],
    },
    {
        name: "KMSCryptoModeFlapping", severity: "warning", for: "0s", ...at("KMSCryptoModeFlapping", "mode"),
        expr: "changes(crypto_mode[1h]) > 2",
        summary: `Crypto mode flapping: ${where}`,
        description: "{{ $labels.instance }} changed crypto mode {{ $value }} times in the last hour " +
            "(more than 2): restarts, network or IAM propagation trouble.",
    },
    {
        name: "KMSHighCryptoErrorRate", severity: "warning", for: "5m", ...at("KMSHighCryptoErrorRate", "decryptionErrors"),
        expr: "kms:decryption_error_rate_5m > 0.1",
        summary: `High decryption error rate: ${where}`,
        description: "Decryption errors at {{ $value | printf \"%.2f\" }}/s (threshold 0.1/s) for 5 minutes: " +
            "AAD mismatch, KMS permission errors or corrupt ciphertext.",
    },
    {
        name: "KMSHighLatency", severity: "warning", for: "10m", ...at("KMSHighLatency"),
        expr: "histogram_quantile(0.95, sum by (env, service, le) (rate(kms_operation_duration_seconds_bucket[5m]))) > 1",
        summary: `KMS p95 latency above 1s: ${where}`,
        description: "95th percentile KMS call latency is {{ $value | printf \"%.2f\" }}s (threshold 1s) for 10 minutes.",
    },
    {
        name: "KMSDecryptionErrorsBurst", severity: "warning", for: "0s", ...at("KMSDecryptionErrorsBurst", "decryptionErrors"),
        // Start-up errors are expected: silent until 120 s after the last crypto initialisation.
        expr: "increase(crypto_decryption_errors_total[5m]) > 10\n" +
            "  and on (env, service, instance) kms:uptime_since_last_crypto_init > 120",
        summary: `Burst of decryption errors: ${where}`,
        description: "{{ $labels.instance }} had {{ $value | printf \"%.0f\" }} decryption errors in 5 minutes " +
            "(threshold 10) after its 120 s start-up grace.",
        foldedFrom: ["KMSDecryptionErrorsBurst (seed 002 ops/alerts/kms.yml, same name and threshold)"],
    },
    {
        name: "KMSBackendRestarted", severity: "info", for: "0s", ...at("KMSBackendRestarted", "uptime"),
        expr: "kms:uptime_since_last_crypto_init < 300",
        summary: `Backend restarted: ${where}`,
        description: "{{ $labels.instance }} initialised crypto {{ $value | printf \"%.0f\" }}s ago: " +
            "expect brief unavailability; no action unless it repeats.",
    },
    {
        name: "KMSInitFailure", severity: "critical", for: "0s", ...at("KMSInitFailure", "uptime"),
        // Every failed initialisation ends the process; the restarts re-run init.
        expr: "changes(crypto_init_timestamp_seconds[15m]) > 2",
        summary: `Crypto initialisation failing repeatedly: ${where}`,
        description: "{{ $labels.instance }} re-initialised crypto {{ $value }} times in 15 minutes: initialisation " +
            "fails and the backend is restarting in a loop.",
    },
    {
        name: "KMSDecryptionFailuresPersistent", severity: "warning", for: "10m", ...at("KMSDecryptionFailuresPersistent", "decryptionErrors"),
        expr: "kms:decryption_error_rate_5m > 0.01\n" +
            "  and on (env, service) min by (env, service) (kms:uptime_since_last_crypto_init) > 120",
        summary: `Persistent decryption failures: ${where}`,
        description: "Decryption errors at {{ $value | printf \"%.3f\" }}/s (threshold 0.01/s) for 10 minutes " +
            "after start-up grace: specific records or a DEK cannot be decrypted.",
    },
    {
        name: "KMSServiceUnreachable", severity: "critical", for: "2m", ...at("KMSServiceUnreachable"),
        expr: "circuit_breaker_state == 1",
        summary: `KMS unreachable, circuit breaker open: ${where}`,
        description: "Circuit breaker {{ $labels.name }} on {{ $labels.instance }} has been OPEN for 2 minutes: " +
            "KMS calls keep failing (connectivity, throttling or permissions) and are now blocked.",
    },
    {
        name: "KMSOperationFailures", severity: "critical", for: "5m", ...at("KMSOperationFailures"),
        expr: "sum by (env, service) (rate(kms_errors_total[5m]))\n" +
            "  / sum by (env, service) (rate(kms_operation_duration_seconds_count[5m])) > 0.01",
        summary: `KMS operations failing (> 1%): ${where}`,
        description: "{{ $value | humanizePercentage }} of KMS calls fail (threshold 1%) for 5 minutes: " +
            "signing and PII redaction are at risk.",
    },
    {
        name: WATCHDOG, severity: "none", for: "0s", ...at(WATCHDOG),
        expr: "vector(1)",
        summary: "Alerting pipeline heartbeat (always firing)",
        description: "Always fires so the dead man's switch receives it: when it stops, rule evaluation or " +
            "notification delivery is broken.",
    },
];

/** Links every notification carries (the `runbook_url` and `dashboard_url` annotations). */
export interface AlertLinks {
    /** Runbook document URL (anchors are appended). */
    readonly runbookUrl: string;
    /** Grafana base URL. */
    readonly grafanaUrl: string;
}

/** The annotations of an alert rule (Go templates expanded by Prometheus at evaluation). */
export function alertAnnotations(a: AlertSpec, links: AlertLinks): Record<string, string> {
    const query = a.name === WATCHDOG ? "" : "?var-env={{ $labels.env }}&var-service={{ $labels.service }}";
    const panel = a.dashboard.panelId === undefined ? "" : `${query ? "&" : "?"}viewPanel=${a.dashboard.panelId}`;
    return {
        summary: a.summary,
        description: a.description,
        runbook_url: `${links.runbookUrl}#${a.runbookAnchor}`,
        dashboard_url: `${links.grafanaUrl.replace(/\/+$/, "")}/d/${a.dashboard.uid}${query}${panel}`,
    };
}
