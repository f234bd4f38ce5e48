import { kmsAuditFilter } from "../documents/gcp/filter";

/** One label of a log-based metric and the extractor that fills it from the entry. */
export interface MetricLabel {
    readonly key: string;
    readonly description: string;
    readonly extractor: string;
}

/** A counter log-based metric over Cloud KMS audit entries (plain data). */
export interface KmsLogMetric {
    /** Key in the `logMetricNames` output. */
    readonly key: KmsLogMetricKey;
    /** Metric name in the project; Cloud Monitoring type `logging.googleapis.com/user/<name>`. */
    readonly name: string;
    readonly displayName: string;
    readonly description: string;
    readonly filter: string;
    readonly labels: readonly MetricLabel[];
}

export type KmsLogMetricKey = "keyVersionDestroy" | "keyVersionDisable" | "iamPolicyChange" | "permissionDenied";

const KEY_RING: MetricLabel = { key: "key_ring", description: "Key ring id", extractor: "EXTRACT(resource.labels.key_ring_id)" };
const CRYPTO_KEY: MetricLabel = { key: "crypto_key", description: "Crypto key id", extractor: "EXTRACT(resource.labels.crypto_key_id)" };
const PRINCIPAL: MetricLabel = {
    key: "principal", description: "Caller (principal email)", extractor: "EXTRACT(protoPayload.authenticationInfo.principalEmail)",
};
// Empty on success: a destroy or policy change someone tried and was refused still counts, split by code.
const STATUS: MetricLabel = { key: "status_code", description: "google.rpc.Code of the call (empty = OK)", extractor: "EXTRACT(protoPayload.status.code)" };

/**
 * `=~ "Name$"` matches the method whether Cloud KMS logs it short (`DestroyCryptoKeyVersion`) or fully
 * qualified (`google.cloud.kms.v1.KeyManagementService.DestroyCryptoKeyVersion`): its audit-logging page
 * shows both forms across entries and over time.
 */
const method = (name: string) => `protoPayload.methodName=~"(^|[.])${name}$"`;

const base = kmsAuditFilter();

/**
 * The events security wants counted, as log-based metrics. Names are stable: dashboards and alert
 * policies refer to them (see the `logMetricNames` stack output).
 */
export const KMS_LOG_METRICS: readonly KmsLogMetric[] = [
    {
        key: "keyVersionDestroy",
        name: "kms_key_version_destroy",
        displayName: "KMS key version destroy requests",
        description: "DestroyCryptoKeyVersion calls: key material scheduled for irreversible destruction.",
        filter: `${base} AND ${method("DestroyCryptoKeyVersion")}`,
        labels: [KEY_RING, CRYPTO_KEY, PRINCIPAL, STATUS],
    },
    {
        key: "keyVersionDisable",
        name: "kms_key_version_disable",
        displayName: "KMS key version disables",
        // Disabling is an UpdateCryptoKeyVersion whose request sets the state; re-enabling is not counted.
        description: "UpdateCryptoKeyVersion calls setting a key version's state to DISABLED.",
        filter: `${base} AND ${method("UpdateCryptoKeyVersion")} AND protoPayload.request.cryptoKeyVersion.state="DISABLED"`,
        labels: [KEY_RING, CRYPTO_KEY, PRINCIPAL, STATUS],
    },
    {
        key: "iamPolicyChange",
        name: "kms_iam_policy_change",
        displayName: "KMS IAM policy changes",
        // Not narrowed to key/key-ring resource types: a grant on an import job or EKM connection matters too.
        description: "SetIamPolicy calls on Cloud KMS keys, key rings and other Cloud KMS resources.",
        filter: `${base} AND ${method("SetIamPolicy")}`,
        labels: [
            { key: "resource_type", description: "Monitored resource type (cloudkms_cryptokey, cloudkms_keyring, ...)", extractor: "EXTRACT(resource.type)" },
            KEY_RING, CRYPTO_KEY, PRINCIPAL, STATUS,
        ],
    },
    {
        key: "permissionDenied",
        name: "kms_permission_denied",
        displayName: "KMS calls denied",
        description: "Cloud KMS calls refused with PERMISSION_DENIED (google.rpc.Code 7).",
        filter: `${base} AND protoPayload.status.code=7`,
        labels: [
            { key: "method", description: "Method refused", extractor: "EXTRACT(protoPayload.methodName)" },
            KEY_RING, CRYPTO_KEY, PRINCIPAL,
        ],
    },
];

/** `logging.Metric` arguments (less project) for a metric definition: a DELTA INT64 counter. */
export function logMetricArgs(m: KmsLogMetric) {
    return {
        name: m.name,
        description: m.description,
        filter: m.filter,
        metricDescriptor: {
            metricKind: "DELTA",
            valueType: "INT64",
            unit: "1",
            displayName: m.displayName,
            labels: m.labels.map((l) => ({ key: l.key, valueType: "STRING", description: l.description })),
        },
        labelExtractors: Object.fromEntries(m.labels.map((l) => [l.key, l.extractor])),
    };
}
