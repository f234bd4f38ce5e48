/** Names of the per-key usage metrics: written by components/aws/key-usage.ts, read by dashboards/kms-key-usage.ts. */
export const USAGE_NAMESPACE = "KmsObservability/KeyUsage";
/** Every KMS call on a key: dimensions KeyArn, Operation. */
export const OPERATIONS_METRIC = "KeyOperations";
/** Failed KMS calls on a key: dimensions KeyArn, ErrorCode. */
export const ERRORS_METRIC = "KeyErrors";
/** Every failed KMS call on the account's keys (no dimension): the failed-key-operations alarm's metric. */
export const FAILED_METRIC = "FailedKeyOperations";
