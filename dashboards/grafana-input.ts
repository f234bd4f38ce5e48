/**
 * The `grafana` settings the dashboards and data source documents are built from, as plain types.
 * config/grafana.ts validates the section; its parsed type satisfies `GrafanaInput` (the compiler checks
 * it wherever settings are passed in), so this folder needs nothing from config/.
 */

/** The audit views: BigQuery over the sink's tables, Cloud Monitoring over the log-based metrics. */
export type AuditSource = "bigquery" | "cloud-monitoring";

/** A data source's identity in Grafana. */
export interface DataSourceIdentity {
    readonly uid: string;
    readonly name: string;
}

export interface GrafanaInput {
    readonly dashboards: {
        /** Auto-refresh interval of the operational dashboards, e.g. `30s`. */
        readonly refresh: string;
        /** Default time range (a duration) of the operational dashboards. */
        readonly timeRange: string;
        readonly auditTimeRange: string;
        readonly auditRefresh?: string;
        /** Data-link URL of a service's health endpoint. */
        readonly serviceHealthUrl: string;
    };
    readonly prometheus: DataSourceIdentity & {
        /** Unset: AMP (the workspace URL comes from the AMP component). */
        readonly url?: string;
        readonly sigV4: { readonly authType: "default" | "ec2_iam_role"; readonly assumeRoleArn?: string; readonly externalId?: string };
    };
    readonly cloudWatch: DataSourceIdentity & { readonly authType: "default" | "ec2_iam_role"; readonly assumeRoleArn?: string };
    readonly audit: {
        readonly sources: readonly AuditSource[];
        readonly auth: "jwt" | "gce";
        readonly clientEmail?: string;
        readonly bigQuery: DataSourceIdentity;
        readonly cloudMonitoring: DataSourceIdentity;
    };
}
