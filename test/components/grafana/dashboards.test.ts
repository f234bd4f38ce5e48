import * as assert from "assert";
import * as path from "path";
import { parseSettings } from "../../../config/load";
import { PlanResource } from "../../../tools/engine";
import { renderArtifacts } from "../../../tools/artifacts";
import { StackRun, editSection, runStack, stackConfig, stackRun, withConfig } from "../../harness";
import { programErrors } from "../../harness";
import { grafanaCalls } from "../../../tools/mocks/grafana";

const T = {
    component: "kms-observability:grafana:Dashboards",
    folder: "grafana:oss/folder:Folder",
    permission: "grafana:oss/folderPermission:FolderPermission",
    dataSource: "grafana:oss/dataSource:DataSource",
    dashboard: "grafana:oss/dashboard:Dashboard",
    workspace: "aws:amp/workspace:Workspace",
};

interface GrafanaOutputs { folderUid: string; dashboardUrls: Record<string, string>; dataSourceUids: Record<string, string> }
const out = (run: StackRun) => run.outputs.grafana as GrafanaOutputs;
const json = (r: PlanResource, key: string) => JSON.parse(String(r.inputs[key])) as Record<string, unknown>;
const dataSource = (run: StackRun, uid: string) => {
    const found = run.ofType(T.dataSource).filter((r) => r.inputs.uid === uid);
    assert.strictEqual(found.length, 1, `one data source ${uid}`);
    return found[0];
};

type Section = Record<string, unknown>;

describe("grafana: KmsDashboards — folder, permissions, data sources, dashboards (components/grafana)", () => {
    let prod: StackRun;
    let staging: StackRun;
    let noAmp: StackRun;
    let gce: StackRun;

    before(async () => {
        prod = await stackRun("prod");
        staging = await stackRun("staging");
        noAmp = await runStack(editSection(editSection(stackConfig("prod"), "amp", (a) => { a.enabled = false; }), "grafana", (g) => {
            (g.prometheus as Section).url = "https://prometheus.ledger-mind.org";
        }));
        gce = await runStack(withConfig(editSection(stackConfig("prod"), "grafana", (g) => {
            const a = g.audit as Section;
            a.auth = "gce";
            delete a.clientEmail;
            a.sources = ["bigquery"];
        }), { grafanaAuditServiceAccountKey: undefined }));
    });

    it("creates the folder with its stable uid and title, kept while it holds dashboards", () => {
        const f = prod.one(T.folder);
        assert.deepStrictEqual([f.inputs.uid, f.inputs.title, f.inputs.preventDestroyIfNotEmpty], ["kms-observability", "KMS Observability", true]);
        assert.strictEqual(staging.one(T.folder).inputs.title, "KMS Observability (staging)");
        assert.strictEqual(f.parent, prod.one(T.component).urn);
    });

    it("grants exactly the configured teams and roles on the folder (teams looked up by name)", () => {
        const p = prod.one(T.permission);
        assert.strictEqual(p.inputs.folderUid, "kms-observability");
        assert.ok(p.dependsOn.includes(prod.one(T.folder).urn));
        const perms = p.inputs.permissions as { permission: string; teamId?: string; role?: string }[];
        assert.deepStrictEqual(perms.map((x) => x.permission), ["Admin", "Edit", "View"]);
        assert.ok(perms.every((x) => /^\d+$/.test(String(x.teamId)) && x.role === undefined), JSON.stringify(perms));
        assert.strictEqual(new Set(perms.map((x) => x.teamId)).size, 3, "three different teams");
        // Prod lists no basic role: Grafana's default Viewer/Editor grants are removed from this folder.
        const st = staging.one(T.permission).inputs.permissions as { permission: string; role?: string }[];
        assert.deepStrictEqual(st.filter((x) => x.role).map((x) => [x.role, x.permission]), [["Editor", "Edit"], ["Viewer", "View"]]);
    });

    it("fails when a configured team does not exist in Grafana", async () => {
        const errors = await programErrors(stackConfig("prod"), { calls: { "grafana:oss/getTeam:getTeam": (a, ctx) => {
            if (a.name !== "platform") return grafanaCalls["grafana:oss/getTeam:getTeam"](a, ctx);
            throw Object.assign(new Error("404"), { details: "team not found" });
        } } });
        assert.ok(errors.length > 0, "the run must fail");
        for (const e of errors) {
            assert.ok(e.includes('grafana.permissions[2]: team "platform" does not exist in Grafana (team not found): create it or fix the name'), e);
        }
    });

    it("with AMP: the Amazon Managed Prometheus plugin on the workspace endpoint, SigV4-signed for aps in the AWS region", () => {
        const ds = dataSource(prod, "kms-prometheus");
        const ws = prod.one(T.workspace);
        // Not the core "prometheus" type: Grafana 13 migrates SigV4 Prometheus data sources to this plugin.
        assert.strictEqual(ds.inputs.type, "grafana-amazonprometheus-datasource");
        assert.strictEqual(ds.inputs.name, "KMS Prometheus (AMP)");
        assert.match(String(ds.inputs.url), /^https:\/\/aps-workspaces\.us-east-1\.amazonaws\.com\/workspaces\/ws-[0-9a-f-]+$/);
        assert.ok(ds.dependsOn.includes(ws.urn), "reads the workspace's endpoint");
        assert.deepStrictEqual(json(ds, "jsonDataEncoded"), {
            httpMethod: "POST", manageAlerts: true, prometheusType: "Prometheus", timeInterval: "30s",
            sigV4Auth: true, sigV4AuthType: "default", sigV4Region: "us-east-1", sigv4Service: "aps",
            sigV4AssumeRoleArn: "arn:aws:iam::123456789012:role/grafana-amp-query",
        });
        assert.strictEqual(json(dataSource(staging, "kms-prometheus"), "jsonDataEncoded").sigV4Region, "eu-west-1");
        assert.strictEqual(ds.inputs.isDefault, false);
    });

    it("without AMP: Prometheus data source on the configured URL, no SigV4", () => {
        const ds = dataSource(noAmp, "kms-prometheus");
        assert.strictEqual(ds.inputs.type, "prometheus");
        assert.strictEqual(ds.inputs.url, "https://prometheus.ledger-mind.org");
        const j = json(ds, "jsonDataEncoded");
        assert.strictEqual(j.sigV4Auth, undefined);
        assert.strictEqual(j.httpMethod, "POST");
        assert.strictEqual(noAmp.ofType(T.workspace).length, 0);
    });

    it("CloudWatch data source for the key-usage dashboard: default credential chain in the stack's region", () => {
        const cw = dataSource(prod, "kms-cloudwatch");
        assert.strictEqual(cw.inputs.type, "cloudwatch");
        assert.deepStrictEqual(json(cw, "jsonDataEncoded"), { authType: "default", defaultRegion: "us-east-1" });
        const usage = prod.ofType(T.dashboard).find((d) => json(d, "configJson").uid === "kms-key-usage");
        const targets = (json(usage as PlanResource, "configJson").panels as { targets: { expression?: string; sqlExpression?: string; metricName?: string }[] }[]).flatMap((p) => p.targets);
        assert.ok(targets.some((t) => t.sqlExpression?.includes('FROM SCHEMA("KmsObservability/KeyUsage", KeyArn, Operation) GROUP BY KeyArn')));
        assert.ok(targets.some((t) => t.expression?.includes('MetricName="KeyErrors"') && t.expression.includes("KeyArn,ErrorCode")));
        assert.ok(targets.some((t) => t.metricName === "FailedKeyOperations"));
    });

    it("audit data sources: BigQuery in the dataset's location and Cloud Monitoring, JWT with the key as a secret", () => {
        const bq = dataSource(prod, "kms-audit-bigquery");
        assert.strictEqual(bq.inputs.type, "grafana-bigquery-datasource");
        assert.deepStrictEqual(json(bq, "jsonDataEncoded"), {
            authenticationType: "jwt", clientEmail: "grafana-kms-audit@ledgermind-prod.iam.gserviceaccount.com",
            defaultProject: "ledgermind-prod", tokenUri: "https://oauth2.googleapis.com/token", processingLocation: "US",
        });
        assert.strictEqual(bq.inputs.secureJsonDataEncoded, "[secret]");
        const gcm = dataSource(prod, "kms-audit-monitoring");
        assert.strictEqual(gcm.inputs.type, "stackdriver");
        assert.strictEqual(json(gcm, "jsonDataEncoded").authenticationType, "jwt");
        assert.strictEqual(gcm.inputs.secureJsonDataEncoded, "[secret]");
        const plan = JSON.stringify(prod.resources);
        assert.ok(!plan.includes("offline-secret:"), "the key never appears in the plan");
    });

    it("metadata-server auth: no key, only the enabled view's data source and panels", () => {
        const [ds, ...rest] = gce.ofType(T.dataSource).filter((r) => r.inputs.uid !== "kms-prometheus" && r.inputs.uid !== "kms-cloudwatch");
        assert.strictEqual(rest.length, 0);
        assert.deepStrictEqual(json(ds, "jsonDataEncoded"), { authenticationType: "gce", defaultProject: "ledgermind-prod", processingLocation: "US" });
        assert.strictEqual(ds.inputs.secureJsonDataEncoded, undefined);
        const audit = gce.ofType(T.dashboard).find((d) => json(d, "configJson").uid === "kms-audit");
        const types = (json(audit as PlanResource, "configJson").panels as { datasource: { type: string } }[]).map((p) => p.datasource.type);
        assert.ok(types.length > 0 && types.every((t) => t === "grafana-bigquery-datasource"));
        assert.deepStrictEqual(out(gce).dataSourceUids, { prometheus: "kms-prometheus", cloudwatch: "kms-cloudwatch", bigquery: "kms-audit-bigquery" });
    });

    it("provisions the four dashboards in the folder, after the data sources, exactly as the plan writes them", () => {
        const dashboards = prod.ofType(T.dashboard);
        const settings = parseSettings(stackConfig("prod"));
        const files = new Map(renderArtifacts(settings).map((a) => [a.path, a.content]));
        const dsUrns = prod.ofType(T.dataSource).map((d) => d.urn);
        assert.deepStrictEqual(dashboards.map((d) => json(d, "configJson").uid).sort(), ["kms-audit", "kms-crypto-health", "kms-key-usage", "kms-operations"]);
        for (const d of dashboards) {
            const uid = String(json(d, "configJson").uid);
            assert.strictEqual(d.inputs.folder, "kms-observability");
            assert.strictEqual(d.inputs.overwrite, true);
            assert.strictEqual(d.inputs.configJson, files.get(path.posix.join("grafana", "dashboards", `${uid}.json`)), `${uid}: provisioned = file`);
            for (const u of dsUrns) assert.ok(d.dependsOn.includes(u), `${uid} waits for ${u}`);
        }
    });

    it("every data source a provisioned dashboard references exists in the plan with the same type", () => {
        for (const run of [prod, staging, noAmp, gce]) {
            const known = new Map(run.ofType(T.dataSource).map((d) => [String(d.inputs.uid), String(d.inputs.type)]));
            known.set("-- Grafana --", "grafana");
            for (const d of run.ofType(T.dashboard)) {
                const refs = [...String(d.inputs.configJson).matchAll(/"datasource": \{\s*"type": "([^"]+)",\s*"uid": "([^"]+)"/g)];
                assert.ok(refs.length > 0);
                for (const [, type, uid] of refs) assert.strictEqual(known.get(uid), type, `${json(d, "configJson").uid}: ${type}/${uid}`);
            }
        }
    });

    it("the audit dashboard reads the GCP component's dataset and log-based metrics", () => {
        const audit = prod.ofType(T.dashboard).find((d) => json(d, "configJson").uid === "kms-audit") as PlanResource;
        const metrics = prod.ofType("gcp:logging/metric:Metric");
        assert.strictEqual(metrics.length, 4);
        for (const m of metrics) assert.ok(String(audit.inputs.configJson).includes(`logging.googleapis.com/user/${String(m.inputs.name)}`), String(m.inputs.name));
        assert.ok(audit.dependsOn.includes(prod.one("gcp:bigquery/dataset:Dataset").urn));
        assert.match(String(audit.inputs.configJson), /ledgermind-prod\.kms_audit\.cloudaudit_googleapis_com_data_access/);
    });

    it("outputs the folder uid, the dashboard URLs by uid and the data source uids", () => {
        const o = out(prod);
        assert.strictEqual(o.folderUid, "kms-observability");
        assert.deepStrictEqual(Object.keys(o.dashboardUrls).sort(), ["kms-audit", "kms-crypto-health", "kms-key-usage", "kms-operations"]);
        for (const [uid, url] of Object.entries(o.dashboardUrls)) assert.ok(url.startsWith(`https://grafana.ledger-mind.org/d/${uid}/`), url);
        assert.deepStrictEqual(o.dataSourceUids, { prometheus: "kms-prometheus", cloudwatch: "kms-cloudwatch", bigquery: "kms-audit-bigquery", "cloud-monitoring": "kms-audit-monitoring" });
    });

    it("the plan writes each dashboard to grafana/dashboards/<uid>.json", () => {
        const paths = renderArtifacts(parseSettings(stackConfig("prod"))).map((a) => a.path).filter((p) => p.startsWith("grafana/"));
        assert.deepStrictEqual(paths.sort(), ["grafana/dashboards/kms-audit.json", "grafana/dashboards/kms-crypto-health.json",
            "grafana/dashboards/kms-key-usage.json", "grafana/dashboards/kms-operations.json"]);
    });
});
