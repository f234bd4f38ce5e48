import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as statetimeline from "@grafana/grafana-foundation-sdk/statetimeline";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { at, Color, COLORS, dashboardShell, flat, identityVariables, thresholds, THRESHOLDS, valueMappings } from "./defaults";
import { PrometheusDashboardOptions } from "./options";
import { promRange, sel } from "./queries";

/** Seed 003's dashboard of the AWS KMS client (`/d/kms-operations`, linked from its runbook). */
export const OPERATIONS_UID = "kms-operations";

/** Panel ids: stable, for `viewPanel=` links. */
export const OPERATIONS_PANELS = {
    operationRate: 1,
    failurePercentage: 2,
    p95Latency: 3,
    cacheHitRate: 4,
    circuitBreaker: 5,
    errorsByCode: 6,
} as const;

const P = OPERATIONS_PANELS;
const RATE = "[$__rate_interval]";

/** `sum by (<by>) (rate(<series>{filters}[$__rate_interval]))` */
const rate = (series: string, by: string, extra?: string) => `sum by (${by}) (rate(${sel(series, extra)}${RATE}))`;

/** A time series panel with a dashed threshold line at `line`, coloured `below` under it and `above` from it on. */
function withLine(id: number, title: string, description: string, unit: string, below: Color, line: number, above: Color): timeseries.PanelBuilder {
    return new timeseries.PanelBuilder().id(id).title(title).description(description)
        .unit(unit)
        .min(0)
        .thresholds(thresholds(below, line, above))
        .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed))
        .fillOpacity(10)
        .legend(new common.VizLegendOptionsBuilder().displayMode(common.LegendDisplayMode.Table)
            .placement(common.LegendPlacement.Bottom).showLegend(true).calcs(["max", "lastNotNull"]));
}

/** kms-operations: rate, failures, latency, cache and circuit breaker of the KMS client (seed 003). */
export function operationsDashboard(o: PrometheusDashboardOptions): dashboard.Dashboard {
    const ds = o.prometheus;
    const calls = "kms_operation_duration_seconds_count";
    return dashboardShell({
        title: "KMS Operations", uid: OPERATIONS_UID, tag: "operations", timeRange: o.timeRange, refresh: o.refresh,
        description: "AWS KMS client: call rate, failure percentage, p95 latency, key cache and circuit breaker.",
    })
        .tooltip(dashboard.DashboardCursorSync.Crosshair)
        .variables(identityVariables(ds, calls))
        .withPanel(new timeseries.PanelBuilder().id(P.operationRate).title("Operation rate")
            .description("KMS calls per second by operation (Encrypt, Decrypt, GenerateDataKey, Sign, ...).")
            .datasource(ds)
            .withTarget(promRange(ds, "A", rate(calls, "operation"), "{{operation}}"))
            .unit("ops")
            .min(0)
            .thresholds(flat(COLORS.info))
            .fillOpacity(10)
            .gridPos(at(0, 0, 12, 8)))
        .withPanel(withLine(P.failurePercentage, "Failure percentage",
            `Failed KMS calls / all KMS calls by operation. The line is KMSOperationFailures' threshold (${THRESHOLDS.operationFailureRatio * 100}%).`,
            "percentunit", COLORS.ok, THRESHOLDS.operationFailureRatio, COLORS.bad)
            .datasource(ds)
            .withTarget(promRange(ds, "A", `${rate("kms_errors_total", "operation")}\n  / ${rate(calls, "operation")}`, "{{operation}}"))
            .gridPos(at(12, 0, 12, 8)))
        .withPanel(withLine(P.p95Latency, "p95 latency",
            `95th percentile of kms_operation_duration_seconds by operation. The line is KMSHighLatency's threshold (${THRESHOLDS.p95LatencySeconds}s).`,
            "s", COLORS.ok, THRESHOLDS.p95LatencySeconds, COLORS.bad)
            .datasource(ds)
            .withTarget(promRange(ds, "A", `histogram_quantile(0.95, ${rate("kms_operation_duration_seconds_bucket", "le, operation")})`, "{{operation}}"))
            .gridPos(at(0, 8, 12, 8)))
        .withPanel(withLine(P.cacheHitRate, "Key cache hit rate",
            `Share of key-material lookups served from cache (no KMS call). Below the line (${THRESHOLDS.cacheHitRatio * 100}%) KMS load and throttling risk rise.`,
            "percentunit", COLORS.bad, THRESHOLDS.cacheHitRatio, COLORS.ok)
            .datasource(ds)
            .withTarget(promRange(ds, "A",
                `${rate("kms_cache_hit_total", "cache")}\n  / (${rate("kms_cache_hit_total", "cache")} + ${rate("kms_cache_miss_total", "cache")})`,
                "{{cache}}"))
            .max(1)
            .gridPos(at(12, 8, 12, 8)))
        .withPanel(new statetimeline.PanelBuilder().id(P.circuitBreaker).title("Circuit breaker state")
            .description("KMS client circuit breakers: closed (calls pass), open (calls blocked), half-open (probing recovery).")
            .datasource(ds)
            .withTarget(promRange(ds, "A", `max by (service, name) (${sel("circuit_breaker_state")})`, "{{service}} {{name}}"))
            .mappings(valueMappings({
                "0": { text: "closed", color: COLORS.ok },
                "1": { text: "open", color: COLORS.bad },
                "2": { text: "half-open", color: COLORS.warn },
            }))
            .thresholds(flat(COLORS.neutral))
            .mergeValues(true)
            .showValue(common.VisibilityMode.Auto)
            .gridPos(at(0, 16, 12, 8)))
        .withPanel(new timeseries.PanelBuilder().id(P.errorsByCode).title("Errors by code")
            .description("Failed KMS calls per second by AWS error code: AccessDenied → IAM, KMSInvalidState → key disabled, Throttling → cache (runbook).")
            .datasource(ds)
            .withTarget(promRange(ds, "A", rate("kms_errors_total", "operation, error_code"), "{{operation}} {{error_code}}"))
            .unit("ops")
            .min(0)
            .thresholds(flat(COLORS.bad))
            .fillOpacity(10)
            .gridPos(at(12, 16, 12, 8)))
        .build();
}
