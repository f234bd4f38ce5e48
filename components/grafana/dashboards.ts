import * as pulumi from "@pulumi/pulumi";
import * as oss from "@pulumiverse/grafana/oss";
import { DASHBOARDS, RenderedDashboard, renderDashboards } from "../../dashboards";
import { GrafanaInput } from "../../dashboards/grafana-input";
import { dashboardOptions } from "../../dashboards/options";
import { KmsLogMetricKey } from "../../metrics/gcp-log-metrics";
import { auditDataSource, auditPrivateKey, cloudWatchDataSource, prometheusDataSource } from "../../dashboards/datasources";

/** Where the audit data lives (outputs of the GCP audit component). */
export interface AuditInputs {
    /** Project of the dataset and the log-based metrics. */
    readonly project: pulumi.Input<string>;
    /** BigQuery dataset id the sink writes to (default `kms_audit`). */
    readonly dataset: pulumi.Input<string>;
    /** The dataset's location (BigQuery processing location), e.g. `US`. */
    readonly location: string;
    /** Log-based metric names by meaning (the GCP component's `logMetricNames`). */
    readonly logMetricNames: pulumi.Input<Record<KmsLogMetricKey, string>>;
}

/**
 * One grant on the folder: a Grafana team (by name, looked up at preview) or a basic role, and its
 * level. Exactly one of `team` and `role`.
 */
export interface FolderGrantArgs {
    /** Grafana team name, e.g. `security-ops`. */
    readonly team?: string;
    /** Basic role. */
    readonly role?: "Viewer" | "Editor" | "Admin";
    /** View (read dashboards), Edit (change them) or Admin (also change permissions). */
    readonly permission: "View" | "Edit" | "Admin";
}

export interface KmsDashboardsArgs {
    /** The folder holding the dashboards: its stable uid and its title. */
    readonly folder: { readonly uid: string; readonly title: string };
    /**
     * The folder's grants, authoritative: exactly these (Grafana's default Viewer: View and Editor:
     * Edit stay only if listed). At least one.
     */
    readonly permissions: readonly FolderGrantArgs[];
    /**
     * What dashboards/ builds the data sources and dashboards from: the Prometheus, CloudWatch and
     * audit data sources (uids, names, auth) and the dashboards' refresh and time ranges.
     */
    readonly dashboardInput: GrafanaInput;
    /** AWS region of the AMP workspace (SigV4 signing region) and of the CloudWatch metrics. */
    readonly awsRegion: string;
    /**
     * AMP workspace query endpoint (`prometheusEndpoint`). Given: the Prometheus data source queries it
     * with SigV4. Unset (default): it queries `dashboardInput.prometheus.url`, which must then be set.
     */
    readonly ampQueryEndpoint?: pulumi.Input<string>;
    /** The audit sink and metrics the audit dashboard reads. */
    readonly audit: AuditInputs;
    /**
     * The audit data sources' service-account key (JSON, secret). Required when
     * `dashboardInput.audit.auth` is `jwt`; default none (`gce`: the host's metadata server).
     */
    readonly auditServiceAccountKey?: pulumi.Input<string>;
}

function jsonOf(all: readonly RenderedDashboard[], uid: string): string {
    const d = all.find((r) => r.uid === uid);
    if (!d) throw new Error(`dashboard ${uid} was not rendered`);
    return d.json;
}

/**
 * The KMS folder in Grafana: the folder (stable uid), its permissions (authoritative), the Prometheus
 * and audit data sources, and the dashboards built in dashboards/.
 */
export class KmsDashboards extends pulumi.ComponentResource {
    public readonly folderUid: pulumi.Output<string>;
    /** Dashboard URL by dashboard uid. */
    public readonly dashboardUrls: pulumi.Output<Record<string, string>>;
    /** Data source uid by role: `prometheus`, `cloudwatch`, and `bigquery` / `cloud-monitoring` when enabled. */
    public readonly dataSourceUids: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: KmsDashboardsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kms-observability:grafana:Dashboards", name, {}, opts);
        const g = args.dashboardInput;

        const folder = new oss.Folder(`${name}-folder`, {
            uid: args.folder.uid,
            title: args.folder.title,
            // Hand-made dashboards in the folder survive a mistaken destroy.
            preventDestroyIfNotEmpty: true,
        }, { parent: this });

        // Authoritative: exactly these grants; Grafana's default Viewer/Editor grants stay only if listed.
        new oss.FolderPermission(`${name}-folder-permissions`, {
            folderUid: folder.uid,
            permissions: args.permissions.map((p, i) => p.team !== undefined
                ? { teamId: this.teamId(p.team, i), permission: p.permission }
                : { role: p.role, permission: p.permission }),
        }, { parent: this });

        if (args.ampQueryEndpoint === undefined && g.prometheus.url === undefined) {
            throw new pulumi.ResourceError("grafana: nothing to query: pass the AMP query endpoint or set grafana.prometheus.url", this);
        }
        const promDoc = pulumi.output(args.ampQueryEndpoint).apply((e) => prometheusDataSource(g, args.awsRegion, e));
        const prometheus = new oss.DataSource(`${name}-prometheus`, {
            type: promDoc.type,
            uid: g.prometheus.uid,
            name: g.prometheus.name,
            url: promDoc.apply((d) => d.url ?? ""),
            jsonDataEncoded: promDoc.apply((d) => JSON.stringify(d.jsonData)),
            isDefault: false,
        }, { parent: this });

        const secureJson = this.auditSecureJson(args);
        const audit = g.audit.sources.map((view) => {
            const doc = pulumi.output(args.audit.project).apply((project) => auditDataSource(g, view, project, args.audit.location));
            return new oss.DataSource(`${name}-audit-${view}`, {
                type: doc.type,
                uid: doc.uid,
                name: doc.name,
                jsonDataEncoded: doc.apply((d) => JSON.stringify(d.jsonData)),
                secureJsonDataEncoded: secureJson,
                isDefault: false,
            }, { parent: this });
        });

        const cwDoc = cloudWatchDataSource(g, args.awsRegion);
        const cloudWatch = new oss.DataSource(`${name}-cloudwatch`, {
            type: cwDoc.type,
            uid: cwDoc.uid,
            name: cwDoc.name,
            jsonDataEncoded: JSON.stringify(cwDoc.jsonData),
            isDefault: false,
        }, { parent: this });

        const rendered = pulumi.all([args.audit.project, args.audit.dataset, args.audit.logMetricNames])
            .apply(([project, dataset, logMetricNames]) => renderDashboards(dashboardOptions(g, { project, dataset, logMetricNames })));
        // Created after the data sources so that no panel ever references a missing uid.
        const dashboards = DASHBOARDS.map((d) => new oss.Dashboard(`${name}-${d.uid}`, {
            folder: folder.uid,
            configJson: rendered.apply((all) => jsonOf(all, d.uid)),
            // Takes over a copy imported by hand from grafana/dashboards/<uid>.json (same uid).
            overwrite: true,
            message: "Provisioned by kms-observability (Pulumi)",
        }, { parent: this, dependsOn: [prometheus, cloudWatch, ...audit] }));

        this.folderUid = folder.uid;
        this.dashboardUrls = pulumi.all(dashboards.map((d) => pulumi.all([d.uid, d.url])))
            .apply((pairs) => Object.fromEntries(pairs));
        this.dataSourceUids = pulumi.all([prometheus.uid, cloudWatch.uid, ...audit.map((d) => d.uid)])
            .apply(([p, cw, ...a]): Record<string, string> => ({
                prometheus: p, cloudwatch: cw, ...Object.fromEntries(g.audit.sources.map((view, i) => [view, a[i]])),
            }));
        this.registerOutputs({ folderUid: this.folderUid, dashboardUrls: this.dashboardUrls, dataSourceUids: this.dataSourceUids });
    }

    /** A team's numeric id, or an error naming the config entry when Grafana has no such team. */
    private teamId(team: string, index: number): pulumi.Output<string> {
        return pulumi.output(oss.getTeam({ name: team }, { parent: this }).then((t) => String(t.teamId), (e: unknown) => {
            const why = (e as { details?: unknown }).details ?? (e instanceof Error ? e.message : String(e));
            throw new Error(`grafana.permissions[${index}]: team "${team}" does not exist in Grafana (${String(why)}): create it or fix the name`);
        }));
    }

    /** `{"privateKey": ...}` for JWT auth, as a secret; nothing for the metadata server. */
    private auditSecureJson(args: KmsDashboardsArgs): pulumi.Output<string> | undefined {
        const a = args.dashboardInput.audit;
        if (a.auth === "gce") return undefined;
        if (args.auditServiceAccountKey === undefined || a.clientEmail === undefined) {
            throw new pulumi.ResourceError("grafana: audit.auth is jwt but no service-account key (grafanaAuditServiceAccountKey) or clientEmail was given", this);
        }
        const email = a.clientEmail;
        return pulumi.secret(pulumi.output(args.auditServiceAccountKey)
            .apply((key) => JSON.stringify({ privateKey: auditPrivateKey(key, email) })));
    }
}
