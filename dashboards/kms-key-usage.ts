import * as cloudwatch from "@grafana/grafana-foundation-sdk/cloudwatch";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { ERRORS_METRIC, FAILED_METRIC, OPERATIONS_METRIC, USAGE_NAMESPACE } from "../metrics/aws-key-usage";
import { COLORS, at, dashboardShell, flat } from "./defaults";
import { KeyUsageDashboardOptions } from "./options";

/**
 * kms-key-usage, beside kms-operations: what the keys themselves see, from CloudTrail (the metric
 * filters of components/aws/key-usage.ts), whereas kms-operations shows what the applications'
 * KMS clients report. Queries are CloudWatch SEARCH expressions over the filters' dimensions, so new
 * keys appear without editing the dashboard
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/search-expression-syntax.html).
 */
export const KEY_USAGE_UID = "kms-key-usage";

export const KEY_USAGE_PANELS = {
    operationsByKey: 1,
    operationsByKeyAndOperation: 2,
    errorsByKeyAndCode: 3,
    failedOperations: 4,
} as const;

const P = KEY_USAGE_PANELS;
/** Five-minute sums: CloudTrail delivers to CloudWatch Logs within minutes, finer buckets only add noise. */
const PERIOD = "300";

/** `SEARCH('{namespace,dims} MetricName="m"', 'Sum', 300)`: one series per combination of the dimensions. */
export function searchExpression(metric: string, dimensions: readonly string[]): string {
    return `SEARCH('{${USAGE_NAMESPACE},${dimensions.join(",")}} MetricName="${metric}"', 'Sum', ${PERIOD})`;
}

/**
 * Metrics Insights: operations summed per key across operations (SEARCH cannot group; Insights can)
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-querylanguage.html).
 */
export const OPERATIONS_PER_KEY_SQL = `SELECT SUM(${OPERATIONS_METRIC}) FROM SCHEMA("${USAGE_NAMESPACE}", KeyArn, Operation) GROUP BY KeyArn`;

function query(o: KeyUsageDashboardOptions, expression: string, label: string): cloudwatch.CloudWatchMetricsQueryBuilder {
    return new cloudwatch.CloudWatchMetricsQueryBuilder()
        .refId("A")
        .datasource(o.datasource)
        .queryMode(cloudwatch.CloudWatchQueryMode.Metrics)
        .metricQueryType(cloudwatch.MetricQueryType.Search)
        .metricEditorMode(cloudwatch.MetricEditorMode.Code)
        .expression(expression)
        .region("default")
        .id("")
        .label(label)
        .period(PERIOD);
}

function counts(id: number, title: string, description: string, color: (typeof COLORS)[keyof typeof COLORS]): timeseries.PanelBuilder {
    return new timeseries.PanelBuilder().id(id).title(title).description(description)
        .unit("short")
        .min(0)
        .thresholds(flat(color))
        .fillOpacity(10)
        .legend(new common.VizLegendOptionsBuilder().displayMode(common.LegendDisplayMode.Table)
            .placement(common.LegendPlacement.Bottom).showLegend(true).calcs(["sum", "max"]));
}

/** kms-key-usage: per-key operation and error counts from CloudTrail, and the failed-operations count its alarm watches. */
export function keyUsageDashboard(o: KeyUsageDashboardOptions): dashboard.Dashboard {
    const ds = o.datasource;
    return dashboardShell({
        title: "KMS Key Usage", uid: KEY_USAGE_UID, tag: "key-usage", timeRange: o.timeRange, refresh: o.refresh,
        description: "Per-key KMS operations and errors as CloudTrail records them (all callers, all accounts), next to KMS Operations (the clients' view).",
    })
        .withPanel(counts(P.operationsByKey, "Operations per key",
            "KMS calls per key (5-minute sums), from the CloudTrail log group. A key with no traffic for days, or a sudden step, is worth a look.", COLORS.info)
            .datasource(ds)
            .withTarget(new cloudwatch.CloudWatchMetricsQueryBuilder()
                .refId("A").datasource(ds)
                .queryMode(cloudwatch.CloudWatchQueryMode.Metrics)
                .metricQueryType(cloudwatch.MetricQueryType.Insights)
                .metricEditorMode(cloudwatch.MetricEditorMode.Code)
                .sqlExpression(OPERATIONS_PER_KEY_SQL)
                .region("default").id("").period(PERIOD))
            .gridPos(at(0, 0, 12, 8)))
        .withPanel(counts(P.operationsByKeyAndOperation, "Operations by key and operation",
            "Encrypt, Decrypt, GenerateDataKey, Sign, Verify, GenerateMac... per key: the usage pattern of each key over time.", COLORS.info)
            .datasource(ds)
            .withTarget(query(o, searchExpression(OPERATIONS_METRIC, ["KeyArn", "Operation"]), "${PROP('Dim.KeyArn')} ${PROP('Dim.Operation')}"))
            .gridPos(at(12, 0, 12, 8)))
        .withPanel(counts(P.errorsByKeyAndCode, "Errors by key and code",
            "Failed KMS calls per key and errorCode (DisabledException, InvalidCiphertextException, AccessDenied, ThrottlingException...). Runbook: aws-kms.md#failed-key-operations.", COLORS.bad)
            .datasource(ds)
            .withTarget(query(o, searchExpression(ERRORS_METRIC, ["KeyArn", "ErrorCode"]), "${PROP('Dim.KeyArn')} ${PROP('Dim.ErrorCode')}"))
            .gridPos(at(0, 8, 12, 8)))
        .withPanel(counts(P.failedOperations, "Failed key operations (alarm metric)",
            "Every failed KMS call on this account's keys, 5-minute sums: the metric the failed-key-operations alarm compares with its threshold.", COLORS.bad)
            .datasource(ds)
            .withTarget(new cloudwatch.CloudWatchMetricsQueryBuilder()
                .refId("A").datasource(ds)
                .queryMode(cloudwatch.CloudWatchQueryMode.Metrics)
                .metricQueryType(cloudwatch.MetricQueryType.Search)
                .metricEditorMode(cloudwatch.MetricEditorMode.Builder)
                .namespace(USAGE_NAMESPACE).metricName(FAILED_METRIC).statistic("Sum").period(PERIOD)
                .region("default").dimensions({}).matchExact(true).id("").label("failed"))
            .gridPos(at(12, 8, 12, 8)))
        .build();
}
