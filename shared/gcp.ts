/**
 * Cloud Audit Logs and Cloud KMS facts that the config schema (config/gcp.ts), the audit documents
 * (documents/gcp/filter.ts, dashboards/audit-sql.ts) and the CMEK grants (components/gcp/cmek.ts) use.
 */

/** The three Data Access log types; Cloud KMS always gets all of them (Admin Activity is always on). */
export const DATA_ACCESS_LOG_TYPES = ["ADMIN_READ", "DATA_READ", "DATA_WRITE"] as const;
export type DataAccessLogType = (typeof DATA_ACCESS_LOG_TYPES)[number];

/** The service whose audit logs the `gcp` section exists for. */
export const KMS_SERVICE = "cloudkms.googleapis.com";

/**
 * A Cloud KMS key's full resource name (`projects/<project>/locations/<location>/keyRings/<ring>/cryptoKeys/<key>`),
 * the form BigQuery and Cloud Storage take for CMEK; the groups are project, location, key ring and key.
 */
export const KMS_KEY_NAME = /^projects\/([a-z][a-z0-9-]{4,28}[a-z0-9])\/locations\/([a-z0-9-]+)\/keyRings\/([A-Za-z0-9_-]{1,63})\/cryptoKeys\/([A-Za-z0-9_-]{1,63})$/;

/** The parts of a key name of the form `KMS_KEY_NAME` (the config layer accepts no other). */
export function parseKmsKeyName(name: string): { project: string; location: string; keyRing: string; key: string } {
    const m = KMS_KEY_NAME.exec(name);
    if (!m) throw new Error(`not a Cloud KMS key name: ${name}`);
    return { project: m[1], location: m[2], keyRing: m[3], key: m[4] };
}
