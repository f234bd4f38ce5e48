import { KMS_LOG_METRICS, KmsLogMetricKey } from "../metrics/gcp-log-metrics";
import { AuditSource, GrafanaInput } from "./grafana-input";
import { DATASOURCE_TYPES, DataSourceRef, prometheusPluginId } from "./defaults";

/** What the Prometheus dashboards (crypto health, operations) are built from: plain data. */
export interface PrometheusDashboardOptions {
    /** The Prometheus (or AMP) data source every PromQL query reads. */
    readonly prometheus: DataSourceRef;
    /** Its name: the alert list panel selects data-source-managed rules by name. */
    readonly prometheusName: string;
    /** Auto-refresh interval, e.g. `30s`. */
    readonly refresh: string;
    /** Default time range, a duration: the dashboards open on now-<timeRange>. */
    readonly timeRange: string;
    /** Data-link URL of a service's health endpoint (service table). */
    readonly serviceHealthUrl: string;
}

/** The BigQuery sink the audit dashboard reads (day-partitioned tables on `timestamp`). */
export interface AuditBigQueryOptions {
    readonly datasource: DataSourceRef;
    /** Project and dataset of the sink's tables. */
    readonly project: string;
    readonly dataset: string;
}

/** The log-based metrics the audit dashboard plots through Cloud Monitoring. */
export interface AuditMonitoringOptions {
    readonly datasource: DataSourceRef;
    /** Project the metrics live in. */
    readonly project: string;
    /** Metric names by meaning (the GCP component's `logMetricNames` output). */
    readonly logMetricNames: Readonly<Record<KmsLogMetricKey, string>>;
}

export interface AuditDashboardOptions {
    /** Default time range (now-<timeRange>): bounds every BigQuery scan. */
    readonly timeRange: string;
    /** Auto-refresh; undefined = none. */
    readonly refresh?: string;
    /** Present when the BigQuery view is enabled. */
    readonly bigQuery?: AuditBigQueryOptions;
    /** Present when the Cloud Monitoring view is enabled. */
    readonly cloudMonitoring?: AuditMonitoringOptions;
}

/** The key-usage dashboard: CloudWatch metrics of the CloudTrail metric filters (components/aws/key-usage.ts). */
export interface KeyUsageDashboardOptions {
    readonly datasource: DataSourceRef;
    /** Auto-refresh interval and default time range, as the other operational dashboards. */
    readonly refresh: string;
    readonly timeRange: string;
}

export interface DashboardOptions extends PrometheusDashboardOptions {
    readonly audit: AuditDashboardOptions;
    readonly keyUsage: KeyUsageDashboardOptions;
}

/** Where the audit data lives: the GCP audit component's dataset and metrics (inputs of the Grafana component). */
export interface AuditLocation {
    readonly project: string;
    readonly dataset: string;
    readonly logMetricNames: Readonly<Record<KmsLogMetricKey, string>>;
}

/** The settings `auditLocation` reads (config's `Settings` satisfies it). */
export interface AuditLocationInput {
    readonly providers: { readonly "gcp:project": string };
    readonly gcp: { readonly dataset: { readonly id: string } };
}

/** The audit location the GCP audit component creates for these settings (same config, same names). */
export function auditLocation(settings: AuditLocationInput): AuditLocation {
    return {
        project: settings.providers["gcp:project"],
        dataset: settings.gcp.dataset.id,
        logMetricNames: Object.fromEntries(KMS_LOG_METRICS.map((m) => [m.key, m.name])) as Record<KmsLogMetricKey, string>,
    };
}

const has = (s: readonly AuditSource[], x: AuditSource) => s.includes(x);

/** Dashboard options from the `grafana` section and the audit location (plain data in, plain data out). */
export function dashboardOptions(g: GrafanaInput, audit: AuditLocation): DashboardOptions {
    const sources = g.audit.sources;
    return {
        prometheus: { type: prometheusPluginId(g), uid: g.prometheus.uid },
        prometheusName: g.prometheus.name,
        refresh: g.dashboards.refresh,
        timeRange: g.dashboards.timeRange,
        serviceHealthUrl: g.dashboards.serviceHealthUrl,
        keyUsage: {
            datasource: { type: DATASOURCE_TYPES.cloudWatch, uid: g.cloudWatch.uid },
            refresh: g.dashboards.refresh,
            timeRange: g.dashboards.timeRange,
        },
        audit: {
            timeRange: g.dashboards.auditTimeRange,
            refresh: g.dashboards.auditRefresh,
            bigQuery: has(sources, "bigquery")
                ? { datasource: { type: DATASOURCE_TYPES.bigQuery, uid: g.audit.bigQuery.uid }, project: audit.project, dataset: audit.dataset }
                : undefined,
            cloudMonitoring: has(sources, "cloud-monitoring")
                ? { datasource: { type: DATASOURCE_TYPES.cloudMonitoring, uid: g.audit.cloudMonitoring.uid }, project: audit.project, logMetricNames: audit.logMetricNames }
                : undefined,
        },
    };
}
