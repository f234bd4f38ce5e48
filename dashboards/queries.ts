import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import { ALL_SERIES } from "../alerts/metrics";
import { RECORDING_RULES } from "../alerts/recording";
import { DataSourceRef, IDENTITY_FILTER } from "./defaults";

/** Every series a panel may query: what the application exposes plus the catalog's recording rules. */
export const QUERYABLE_SERIES: ReadonlySet<string> = new Set([...ALL_SERIES, ...RECORDING_RULES.map((r) => r.record)]);

/**
 * `name{<extra>, env=~"$env", service=~"$service"}`. Throws for a name that is neither in
 * alerts/metrics.ts nor a recording rule, so a renamed metric breaks the build, not the dashboard.
 */
export function sel(name: string, extra?: string): string {
    if (!QUERYABLE_SERIES.has(name)) {
        throw new Error(`dashboards query "${name}", which is neither an application series (alerts/metrics.ts) nor a recording rule (alerts/recording.ts)`);
    }
    return `${name}{${extra ? `${extra}, ` : ""}${IDENTITY_FILTER}}`;
}

/** A PromQL range query (time series, legend from labels). */
export function promRange(ds: DataSourceRef, refId: string, expr: string, legend: string): prometheus.DataqueryBuilder {
    return new prometheus.DataqueryBuilder().datasource(ds).refId(refId).expr(expr).range()
        .legendFormat(legend).editorMode(prometheus.QueryEditorMode.Code);
}

/** A PromQL instant query (stat panels and tables show the latest value). */
export function promInstant(ds: DataSourceRef, refId: string, expr: string, format = prometheus.PromQueryFormat.TimeSeries): prometheus.DataqueryBuilder {
    return new prometheus.DataqueryBuilder().datasource(ds).refId(refId).expr(expr).instant()
        .format(format).editorMode(prometheus.QueryEditorMode.Code);
}
