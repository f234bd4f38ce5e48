import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";

/**
 * What every KMS dashboard shares: data source references, the colour vocabulary, thresholds, value
 * mappings and the env/service variables. Built with @grafana/grafana-foundation-sdk
 * 11.6.0-cogv0.0.x, i.e. the dashboard schema of Grafana 11.6 (schemaVersion 41).
 */

/**
 * Data source plugin ids as Grafana names them. AMP has its own plugin: SigV4 on the core Prometheus
 * data source is deprecated and Grafana 13 migrates such data sources to
 * `grafana-amazonprometheus-datasource` on startup (grafana.com/docs/grafana/v13.1/datasources/prometheus/configure/aws-authentication/),
 * so declaring the core type would revert that migration on every `pulumi up`.
 */
export const DATASOURCE_TYPES = {
    prometheus: "prometheus",
    amazonPrometheus: "grafana-amazonprometheus-datasource",
    bigQuery: "grafana-bigquery-datasource",
    cloudMonitoring: "stackdriver",
    cloudWatch: "cloudwatch",
} as const;

/** The Prometheus data source's plugin: the AMP plugin when the dashboards query AMP (no `url` configured). */
export function prometheusPluginId(g: { prometheus: { url?: string } }): string {
    return g.prometheus.url === undefined ? DATASOURCE_TYPES.amazonPrometheus : DATASOURCE_TYPES.prometheus;
}

/** A data source reference as panels and queries carry it. */
export interface DataSourceRef {
    readonly type: string;
    readonly uid: string;
}

/** One colour per meaning, so "red" means the same on every dashboard. */
export const COLORS = {
    ok: "green",
    bad: "red",
    warn: "orange",
    info: "blue",
    neutral: "text",
} as const;

export type Color = (typeof COLORS)[keyof typeof COLORS];

/** Tags every KMS dashboard carries (Grafana search, dashboard-list links). */
export const DASHBOARD_TAGS = ["kms", "kms-observability"] as const;

/** Threshold steps: `below` under `at`, `above` from `at` on. */
export function thresholds(below: Color, at: number, above: Color): dashboard.ThresholdsConfigBuilder {
    return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
        { value: null, color: below },
        { value: at, color: above },
    ]);
}

/** A single colour for every value (panels whose colour carries no judgement). */
export function flat(color: Color): dashboard.ThresholdsConfigBuilder {
    return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([{ value: null, color }]);
}

/** Value → text and colour, in the order given (Grafana shows them in `index` order). */
export function valueMappings(map: Readonly<Record<string, { text: string; color: Color }>>): dashboard.ValueMapping[] {
    const options: Record<string, dashboard.ValueMappingResult> = {};
    Object.entries(map).forEach(([value, r], index) => {
        options[value] = { text: r.text, color: r.color, index };
    });
    return [{ type: dashboard.MappingType.ValueToText, options }];
}

/** 1 = good, 0 = bad gauges (health, mode, readiness): the seed's LED semantics. */
export function binaryMappings(good: string, bad: string): dashboard.ValueMapping[] {
    return valueMappings({ "1": { text: good, color: COLORS.ok }, "0": { text: bad, color: COLORS.bad } });
}

/** The label filter every application query carries: the dashboard's env and service variables. */
export const IDENTITY_FILTER = 'env=~"$env", service=~"$service"';

/**
 * The `env` and `service` variables, values read from a metric's labels (service narrowed to the
 * chosen env). env is one deployment at a time; service may be several or All.
 */
export function identityVariables(ds: DataSourceRef, metric: string): dashboard.QueryVariableBuilder[] {
    const env = new dashboard.QueryVariableBuilder("env")
        .label("Environment")
        .datasource(ds)
        .query(`label_values(${metric}, env)`)
        .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
        .sort(dashboard.VariableSort.AlphabeticalAsc)
        .includeAll(false)
        .multi(false);
    const service = new dashboard.QueryVariableBuilder("service")
        .label("Service")
        .datasource(ds)
        .query(`label_values(${metric}{env=~"$env"}, service)`)
        .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
        .sort(dashboard.VariableSort.AlphabeticalAsc)
        .includeAll(true)
        .allValue(".*")
        .multi(true)
        .current({ text: "All", value: "$__all", selected: true });
    return [env, service];
}

/** A link in a dashboard's header to the other KMS dashboards (by tag), keeping time and variables. */
export function relatedDashboardsLink(): dashboard.DashboardLinkBuilder {
    return new dashboard.DashboardLinkBuilder("KMS dashboards")
        .type(dashboard.DashboardLinkType.Dashboards)
        .tags([DASHBOARD_TAGS[0]])
        .asDropdown(true)
        .includeVars(true)
        .keepTime(true)
        .targetBlank(false)
        .icon("external link")
        .tooltip("")
        .url("");
}

/** A grid position (Grafana's grid is 24 columns wide). */
export function at(x: number, y: number, w: number, h: number): dashboard.GridPos {
    return { x, y, w, h };
}

/**
 * Lines drawn on panels: the thresholds of the alerts that watch the same signal (alerts/catalog.ts;
 * a test keeps the two equal) and seed 003's targets.
 */
export const THRESHOLDS = {
    /** KMSHighCryptoErrorRate: kms:decryption_error_rate_5m > 0.1. */
    decryptionErrorsPerSecond: 0.1,
    /** KMSBackendRestarted: kms:uptime_since_last_crypto_init < 300. */
    restartWindowSeconds: 300,
    /** KMSOperationFailures: failed / all KMS calls > 1 %. */
    operationFailureRatio: 0.01,
    /** KMSHighLatency: p95 of kms_operation_duration_seconds > 1 s. */
    p95LatencySeconds: 1,
    /** Seed 003: key-material cache hit rate target > 80 %. */
    cacheHitRatio: 0.8,
} as const;

/**
 * Grafana's built-in "Annotations & Alerts" (alert state changes on the time series). Every dashboard
 * carries it: Grafana's own dashboards always do, and an `annotations` without `list` breaks imports.
 */
export function builtInAnnotations(): dashboard.AnnotationQueryBuilder {
    return new dashboard.AnnotationQueryBuilder()
        .name("Annotations & Alerts")
        .builtIn(1)
        .datasource({ type: "grafana", uid: "-- Grafana --" })
        .enable(true)
        .hide(true)
        .iconColor("rgba(0, 211, 255, 1)")
        .type("dashboard");
}

/** What sets one dashboard apart; the rest of the header is the same for every KMS dashboard. */
export interface DashboardHeader {
    readonly title: string;
    readonly uid: string;
    readonly description: string;
    /** Added to the shared tags. */
    readonly tag: string;
    /** e.g. `6h`: the default time range ends now. */
    readonly timeRange: string;
    /** Auto-refresh interval; none when undefined. */
    readonly refresh?: string;
}

/**
 * A dashboard with the shared header: tags, UTC, editable, default time range, the built-in
 * annotations and the links to the other KMS dashboards.
 */
export function dashboardShell(h: DashboardHeader): dashboard.DashboardBuilder {
    const b = new dashboard.DashboardBuilder(h.title)
        .uid(h.uid)
        .description(h.description)
        .tags([...DASHBOARD_TAGS, h.tag])
        .editable()
        .timezone("utc")
        .time({ from: `now-${h.timeRange}`, to: "now" })
        .annotation(builtInAnnotations())
        .link(relatedDashboardsLink());
    return h.refresh === undefined ? b : b.refresh(h.refresh);
}
