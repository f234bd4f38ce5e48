import * as bargauge from "@grafana/grafana-foundation-sdk/bargauge";
import * as bigquery from "@grafana/grafana-foundation-sdk/bigquery";
import * as cog from "@grafana/grafana-foundation-sdk/cog";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as gcm from "@grafana/grafana-foundation-sdk/googlecloudmonitoring";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { KmsLogMetricKey } from "../metrics/gcp-log-metrics";
import { adminChangesSql, deniedCallsSql, deniedOverTimeSql, keyUsageSql, topCallersSql } from "./audit-sql";
import { at, COLORS, dashboardShell, flat, thresholds, valueMappings } from "./defaults";
import { AuditBigQueryOptions, AuditDashboardOptions, AuditMonitoringOptions } from "./options";

export const AUDIT_UID = "kms-audit";

/** Panel ids, stable whichever views are enabled: BigQuery 1-5, log-based metrics 11-14. */
export const AUDIT_PANELS = {
    keyUsage: 1,
    deniedOverTime: 2,
    deniedCalls: 3,
    adminChanges: 4,
    topCallers: 5,
    keyVersionDestroy: 11,
    keyVersionDisable: 12,
    iamPolicyChange: 13,
    permissionDenied: 14,
} as const satisfies Record<string, number> & Record<KmsLogMetricKey, number>;

/** A raw-SQL BigQuery query (code mode), interactive priority. */
function bq(o: AuditBigQueryOptions, sql: string, format: bigquery.QueryFormat): bigquery.DataqueryBuilder {
    return new bigquery.DataqueryBuilder().datasource(o.datasource).refId("A")
        .project(o.project).dataset(o.dataset)
        .rawQuery(true).editorMode(bigquery.EditorMode.Code).format(format)
        .queryPriority(bigquery.QueryPriority.Interactive)
        .rawSql(sql);
}

/** google.rpc.Code as text in the admin-changes table. */
const STATUS_MAPPINGS = valueMappings({
    "0": { text: "OK", color: COLORS.ok },
    "7": { text: "PERMISSION_DENIED", color: COLORS.bad },
    "9": { text: "FAILED_PRECONDITION", color: COLORS.warn },
});

function bigQueryPanels(o: AuditBigQueryOptions, y: number): cog.Builder<dashboard.Panel>[] {
    const P = AUDIT_PANELS;
    const tables = { project: o.project, dataset: o.dataset };
    return [
        new table.PanelBuilder().id(P.keyUsage).title("Who used which key")
            .description("Cloud KMS data calls (encrypt, decrypt, sign...) per principal, key and method in the time range (Data Access logs).")
            .datasource(o.datasource)
            .withTarget(bq(o, keyUsageSql(tables), bigquery.QueryFormat.Table))
            .overrideByName("denied", [{ id: "thresholds", value: thresholds(COLORS.neutral, 1, COLORS.bad).build() },
                { id: "custom.cellOptions", value: { type: common.TableCellDisplayMode.ColorText } }])
            .gridPos(at(0, y, 24, 9)),
        new timeseries.PanelBuilder().id(P.deniedOverTime).title("Denied calls")
            .description("Cloud KMS calls refused with PERMISSION_DENIED, by method (Admin Activity and Data Access).")
            .datasource(o.datasource)
            .withTarget(bq(o, deniedOverTimeSql(tables), bigquery.QueryFormat.Timeseries))
            .drawStyle(common.GraphDrawStyle.Bars)
            .fillOpacity(80)
            .unit("short")
            .thresholds(flat(COLORS.bad))
            .gridPos(at(0, y + 9, 12, 8)),
        new bargauge.PanelBuilder().id(P.topCallers).title("Top callers")
            .description("The ten principals with the most Cloud KMS calls in the time range.")
            .datasource(o.datasource)
            .withTarget(bq(o, topCallersSql(tables), bigquery.QueryFormat.Table))
            .reduceOptions(new common.ReduceDataOptionsBuilder().values(true).calcs(["lastNotNull"]).fields("/^calls$/"))
            .orientation(common.VizOrientation.Horizontal)
            .displayMode(common.BarGaugeDisplayMode.Basic)
            .thresholds(flat(COLORS.info))
            .gridPos(at(12, y + 9, 12, 8)),
        new table.PanelBuilder().id(P.deniedCalls).title("Denied calls (latest)")
            .description("The latest calls refused with PERMISSION_DENIED: who tried what, on which resource, from where.")
            .datasource(o.datasource)
            .withTarget(bq(o, deniedCallsSql(tables), bigquery.QueryFormat.Table))
            .gridPos(at(0, y + 17, 12, 9)),
        new table.PanelBuilder().id(P.adminChanges).title("Admin changes: destroy, disable, restore, IAM")
            .description("Key versions destroyed, disabled or restored and IAM policy changes on Cloud KMS resources (Admin Activity logs).")
            .datasource(o.datasource)
            .withTarget(bq(o, adminChangesSql(tables), bigquery.QueryFormat.Table))
            .overrideByName("status_code", [{ id: "mappings", value: STATUS_MAPPINGS },
                { id: "custom.cellOptions", value: { type: common.TableCellDisplayMode.ColorText } }])
            .overrideByName("action", [{ id: "mappings", value: valueMappings({
                destroy: { text: "destroy", color: COLORS.bad },
                disable: { text: "disable", color: COLORS.warn },
                restore: { text: "restore", color: COLORS.info },
                "iam-policy": { text: "IAM policy", color: COLORS.warn },
            }) }, { id: "custom.cellOptions", value: { type: common.TableCellDisplayMode.ColorText } }])
            .gridPos(at(12, y + 17, 12, 9)),
    ];
}

/** Per log-based metric: panel title and the metric labels (GCP component) its series are split by. */
export const LOG_METRIC_PANELS: Readonly<Record<KmsLogMetricKey, { title: string; groupBy: readonly string[] }>> = {
    keyVersionDestroy: { title: "Key version destroy requests", groupBy: ["crypto_key", "principal"] },
    keyVersionDisable: { title: "Key version disables", groupBy: ["crypto_key", "principal"] },
    iamPolicyChange: { title: "IAM policy changes", groupBy: ["resource_type", "principal"] },
    permissionDenied: { title: "Permission denied", groupBy: ["method", "principal"] },
};

function monitoringPanels(o: AuditMonitoringOptions, y: number): cog.Builder<dashboard.Panel>[] {
    return (Object.keys(LOG_METRIC_PANELS) as KmsLogMetricKey[]).map((key, i) => {
        const p = LOG_METRIC_PANELS[key];
        const groupBys = p.groupBy.map((l) => `metric.label.${l}`);
        return new timeseries.PanelBuilder().id(AUDIT_PANELS[key]).title(p.title)
            .description(`Log-based metric ${o.logMetricNames[key]} (events per interval), by ${p.groupBy.join(" and ")}.`)
            .datasource(o.datasource)
            .withTarget(new gcm.CloudMonitoringQueryBuilder().datasource(o.datasource).refId("A")
                .queryType(gcm.QueryType.TIMESERIESLIST)
                .aliasBy(p.groupBy.map((l) => `{{metric.label.${l}}}`).join(" "))
                .timeSeriesList(new gcm.TimeSeriesListBuilder()
                    .projectName(o.project)
                    .filters(["metric.type", "=", `logging.googleapis.com/user/${o.logMetricNames[key]}`])
                    // DELTA counters: the sum per alignment period is the number of events in it.
                    .perSeriesAligner("ALIGN_SUM")
                    .alignmentPeriod("cloud-monitoring-auto")
                    .crossSeriesReducer("REDUCE_SUM")
                    .groupBys(groupBys)
                    .view("FULL")))
            .drawStyle(common.GraphDrawStyle.Bars)
            .fillOpacity(80)
            .unit("short")
            .min(0)
            .thresholds(flat(key === "permissionDenied" || key === "keyVersionDestroy" ? COLORS.bad : COLORS.warn))
            .gridPos(at((i % 2) * 12, y + Math.floor(i / 2) * 8, 12, 8));
    });
}

/** kms-audit: who used which key, denied calls, admin changes and top callers, from the GCP audit sink. */
export function auditDashboard(o: AuditDashboardOptions): dashboard.Dashboard {
    const b = dashboardShell({
        title: "KMS Audit", uid: AUDIT_UID, tag: "audit", timeRange: o.timeRange, refresh: o.refresh,
        description: "Cloud KMS audit trail: key usage by principal, denied calls, admin changes (destroy/disable/IAM) and top callers.",
    });
    const panels = [
        ...(o.bigQuery ? bigQueryPanels(o.bigQuery, 0) : []),
        ...(o.cloudMonitoring ? monitoringPanels(o.cloudMonitoring, o.bigQuery ? 26 : 0) : []),
    ];
    panels.forEach((p) => b.withPanel(p));
    return b.build();
}
