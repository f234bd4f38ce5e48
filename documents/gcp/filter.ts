import { DATA_ACCESS_LOG_TYPES, DataAccessLogType, KMS_SERVICE } from "../../shared/gcp";

/**
 * Cloud KMS Inventory (key usage tracking) writes its audit entries under its own service name, but
 * they are switched on by the ADMIN_READ Data Access config of cloudkms.googleapis.com (Cloud KMS
 * Inventory audit logging page, docs.cloud.google.com/kms/docs/audit-logging-kms-inventory).
 */
export const KMS_INVENTORY_SERVICE = "kmsinventory.googleapis.com";

/** A service whose Data Access audit logs are enabled, with the log types. */
export interface AuditedService {
    readonly service: string;
    readonly logTypes: readonly DataAccessLogType[];
}

/** Cloud KMS with every Data Access log type, then the configured extra services. */
export function auditedServices(gcp: { readonly extraAuditedServices: readonly AuditedService[] }): AuditedService[] {
    return [{ service: KMS_SERVICE, logTypes: [...DATA_ACCESS_LOG_TYPES] }, ...gcp.extraAuditedServices];
}

const quote = (s: string) => JSON.stringify(s);

/** `protoPayload.serviceName="a" OR protoPayload.serviceName="b"`, parenthesised when more than one. */
function serviceClause(services: readonly string[]): string {
    const terms = services.map((s) => `protoPayload.serviceName=${quote(s)}`);
    return terms.length === 1 ? terms[0] : `(${terms.join(" OR ")})`;
}

/**
 * Every audit entry Cloud KMS writes, whatever resource it is about: `logName` selects the four audit
 * logs (activity, data_access, system_event, policy — all contain `cloudaudit.googleapis.com`, also
 * under folders/ and organizations/ for aggregated sinks) and `serviceName` selects Cloud KMS.
 *
 * There is deliberately NO `resource.type` clause. The seed's `resource.type="audited_resource"`
 * catches only the entries about no specific key: Cloud KMS files its audit entries under the
 * monitored resource they concern — `cloudkms_cryptokey` (Encrypt/Decrypt, key create/patch,
 * SetIamPolicy on a key), `cloudkms_cryptokeyversion` (version create/destroy/restore/disable,
 * AsymmetricSign, MacSign), `cloudkms_keyring` (key ring create, SetIamPolicy on a ring) — and only the
 * rest (locations, EKM config, Autokey, operations, inventory) under `audited_resource`. The seed's
 * filter therefore missed every Encrypt/Decrypt and every key-version destroy. Listing the cloudkms_*
 * types instead would silently drop the next type Google adds; the service name cannot miss one.
 */
export function kmsAuditFilter(): string {
    return auditSinkFilter([]);
}

/** The one filter both sinks share: every Cloud KMS audit entry, plus those of the extra audited services. */
export function auditSinkFilter(extraServices: readonly string[]): string {
    return `logName:"cloudaudit.googleapis.com" AND ${serviceClause([KMS_SERVICE, KMS_INVENTORY_SERVICE, ...extraServices])}`;
}
