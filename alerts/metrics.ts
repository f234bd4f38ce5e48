/**
 * The metrics the alerting rules and dashboards may query: one list, used by the rules, the
 * dashboards' consistency checks and the docs. Names and meanings are the application's
 * (seed 001 backend crypto metrics, seed 003 AWS KMS client metrics) and blackbox_exporter's probe.
 */
export type MetricType = "gauge" | "counter" | "histogram";

export interface MetricSpec {
    readonly name: string;
    readonly type: MetricType;
    readonly help: string;
    /** Labels the series carry besides the scrape's `job`/`instance`. */
    readonly labels: readonly string[];
    /** Who exposes it. */
    readonly source: "backend" | "kms-client" | "blackbox_exporter";
}

/** Labels every application series carries: the deployment and the service. */
export const IDENTITY_LABELS = ["env", "service"] as const;

export const METRICS: readonly MetricSpec[] = [
    { name: "crypto_mode", type: "gauge", source: "backend", labels: [...IDENTITY_LABELS],
        help: "Crypto backend in use: 1 = Cloud KMS (kms), 0 = environment-key fallback (env)." },
    { name: "crypto_ready", type: "gauge", source: "backend", labels: [...IDENTITY_LABELS],
        help: "1 when crypto is initialised (KEK reachable, active DEK loaded), else 0." },
    { name: "crypto_decryption_errors_total", type: "counter", source: "backend", labels: [...IDENTITY_LABELS],
        help: "Decryption failures (AAD mismatch, KMS 403, corrupt ciphertext) since process start." },
    { name: "crypto_init_timestamp_seconds", type: "gauge", source: "backend", labels: [...IDENTITY_LABELS],
        help: "Unix time of the last crypto initialisation; changes on every backend (re)start." },
    { name: "kms_operation_duration_seconds", type: "histogram", source: "kms-client", labels: [...IDENTITY_LABELS, "operation"],
        help: "Latency of KMS API calls (Encrypt, Decrypt, GenerateDataKey, Sign, ...), by operation." },
    { name: "kms_errors_total", type: "counter", source: "kms-client", labels: [...IDENTITY_LABELS, "operation", "error_code"],
        help: "Failed KMS API calls by operation and AWS error code (AccessDeniedException, ThrottlingException, ...)." },
    { name: "kms_cache_hit_total", type: "counter", source: "kms-client", labels: [...IDENTITY_LABELS, "cache"],
        help: "Key-material cache hits (no KMS call needed)." },
    { name: "kms_cache_miss_total", type: "counter", source: "kms-client", labels: [...IDENTITY_LABELS, "cache"],
        help: "Key-material cache misses (a KMS call was made)." },
    { name: "circuit_breaker_state", type: "gauge", source: "kms-client", labels: [...IDENTITY_LABELS, "name"],
        help: "KMS client circuit breaker: 0 = closed, 1 = open, 2 = half-open." },
    { name: "probe_success", type: "gauge", source: "blackbox_exporter", labels: [...IDENTITY_LABELS],
        help: "blackbox_exporter http_2xx probe of the backend's /healthz (job=\"blackbox-healthz\"): 1 = succeeded." },
];

/** Series names a histogram exposes. */
export function seriesNames(m: MetricSpec): string[] {
    return m.type === "histogram" ? [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`] : [m.name];
}

/** Every series name the application and probes expose. */
export const ALL_SERIES: ReadonlySet<string> = new Set(METRICS.flatMap(seriesNames));
