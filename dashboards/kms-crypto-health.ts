import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as statetimeline from "@grafana/grafana-foundation-sdk/statetimeline";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { at, binaryMappings, COLORS, dashboardShell, identityVariables, thresholds, THRESHOLDS } from "./defaults";
import { PrometheusDashboardOptions } from "./options";
import { promInstant, promRange, sel } from "./queries";

/** Seed 001's dashboard, as alert links and bookmarks know it (`/d/kms-crypto-health`). */
export const CRYPTO_HEALTH_UID = "kms-crypto-health";

/** Panel ids: stable, so `viewPanel=` links (alerts, runbooks) keep working across edits. */
export const CRYPTO_HEALTH_PANELS = {
    health: 1,
    mode: 2,
    ready: 3,
    uptime: 4,
    decryptionErrors: 5,
    healthTimeline: 6,
    services: 7,
    activeAlerts: 8,
} as const;

const P = CRYPTO_HEALTH_PANELS;

/** A big single-value LED: the worst value across the selected services, coloured by mapping. */
function led(o: PrometheusDashboardOptions, id: number, title: string, description: string, expr: string, mappings: dashboard.ValueMapping[]): stat.PanelBuilder {
    return new stat.PanelBuilder().id(id).title(title).description(description).datasource(o.prometheus)
        .withTarget(promInstant(o.prometheus, "A", expr))
        .mappings(mappings)
        .thresholds(thresholds(COLORS.bad, 1, COLORS.ok))
        .colorMode(common.BigValueColorMode.Background)
        .graphMode(common.BigValueGraphMode.None)
        .textMode(common.BigValueTextMode.Value)
        .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false))
        .noValue("no data");
}

/** Column of the service table: query refId → header, and how values read. */
const SERVICE_COLUMNS = [
    { refId: "A", header: "Mode", mappings: binaryMappings("kms", "env") },
    { refId: "B", header: "Ready", mappings: binaryMappings("ready", "not ready") },
    { refId: "C", header: "Health", mappings: binaryMappings("healthy", "unhealthy") },
    { refId: "D", header: "/healthz probe", mappings: binaryMappings("up", "down") },
] as const;

function serviceTable(o: PrometheusDashboardOptions): table.PanelBuilder {
    const ds = o.prometheus;
    const by = "by (env, service)";
    const t = new table.PanelBuilder().id(P.services).title("Services")
        .description("Crypto status per service (worst instance). The service name links to its health endpoint.")
        .datasource(ds)
        .targets([
            promInstant(ds, "A", `min ${by} (${sel("crypto_mode")})`, prometheus.PromQueryFormat.Table),
            promInstant(ds, "B", `min ${by} (${sel("crypto_ready")})`, prometheus.PromQueryFormat.Table),
            promInstant(ds, "C", `min ${by} (${sel("kms:crypto_health_status")})`, prometheus.PromQueryFormat.Table),
            promInstant(ds, "D", `min ${by} (${sel("probe_success", 'job="blackbox-healthz"')})`, prometheus.PromQueryFormat.Table),
            promInstant(ds, "E", `max ${by} (${sel("kms:decryption_error_rate_5m")})`, prometheus.PromQueryFormat.Table),
            promInstant(ds, "F", `min ${by} (${sel("kms:uptime_since_last_crypto_init")})`, prometheus.PromQueryFormat.Table),
        ])
        // One row per env/service: the instant tables share env and service, merge joins them.
        .withTransformation({ id: "merge", options: {} })
        .withTransformation({
            id: "organize",
            options: {
                excludeByName: { Time: true },
                indexByName: { env: 0, service: 1, "Value #A": 2, "Value #B": 3, "Value #C": 4, "Value #D": 5, "Value #E": 6, "Value #F": 7 },
                renameByName: {
                    ...Object.fromEntries(SERVICE_COLUMNS.map((c) => [`Value #${c.refId}`, c.header])),
                    "Value #E": "Decryption errors/s", "Value #F": "Uptime since init",
                },
            },
        })
        .cellOptions({ type: common.TableCellDisplayMode.ColorText })
        .overrideByName("service", [{ id: "links", value: [{ title: "Health endpoint", url: o.serviceHealthUrl, targetBlank: true }] }])
        .overrideByName("Decryption errors/s", [
            { id: "unit", value: "ops" },
            { id: "thresholds", value: thresholds(COLORS.ok, THRESHOLDS.decryptionErrorsPerSecond, COLORS.bad).build() },
        ])
        .overrideByName("Uptime since init", [{ id: "unit", value: "s" }, { id: "color", value: { mode: "fixed", fixedColor: COLORS.neutral } }]);
    for (const c of SERVICE_COLUMNS) {
        t.overrideByName(c.header, [
            { id: "mappings", value: c.mappings },
            { id: "custom.cellOptions", value: { type: common.TableCellDisplayMode.ColorBackground } },
        ]);
    }
    return t;
}

/** The "active KMS alerts" list: alertlist is a core panel without a typed builder in the SDK. */
function activeAlerts(o: PrometheusDashboardOptions): dashboard.PanelBuilder {
    return new dashboard.PanelBuilder().type("alertlist").id(P.activeAlerts).title("Active KMS alerts")
        .description("Firing and pending KMS alerts of the selected environment, from the rules Prometheus evaluates.")
        .options({
            viewMode: "list",
            groupMode: "default",
            groupBy: [],
            maxItems: 20,
            sortOrder: 3, // importance
            dashboardAlerts: false,
            alertName: "",
            alertInstanceLabelFilter: '{alertname=~"KMS.*", env=~"$env"}',
            datasource: o.prometheusName,
            showInstances: true,
            stateFilter: { firing: true, pending: true, noData: false, normal: false, error: true, recovering: false },
        });
}

/** kms-crypto-health: is crypto on Cloud KMS, ready and decrypting, per env and service (seed 001). */
export function cryptoHealthDashboard(o: PrometheusDashboardOptions): dashboard.Dashboard {
    const ds = o.prometheus;
    return dashboardShell({
        title: "KMS Crypto Health", uid: CRYPTO_HEALTH_UID, tag: "crypto", timeRange: o.timeRange, refresh: o.refresh,
        description: "Backend crypto on Cloud KMS: health LED, mode, readiness, decryption errors, services and active alerts.",
    })
        .tooltip(dashboard.DashboardCursorSync.Crosshair)
        .variables(identityVariables(ds, "crypto_mode"))
        .withPanel(led(o, P.health, "KMS Crypto Health", "1 = healthy (Cloud KMS mode and ready on every selected instance), 0 = unhealthy.",
            `min(${sel("kms:crypto_health_status")})`, binaryMappings("Healthy", "Unhealthy")).gridPos(at(0, 0, 6, 5)))
        .withPanel(led(o, P.mode, "Crypto Mode", "kms = Cloud KMS wraps the data keys; env = environment-key fallback (not protected by KMS).",
            `min(${sel("crypto_mode")})`, binaryMappings("kms", "env")).gridPos(at(6, 0, 6, 5)))
        .withPanel(led(o, P.ready, "Crypto Ready", "Crypto initialised: KEK reachable and an active DEK loaded.",
            `min(${sel("crypto_ready")})`, binaryMappings("Ready", "Not ready")).gridPos(at(12, 0, 6, 5)))
        .withPanel(new stat.PanelBuilder().id(P.uptime).title("Uptime Since Init")
            .description("Time since the most recent crypto initialisation (backend start) among the selected instances.")
            .datasource(ds)
            .withTarget(promInstant(ds, "A", `min(${sel("kms:uptime_since_last_crypto_init")})`))
            .unit("s")
            .decimals(0)
            // Orange during the start-up window the alerts treat as a restart (KMSBackendRestarted).
            .thresholds(thresholds(COLORS.warn, THRESHOLDS.restartWindowSeconds, COLORS.ok))
            .colorMode(common.BigValueColorMode.Value)
            .graphMode(common.BigValueGraphMode.None)
            .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false))
            .gridPos(at(18, 0, 6, 5)))
        .withPanel(new timeseries.PanelBuilder().id(P.decryptionErrors).title("Decryption Error Rate (5m)")
            .description(`Decryption failures per second, 5-minute rate. The line is the KMSHighCryptoErrorRate threshold (${THRESHOLDS.decryptionErrorsPerSecond}/s).`)
            .datasource(ds)
            .withTarget(promRange(ds, "A", sel("kms:decryption_error_rate_5m"), "{{env}} / {{service}}"))
            .unit("ops")
            .min(0)
            .thresholds(thresholds(COLORS.ok, THRESHOLDS.decryptionErrorsPerSecond, COLORS.bad))
            .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed))
            .fillOpacity(10)
            .legend(new common.VizLegendOptionsBuilder().displayMode(common.LegendDisplayMode.Table)
                .placement(common.LegendPlacement.Bottom).showLegend(true).calcs(["max", "lastNotNull"]))
            .gridPos(at(0, 5, 12, 8)))
        .withPanel(new statetimeline.PanelBuilder().id(P.healthTimeline).title("Health Status Timeline")
            .description("kms:crypto_health_status per instance over time: when crypto left Cloud KMS or lost readiness.")
            .datasource(ds)
            .withTarget(promRange(ds, "A", sel("kms:crypto_health_status"), "{{service}} {{instance}}"))
            .mappings(binaryMappings("healthy", "unhealthy"))
            .thresholds(thresholds(COLORS.bad, 1, COLORS.ok))
            .mergeValues(true)
            .showValue(common.VisibilityMode.Never)
            .gridPos(at(12, 5, 12, 8)))
        .withPanel(serviceTable(o).gridPos(at(0, 13, 16, 9)))
        .withPanel(activeAlerts(o).gridPos(at(16, 13, 8, 9)))
        .build();
}
