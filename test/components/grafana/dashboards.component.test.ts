import * as assert from "assert";
import { KmsDashboards } from "../../../components/grafana/dashboards";
import { DASHBOARDS } from "../../../dashboards";
import { GrafanaInput } from "../../../dashboards/grafana-input";
import { StackRun } from "../../harness";
import { assertNamesDerived, child, children, component, runAlone } from "../alone";

const metrics = { permissionDenied: "m-denied", keyVersionDestroy: "m-destroy", keyVersionDisable: "m-disable", iamPolicyChange: "m-iam" };

describe("grafana: KmsDashboards alone (components/grafana/dashboards.ts)", () => {
    const dashboardInput: GrafanaInput = {
        dashboards: { refresh: "30s", timeRange: "6h", auditTimeRange: "24h", serviceHealthUrl: "https://${__data.fields.service}.acme.test/healthz" },
        prometheus: { uid: "acme-prometheus", name: "Acme Prometheus", sigV4: { authType: "default" } },
        cloudWatch: { uid: "acme-cloudwatch", name: "Acme CloudWatch", authType: "default" },
        audit: {
            sources: ["bigquery"], auth: "jwt", clientEmail: "grafana-audit@acme-sec.iam.gserviceaccount.com",
            bigQuery: { uid: "acme-audit-bq", name: "Acme Audit (BigQuery)" }, cloudMonitoring: { uid: "acme-audit-mon", name: "Acme Audit (Monitoring)" },
        },
    };
    let run: StackRun;

    before(async () => {
        run = await runAlone(() => {
            const d = new KmsDashboards("dash", {
                folder: { uid: "acme-kms", title: "Acme KMS" },
                permissions: [{ team: "security-ops", permission: "Admin" }, { role: "Viewer", permission: "View" }],
                dashboardInput, awsRegion: "eu-west-1", ampQueryEndpoint: "https://aps.test/workspaces/ws-1/",
                audit: { project: "acme-sec", dataset: "kms_audit", location: "EU", logMetricNames: metrics },
                auditServiceAccountKey: "-----BEGIN PRIVATE KEY-----\nstand-in\n-----END PRIVATE KEY-----\n",
            });
            return { folderUid: d.folderUid, dashboardUrls: d.dashboardUrls, dataSourceUids: d.dataSourceUids };
        });
    });

    it("registers the folder, its permissions, the data sources and one dashboard per model, all under the component", () => {
        const c = component(run, "kms-observability:grafana:Dashboards", "dash");
        const kids = children(run, c);
        assert.ok(kids.includes("grafana:oss/folder:Folder dash-folder"));
        assert.ok(kids.includes("grafana:oss/folderPermission:FolderPermission dash-folder-permissions"));
        assert.strictEqual(kids.filter((k) => k.startsWith("grafana:oss/dashboard:Dashboard ")).length, DASHBOARDS.length);
        assert.ok(kids.filter((k) => k.startsWith("grafana:oss/dataSource:DataSource ")).length >= 2);
        const grants = child(run, c, "grafana:oss/folderPermission:FolderPermission", "dash-folder-permissions").inputs.permissions as Record<string, unknown>[];
        assert.deepStrictEqual(grants.map((g) => [g.teamId === undefined ? g.role : "team", g.permission]), [["team", "Admin"], ["Viewer", "View"]]);
        assert.deepStrictEqual(run.resources.filter((r) => r.type.startsWith("grafana:") && r.parent !== c.urn), []);
        assertNamesDerived(run, c);
    });

    it("points the Prometheus data source at the AMP query endpoint given", () => {
        const c = run.one("kms-observability:grafana:Dashboards");
        assert.strictEqual(child(run, c, "grafana:oss/dataSource:DataSource", "dash-prometheus").inputs.url, "https://aps.test/workspaces/ws-1");
    });

    it("outputs the folder uid, a URL per dashboard and the data source uids", () => {
        assert.strictEqual(run.outputs.folderUid, "acme-kms");
        assert.strictEqual(Object.keys(run.outputs.dashboardUrls as object).length, DASHBOARDS.length);
        assert.deepStrictEqual(run.outputs.dataSourceUids, { prometheus: "acme-prometheus", cloudwatch: "acme-cloudwatch", bigquery: "acme-audit-bq" });
    });
});
