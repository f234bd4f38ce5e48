/**
 * Recording rules (seed 001/002 `ops/alerts/kms.yml`): precomputed series the dashboard
 * `kms-crypto-health` plots and several alerts reuse, so both read one definition.
 */
export interface RecordingRule {
    /** `level:metric:operations` name. */
    readonly record: string;
    readonly expr: string;
    readonly help: string;
}

export const RECORDING_RULES: readonly RecordingRule[] = [
    {
        record: "kms:crypto_health_status",
        // Both gauges carry the same labels (job, instance, env, service): a one-to-one product.
        expr: "crypto_mode * crypto_ready",
        help: "1 when a backend instance runs on Cloud KMS and is ready (mode × ready), else 0: the dashboard's LED.",
    },
    {
        record: "kms:decryption_error_rate_5m",
        expr: "sum by (env, service) (rate(crypto_decryption_errors_total[5m]))",
        help: "Decryption failures per second over 5 minutes, per deployment and service.",
    },
    {
        record: "kms:uptime_since_last_crypto_init",
        expr: "time() - crypto_init_timestamp_seconds",
        help: "Seconds since the instance last initialised crypto (its last (re)start); gates start-up grace periods.",
    },
];
