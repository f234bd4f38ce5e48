import { AlertCases, InputSeries, RecordingCase } from "./promtool";

/**
 * promtool scenarios for every catalog alert and recording rule. Series are per minute from t=0
 * (promtool's clock starts at Unix time 0, so an init timestamp of 0 means "initialised at t=0").
 */

const ID = { job: "backend", instance: "backend-0:8000", env: "prod", service: "ai-finance-backend" };
const ID2 = { ...ID, instance: "backend-1:8000" };
const SVC = { env: ID.env, service: ID.service };

/** `name{k="v",...}` */
const s = (name: string, labels: Record<string, string>, values: string): InputSeries => ({
    series: `${name}{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ")}}`,
    values,
});

const PROBE = { job: "blackbox-healthz", instance: "https://api.ledger-mind.org/healthz", ...SVC };
const BREAKER = { ...ID, name: "kms-signing-key" };
const SIGN = { ...ID, operation: "Sign" };

/** p95 fixture: per minute 100 KMS calls, `under1s` of them within 1 s (the rest within 2.5 s). */
const latency = (under1s: number, under500ms: number): InputSeries[] => [
    s("kms_operation_duration_seconds_bucket", { ...SIGN, le: "0.5" }, `0+${under500ms}x30`),
    s("kms_operation_duration_seconds_bucket", { ...SIGN, le: "1" }, `0+${under1s}x30`),
    s("kms_operation_duration_seconds_bucket", { ...SIGN, le: "2.5" }, "0+100x30"),
    s("kms_operation_duration_seconds_bucket", { ...SIGN, le: "+Inf" }, "0+100x30"),
];

const initAt0 = s("crypto_init_timestamp_seconds", ID, "0x30");

export const ALERT_CASES: Readonly<Record<string, AlertCases>> = {
    KMSCryptoModeNotKMS: {
        firing: { title: "env fallback from 1m, evaluated at 6m", series: [s("crypto_mode", ID, "1 0x10")], evalTime: "6m", expect: [{ labels: ID }] },
        notFiring: { title: "env fallback from 2m: only 4m at 6m", series: [s("crypto_mode", ID, "1 1 0x10")], evalTime: "6m", expect: [] },
    },
    KMSCryptoNotReady: {
        firing: { title: "not ready from 1m, evaluated at 6m", series: [s("crypto_ready", ID, "1 0x10")], evalTime: "6m", expect: [{ labels: ID }] },
        notFiring: { title: "not ready from 2m: only 4m at 6m", series: [s("crypto_ready", ID, "1 1 0x10")], evalTime: "6m", expect: [] },
    },
    KMSHealthChecksFailing: {
        firing: { title: "last successful probe 6m ago", series: [s("probe_success", PROBE, "1 0x10")], evalTime: "6m", expect: [{ labels: PROBE }] },
        notFiring: { title: "last successful probe 4m ago", series: [s("probe_success", PROBE, "1 1 1 0x10")], evalTime: "6m", expect: [] },
    },
    KMSCryptoModeFlapping: {
        firing: { title: "4 mode changes in the hour", series: [s("crypto_mode", ID, "1 0 1 0 1x20")], evalTime: "10m", expect: [{ labels: ID, value: "4" }] },
        notFiring: { title: "2 mode changes in the hour", series: [s("crypto_mode", ID, "1 0 1x20")], evalTime: "10m", expect: [] },
    },
    KMSHighCryptoErrorRate: {
        firing: { title: "0.2 errors/s for 11m", series: [s("crypto_decryption_errors_total", ID, "0+12x20")], evalTime: "12m", expect: [{ labels: SVC, value: "0.20" }] },
        notFiring: { title: "0.083 errors/s (under 0.1)", series: [s("crypto_decryption_errors_total", ID, "0+5x20")], evalTime: "12m", expect: [] },
    },
    KMSHighLatency: {
        firing: { title: "p95 2s for 11m", series: latency(85, 50), evalTime: "12m", expect: [{ labels: SVC, value: "2.00" }] },
        notFiring: { title: "p95 0.99s (under 1s)", series: latency(96, 50), evalTime: "12m", expect: [] },
    },
    KMSDecryptionErrorsBurst: {
        firing: { title: "15 errors in 5m, 10m after init", series: [s("crypto_decryption_errors_total", ID, "0+3x20"), initAt0], evalTime: "10m", expect: [{ labels: ID, value: "15" }] },
        notFiring: { title: "10 errors in 5m (not more than 10)", series: [s("crypto_decryption_errors_total", ID, "0+2x20"), initAt0], evalTime: "10m", expect: [] },
        more: [{ title: "40 errors within the 120 s start-up grace", series: [s("crypto_decryption_errors_total", ID, "0+20x20"), initAt0], evalTime: "2m", expect: [] }],
    },
    KMSBackendRestarted: {
        firing: { title: "re-initialised 2m ago", series: [s("crypto_init_timestamp_seconds", ID, "0x9 600x10")], evalTime: "12m", expect: [{ labels: ID, value: "120" }] },
        notFiring: { title: "re-initialised 5m ago", series: [s("crypto_init_timestamp_seconds", ID, "0x9 600x10")], evalTime: "15m", expect: [] },
    },
    KMSInitFailure: {
        firing: { title: "3 re-initialisations in 15m", series: [s("crypto_init_timestamp_seconds", ID, "0 0 120 120 240 240 360x10")], evalTime: "8m", expect: [{ labels: ID, value: "3" }] },
        notFiring: { title: "2 re-initialisations in 15m", series: [s("crypto_init_timestamp_seconds", ID, "0 0 120 120 240x10")], evalTime: "8m", expect: [] },
    },
    KMSDecryptionFailuresPersistent: {
        firing: { title: "0.017 errors/s for 12m after grace", series: [s("crypto_decryption_errors_total", ID, "0+1x30"), initAt0], evalTime: "15m", expect: [{ labels: SVC, value: "0.017" }] },
        notFiring: { title: "0.008 errors/s (under 0.01)", series: [s("crypto_decryption_errors_total", ID, "0+0.5x30"), initAt0], evalTime: "15m", expect: [] },
    },
    KMSServiceUnreachable: {
        firing: { title: "breaker open for 3m", series: [s("circuit_breaker_state", BREAKER, "0 1x10")], evalTime: "4m", expect: [{ labels: BREAKER }] },
        notFiring: { title: "breaker re-opened after half-open 1m ago", series: [s("circuit_breaker_state", BREAKER, "0 1 1 2 1 1x5")], evalTime: "5m", expect: [] },
    },
    KMSOperationFailures: {
        firing: {
            title: "2% of Sign calls throttled for 7m",
            series: [s("kms_errors_total", { ...SIGN, error_code: "ThrottlingException" }, "0+2x20"), s("kms_operation_duration_seconds_count", SIGN, "0+100x20")],
            evalTime: "8m", expect: [{ labels: SVC, value: "2%" }],
        },
        notFiring: {
            title: "0.9% of Sign calls failing",
            series: [s("kms_errors_total", { ...SIGN, error_code: "ThrottlingException" }, "0+0.9x20"), s("kms_operation_duration_seconds_count", SIGN, "0+100x20")],
            evalTime: "8m", expect: [],
        },
    },
    Watchdog: {
        firing: { title: "fires with no input at all", series: [], evalTime: "0m", expect: [{ labels: {} }] },
        notFiring: { none: "the Watchdog fires always: its silence is what the dead man's switch detects" },
        more: [{ title: "still firing a day later", series: [], evalTime: "1d", expect: [{ labels: {} }] }],
    },
};

export const RECORDING_CASES: readonly RecordingCase[] = [
    {
        title: "crypto health = mode × ready, per instance",
        series: [s("crypto_mode", ID, "1x5"), s("crypto_ready", ID, "1x5"), s("crypto_mode", ID2, "0x5"), s("crypto_ready", ID2, "1x5")],
        evalTime: "2m", expr: "kms:crypto_health_status",
        expect: [{ labels: `kms:crypto_health_status{job="backend", instance="backend-0:8000", env="prod", service="ai-finance-backend"}`, value: 1 },
            { labels: `kms:crypto_health_status{job="backend", instance="backend-1:8000", env="prod", service="ai-finance-backend"}`, value: 0 }],
    },
    {
        title: "decryption error rate summed over instances",
        series: [s("crypto_decryption_errors_total", ID, "0+15x10"), s("crypto_decryption_errors_total", ID2, "0+7.5x10")],
        evalTime: "10m", expr: "kms:decryption_error_rate_5m",
        expect: [{ labels: `kms:decryption_error_rate_5m{env="prod", service="ai-finance-backend"}`, value: 0.375 }],
    },
    {
        title: "uptime since crypto init",
        series: [s("crypto_init_timestamp_seconds", ID, "60x10")],
        evalTime: "10m", expr: "kms:uptime_since_last_crypto_init",
        expect: [{ labels: `kms:uptime_since_last_crypto_init{job="backend", instance="backend-0:8000", env="prod", service="ai-finance-backend"}`, value: 540 }],
    },
];
