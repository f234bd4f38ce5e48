import * as assert from "assert";
import * as fs from "fs";
import { stringify } from "yaml";
import { ALERTS, alertAnnotations } from "../../alerts/catalog";
import { RECORDING_RULES } from "../../alerts/recording";
import { ALL_SERIES } from "../../alerts/metrics";
import { DASHBOARDS } from "../../dashboards";
import { QUERYABLE_SERIES } from "../../dashboards/queries";
import { requireBinary, run, tempDirWith } from "../alerts/bin";
import { stackConfig } from "../harness";
import { Model, byUid, modelsOf, panel, promQueries, variableSelectors } from "./model";
import { metricNames, substituteVariables } from "./promql";

describe("dashboards: consistency with the metrics, the rules and the alert catalog", () => {
    const models = modelsOf(stackConfig("prod"));
    const queries = models.flatMap((m) => [...promQueries(m), ...variableSelectors(m)]);

    it("the lexer finds the metrics of an expression and nothing else", () => {
        assert.deepStrictEqual([...metricNames('histogram_quantile(0.95, sum by (le, operation) (rate(a_bucket{x="y:z"}[5m])))\n  / on (env) group_left (service) b:rec')].sort(),
            ["a_bucket", "b:rec"]);
    });

    it("queries every dashboard's PromQL (Prometheus panels and variables)", () => {
        // crypto health: 4 stats, error rate, timeline, 6 table columns; operations: 6 panels.
        assert.ok(promQueries(byUid(models, "kms-crypto-health")).length >= 12);
        assert.strictEqual(promQueries(byUid(models, "kms-operations")).length, 6);
        assert.strictEqual(variableSelectors(byUid(models, "kms-crypto-health")).length, 2);
    });

    it("every PromQL expression is valid: promtool check rules on them, variables substituted", () => {
        const rules = queries.map((q, i) => ({ record: `dashboard:query_${i}:check`, expr: substituteVariables(q.expr) }));
        const dir = tempDirWith("kms-dashboards-promql", [{ path: "dashboards.yml", content: stringify({ groups: [{ name: "dashboard-queries", rules }] }) }]);
        try {
            const r = run(requireBinary("promtool"), ["check", "rules", "dashboards.yml"], dir);
            const where = rules.map((x, i) => `${x.record} = ${queries[i].where}`).join("\n");
            assert.strictEqual(r.status, 0, `promtool rejected a dashboard query:\n${r.stdout}${r.stderr}\n${where}`);
            assert.match(r.stdout, new RegExp(`SUCCESS: ${rules.length} rules found`));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("every metric a panel or variable queries is an application series or a catalog recording rule", () => {
        const unknown = queries.flatMap((q) => [...metricNames(q.expr)].filter((n) => !ALL_SERIES.has(n) && !RECORDING_RULES.some((r) => r.record === n))
            .map((n) => `${q.where}: ${n}`));
        assert.deepStrictEqual(unknown, []);
        // The check is not vacuous: the dashboards read the recording rules and raw series both.
        const used = new Set(queries.flatMap((q) => [...metricNames(q.expr)]));
        for (const r of RECORDING_RULES) assert.ok(used.has(r.record), `recording rule ${r.record} is plotted`);
        assert.ok(used.has("kms_operation_duration_seconds_bucket") && used.has("circuit_breaker_state"));
        assert.ok(!QUERYABLE_SERIES.has("kms_operation_duration_seconds"), "a histogram's base name is not a series");
    });

    it("every alert's dashboard link points to an existing dashboard, panel and variables", () => {
        const links = { runbookUrl: "https://example.org/runbooks.md", grafanaUrl: "https://grafana.example.org" };
        for (const a of ALERTS) {
            const m: Model = byUid(models, a.dashboard.uid);
            if (a.dashboard.panelId !== undefined) panel(m, a.dashboard.panelId);
            const url = new URL(alertAnnotations(a, links).dashboard_url.replace(/\{\{[^}]*\}\}/g, "x"));
            assert.strictEqual(url.pathname, `/d/${m.uid}`, a.name);
            const vars = new Set((m.templating?.list ?? []).map((v) => `var-${v.name}`));
            for (const key of url.searchParams.keys()) {
                if (key === "viewPanel") panel(m, Number(url.searchParams.get(key)));
                else assert.ok(vars.has(key), `${a.name}: ${key} is not a variable of ${m.uid}`);
            }
        }
    });

    it("the alert list shows every KMS alert of the catalog (and not the Watchdog)", () => {
        const filter = String(panel(byUid(models, "kms-crypto-health"), 8).options?.alertInstanceLabelFilter);
        const re = /alertname=~"([^"]+)"/.exec(filter);
        assert.ok(re, filter);
        const matches = new RegExp(`^(?:${re[1]})$`);
        for (const a of ALERTS) assert.strictEqual(matches.test(a.name), a.name.startsWith("KMS"), a.name);
    });

    it("threshold lines equal the thresholds of the alerts that watch the same signal", () => {
        const threshold = (alert: string) => {
            const a = ALERTS.find((x) => x.name === alert);
            const m = a && /([<>]=?)\s*([\d.]+)\s*$/.exec(a.expr);
            if (!m) throw new Error(`no trailing comparison in ${alert}`);
            return Number(m[2]);
        };
        const steps = (m: Model, id: number) => (panel(m, id).fieldConfig?.defaults.thresholds as { steps: { value: number | null }[] }).steps.map((s) => s.value);
        const health = byUid(models, "kms-crypto-health");
        const ops = byUid(models, "kms-operations");
        assert.deepStrictEqual(steps(health, 5), [null, threshold("KMSHighCryptoErrorRate")]);
        assert.deepStrictEqual(steps(health, 4), [null, threshold("KMSBackendRestarted")]);
        assert.deepStrictEqual(steps(ops, 2), [null, threshold("KMSOperationFailures")]);
        assert.deepStrictEqual(steps(ops, 3), [null, threshold("KMSHighLatency")]);
        assert.deepStrictEqual(steps(ops, 4), [null, 0.8], "seed 003: cache hit rate target 80%");
    });

    it("dashboard uids are unique and every listed dashboard is rendered", () => {
        const uids = DASHBOARDS.map((d) => d.uid);
        assert.strictEqual(new Set(uids).size, uids.length);
        assert.deepStrictEqual(models.map((m) => m.uid), uids);
        assert.deepStrictEqual(uids, ["kms-crypto-health", "kms-operations", "kms-key-usage", "kms-audit"]);
    });
});
