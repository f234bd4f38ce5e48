import { KMS_SERVICE } from "../shared/gcp";

/**
 * BigQuery Standard SQL over the Cloud KMS audit sink. The sink writes partitioned tables (one per
 * audit log, day-partitioned on `timestamp`), so every read carries `$__timeFilter(timestamp)`: the
 * Grafana plugin expands it to the dashboard's time range and BigQuery scans only those partitions.
 */

/** The sink's tables (partitioned tables carry no date suffix). */
export const AUDIT_TABLES = {
    activity: "cloudaudit_googleapis_com_activity",
    dataAccess: "cloudaudit_googleapis_com_data_access",
} as const;

/** The partition column; `$__timeFilter` must be applied to it for partition pruning. */
export const PARTITION_COLUMN = "timestamp";

/** google.rpc.Code PERMISSION_DENIED. */
const PERMISSION_DENIED = 7;

/** Where the tables are. */
export interface AuditTables {
    readonly project: string;
    readonly dataset: string;
}

type Table = keyof typeof AUDIT_TABLES;

const ref = (t: AuditTables, table: Table) => `\`${t.project}.${t.dataset}.${AUDIT_TABLES[table]}\``;

/**
 * One row per Cloud KMS call of the given tables within the time range, columns normalised (the
 * tables' protopayload structs differ, so they are unioned column by column). The method is the last
 * segment: Cloud KMS logs it short or fully qualified.
 */
function calls(t: AuditTables, tables: readonly Table[]): string {
    return tables.map((table) => [
        `  SELECT ${PARTITION_COLUMN},`,
        "    protopayload_auditlog.authenticationInfo.principalEmail AS principal,",
        "    REGEXP_EXTRACT(protopayload_auditlog.methodName, r'([A-Za-z]+)$') AS method,",
        "    protopayload_auditlog.resourceName AS resource,",
        "    IFNULL(protopayload_auditlog.status.code, 0) AS status_code,",
        "    protopayload_auditlog.requestMetadata.callerIp AS caller_ip",
        `  FROM ${ref(t, table)}`,
        `  WHERE $__timeFilter(${PARTITION_COLUMN}) AND protopayload_auditlog.serviceName = '${KMS_SERVICE}'`,
    ].join("\n")).join("\n  UNION ALL\n");
}

/** Who used which key: calls per principal, key and method (Data Access: encrypt, decrypt, sign...). */
export function keyUsageSql(t: AuditTables): string {
    return [
        "SELECT principal,",
        "  REGEXP_EXTRACT(resource, r'keyRings/[^/]+/cryptoKeys/[^/]+') AS key,",
        "  method,",
        "  COUNT(*) AS calls,",
        `  COUNTIF(status_code = ${PERMISSION_DENIED}) AS denied,`,
        `  MAX(${PARTITION_COLUMN}) AS last_call`,
        `FROM (\n${calls(t, ["dataAccess"])}\n)`,
        "GROUP BY principal, key, method",
        "ORDER BY calls DESC",
        "LIMIT 500",
    ].join("\n");
}

/** Denied calls per method over time (time series: time, metric, value). */
export function deniedOverTimeSql(t: AuditTables): string {
    return [
        `SELECT $__timeGroup(${PARTITION_COLUMN}, $__interval) AS time, method AS metric, COUNT(*) AS denied`,
        `FROM (\n${calls(t, ["activity", "dataAccess"])}\n)`,
        `WHERE status_code = ${PERMISSION_DENIED}`,
        "GROUP BY time, metric",
        "ORDER BY time",
    ].join("\n");
}

/** The latest denied calls, newest first. */
export function deniedCallsSql(t: AuditTables): string {
    return [
        `SELECT ${PARTITION_COLUMN} AS time, principal, method, resource, caller_ip`,
        `FROM (\n${calls(t, ["activity", "dataAccess"])}\n)`,
        `WHERE status_code = ${PERMISSION_DENIED}`,
        "ORDER BY time DESC",
        "LIMIT 200",
    ].join("\n");
}

/**
 * Admin changes security reviews: key versions destroyed, disabled or restored, and IAM policy
 * changes (Admin Activity). A disable is an UpdateCryptoKeyVersion whose request sets DISABLED.
 */
export function adminChangesSql(t: AuditTables): string {
    return [
        `SELECT ${PARTITION_COLUMN} AS time,`,
        "  protopayload_auditlog.authenticationInfo.principalEmail AS principal,",
        "  CASE",
        "    WHEN ENDS_WITH(protopayload_auditlog.methodName, 'DestroyCryptoKeyVersion') THEN 'destroy'",
        "    WHEN ENDS_WITH(protopayload_auditlog.methodName, 'RestoreCryptoKeyVersion') THEN 'restore'",
        "    WHEN ENDS_WITH(protopayload_auditlog.methodName, 'SetIamPolicy') THEN 'iam-policy'",
        "    ELSE 'disable'",
        "  END AS action,",
        "  protopayload_auditlog.resourceName AS resource,",
        "  IFNULL(protopayload_auditlog.status.code, 0) AS status_code",
        `FROM ${ref(t, "activity")}`,
        `WHERE $__timeFilter(${PARTITION_COLUMN}) AND protopayload_auditlog.serviceName = '${KMS_SERVICE}'`,
        "  AND (REGEXP_CONTAINS(protopayload_auditlog.methodName, r'(DestroyCryptoKeyVersion|RestoreCryptoKeyVersion|SetIamPolicy)$')",
        "    OR (ENDS_WITH(protopayload_auditlog.methodName, 'UpdateCryptoKeyVersion')",
        "      AND JSON_VALUE(protopayload_auditlog.requestJson, '$.cryptoKeyVersion.state') = 'DISABLED'))",
        "ORDER BY time DESC",
        "LIMIT 500",
    ].join("\n");
}

/** The ten principals with the most Cloud KMS calls (Admin Activity and Data Access). */
export function topCallersSql(t: AuditTables): string {
    return [
        "SELECT principal, COUNT(*) AS calls",
        `FROM (\n${calls(t, ["activity", "dataAccess"])}\n)`,
        "GROUP BY principal",
        "ORDER BY calls DESC",
        "LIMIT 10",
    ].join("\n");
}
