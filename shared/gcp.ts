/**
 * Cloud Audit Logs facts that both the config schema (config/gcp.ts) and the audit documents
 * (documents/gcp/filter.ts, dashboards/audit-sql.ts) use.
 */

/** The three Data Access log types; Cloud KMS always gets all of them (Admin Activity is always on). */
export const DATA_ACCESS_LOG_TYPES = ["ADMIN_READ", "DATA_READ", "DATA_WRITE"] as const;
export type DataAccessLogType = (typeof DATA_ACCESS_LOG_TYPES)[number];

/** The service whose audit logs the `gcp` section exists for. */
export const KMS_SERVICE = "cloudkms.googleapis.com";
