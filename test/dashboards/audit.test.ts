import * as assert from "assert";
import { KMS_LOG_METRICS } from "../../metrics/gcp-log-metrics";
import { AUDIT_TABLES } from "../../dashboards/audit-sql";
import { editSection, stackConfig } from "../harness";
import { Model, byUid, modelsOf } from "./model";

const audit = (models: Model[]) => byUid(models, "kms-audit");

interface GcmQuery { queryType: string; timeSeriesList: { projectName: string; filters: string[]; groupBys: string[]; perSeriesAligner: string; crossSeriesReducer: string } }

describe("dashboards: kms-audit (BigQuery sink and log-based metrics)", () => {
    const prod = audit(modelsOf(stackConfig("prod")));
    const sqlPanels = prod.panels.filter((p) => p.datasource?.type === "grafana-bigquery-datasource");
    const gcmPanels = prod.panels.filter((p) => p.datasource?.type === "stackdriver");

    it("shows who used which key, denied calls, admin changes and top callers from BigQuery", () => {
        assert.deepStrictEqual(sqlPanels.map((p) => [p.id, p.type, p.title]), [
            [1, "table", "Who used which key"],
            [2, "timeseries", "Denied calls"],
            [5, "bargauge", "Top callers"],
            [3, "table", "Denied calls (latest)"],
            [4, "table", "Admin changes: destroy, disable, restore, IAM"],
        ]);
    });

    it("every BigQuery read is bounded by the dashboard time range on the partition column", () => {
        for (const p of sqlPanels) {
            const sql = String(p.targets?.[0].rawSql);
            const reads = [...sql.matchAll(/FROM `([^`]+)`/g)].map((m) => m[1]);
            assert.ok(reads.length > 0, `panel ${p.id} reads a table`);
            for (const t of reads) {
                assert.match(t, new RegExp(`^ledgermind-prod\\.kms_audit\\.(${Object.values(AUDIT_TABLES).join("|")})$`), `panel ${p.id}: ${t} is a partitioned sink table`);
            }
            // One $__timeFilter on the partition column right after each table read.
            const filtered = [...sql.matchAll(/FROM `[^`]+`\n\s*WHERE \$__timeFilter\(timestamp\) AND /g)].length;
            assert.strictEqual(filtered, reads.length, `panel ${p.id}: every read filtered by $__timeFilter(timestamp)\n${sql}`);
            assert.doesNotMatch(sql, /_\*`|_TABLE_SUFFIX/, "no sharded wildcard scans");
            assert.strictEqual(p.targets?.[0].rawQuery, true);
        }
    });

    it("filters Cloud KMS calls, counts PERMISSION_DENIED (7) as denied and matches disables by request state", () => {
        const sql = (id: number) => String(sqlPanels.find((p) => p.id === id)?.targets?.[0].rawSql);
        for (const p of sqlPanels) assert.match(String(p.targets?.[0].rawSql), /serviceName = 'cloudkms\.googleapis\.com'/);
        assert.match(sql(2), /WHERE status_code = 7/);
        assert.match(sql(3), /WHERE status_code = 7/);
        assert.match(sql(4), /JSON_VALUE\(protopayload_auditlog\.requestJson, '\$\.cryptoKeyVersion\.state'\) = 'DISABLED'/);
        assert.match(sql(4), /FROM `ledgermind-prod\.kms_audit\.cloudaudit_googleapis_com_activity`/);
        assert.match(sql(1), /FROM `ledgermind-prod\.kms_audit\.cloudaudit_googleapis_com_data_access`/);
    });

    it("plots each log-based metric of the GCP component, split by labels that metric has", () => {
        assert.strictEqual(gcmPanels.length, KMS_LOG_METRICS.length);
        for (const metric of KMS_LOG_METRICS) {
            const p = gcmPanels.find((x) => (x.targets?.[0] as unknown as GcmQuery).timeSeriesList.filters[2] === `logging.googleapis.com/user/${metric.name}`);
            assert.ok(p, `a panel for ${metric.name}`);
            const q = p.targets?.[0] as unknown as GcmQuery;
            assert.strictEqual(q.queryType, "timeSeriesList");
            assert.deepStrictEqual(q.timeSeriesList.filters.slice(0, 2), ["metric.type", "="]);
            assert.strictEqual(q.timeSeriesList.projectName, "ledgermind-prod");
            const labels = metric.labels.map((l) => `metric.label.${l.key}`);
            for (const g of q.timeSeriesList.groupBys) assert.ok(labels.includes(g), `${metric.name} has ${g}`);
            assert.deepStrictEqual([q.timeSeriesList.perSeriesAligner, q.timeSeriesList.crossSeriesReducer], ["ALIGN_SUM", "REDUCE_SUM"]);
        }
    });

    it("opens on the last 24h without auto-refresh (each refresh is a billed scan)", () => {
        assert.deepStrictEqual(prod.time, { from: "now-24h", to: "now" });
        assert.strictEqual(prod.refresh, undefined);
    });

    it("takes the dataset id from the GCP settings (one place)", () => {
        const m = audit(modelsOf(editSection(stackConfig("prod"), "gcp", (g) => { g.dataset = { ...(g.dataset as object), id: "kms_audit_eu" }; })));
        for (const p of m.panels.filter((x) => x.datasource?.type === "grafana-bigquery-datasource")) {
            assert.match(String(p.targets?.[0].rawSql), /`ledgermind-prod\.kms_audit_eu\.cloudaudit_/);
        }
    });

    it("has only the views config enables, with the same panel ids", () => {
        const only = (sources: string[]) => audit(modelsOf(editSection(stackConfig("prod"), "grafana", (g) => {
            (g.audit as Record<string, unknown>).sources = sources;
        })));
        assert.deepStrictEqual(only(["bigquery"]).panels.map((p) => p.id).sort((a, b) => a - b), [1, 2, 3, 4, 5]);
        const gcm = only(["cloud-monitoring"]);
        assert.deepStrictEqual(gcm.panels.map((p) => p.id), [11, 12, 13, 14]);
        assert.strictEqual(Math.min(...gcm.panels.map((p) => p.gridPos.y)), 0, "no gap where the BigQuery panels would be");
        const refreshed = audit(modelsOf(editSection(stackConfig("prod"), "grafana", (g) => {
            (g.dashboards as Record<string, unknown>).auditRefresh = "15m";
        })));
        assert.strictEqual(refreshed.refresh, "15m");
    });
});
