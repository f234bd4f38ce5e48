import * as assert from "assert";
import { Model, Panel, byUid, dataSourceRefs, GRAFANA_BUILTIN, modelsOf, panel } from "./model";
import { stackConfig } from "../harness";

/** The mapping of a stat/timeline panel: value → {text, color}. */
function mapping(p: Panel): Record<string, { text: string; color: string }> {
    const m = p.fieldConfig?.defaults.mappings as { type: string; options: Record<string, { text: string; color: string }> }[];
    assert.strictEqual(m.length, 1);
    assert.strictEqual(m[0].type, "value");
    return Object.fromEntries(Object.entries(m[0].options).map(([k, v]) => [k, { text: v.text, color: v.color }]));
}

const expr = (p: Panel, refId = "A") => String(p.targets?.find((t) => t.refId === refId)?.expr);

describe("dashboards: kms-crypto-health structure (seed 001)", () => {
    const models = modelsOf(stackConfig("prod"));
    const m = byUid(models, "kms-crypto-health");

    it("has the env and service variables, read from label values, service narrowed to the env", () => {
        const vars = m.templating?.list ?? [];
        assert.deepStrictEqual(vars.map((v) => [v.name, v.type]), [["env", "query"], ["service", "query"]]);
        assert.match(vars[0].query, /^label_values\(crypto_mode, env\)$/);
        assert.match(vars[1].query, /^label_values\(crypto_mode\{env=~"\$env"\}, service\)$/);
        assert.strictEqual(vars[1].includeAll, true);
        assert.strictEqual(vars[1].multi, true);
    });

    it("has the 8 panels of the seed, of the right types, ids 1-8", () => {
        assert.deepStrictEqual(m.panels.map((p) => [p.id, p.type]), [
            [1, "stat"], [2, "stat"], [3, "stat"], [4, "stat"], [5, "timeseries"], [6, "state-timeline"], [7, "table"], [8, "alertlist"],
        ]);
    });

    it("LED: kms:crypto_health_status, 1 = Healthy in green, 0 = Unhealthy in red, on a red→green threshold at 1", () => {
        const p = panel(m, 1);
        assert.match(expr(p), /^min\(kms:crypto_health_status\{env=~"\$env", service=~"\$service"\}\)$/);
        assert.deepStrictEqual(mapping(p), { 1: { text: "Healthy", color: "green" }, 0: { text: "Unhealthy", color: "red" } });
        assert.deepStrictEqual(p.fieldConfig?.defaults.thresholds, { mode: "absolute", steps: [{ value: null, color: "red" }, { value: 1, color: "green" }] });
        assert.strictEqual(p.options?.colorMode, "background");
    });

    it("crypto mode: kms green, env red; crypto ready: ready green", () => {
        assert.match(expr(panel(m, 2)), /crypto_mode\{/);
        assert.deepStrictEqual(mapping(panel(m, 2)), { 1: { text: "kms", color: "green" }, 0: { text: "env", color: "red" } });
        assert.match(expr(panel(m, 3)), /crypto_ready\{/);
        assert.deepStrictEqual(mapping(panel(m, 3)), { 1: { text: "Ready", color: "green" }, 0: { text: "Not ready", color: "red" } });
    });

    it("uptime since init in seconds; decryption error rate as a time series of the recording rule", () => {
        assert.match(expr(panel(m, 4)), /kms:uptime_since_last_crypto_init\{/);
        assert.strictEqual(panel(m, 4).fieldConfig?.defaults.unit, "s");
        assert.strictEqual(expr(panel(m, 5)), 'kms:decryption_error_rate_5m{env=~"$env", service=~"$service"}');
        assert.strictEqual((panel(m, 5).fieldConfig?.defaults.custom as { thresholdsStyle: { mode: string } }).thresholdsStyle.mode, "dashed");
    });

    it("health timeline: kms:crypto_health_status per instance, healthy/unhealthy colours", () => {
        const p = panel(m, 6);
        assert.match(expr(p), /^kms:crypto_health_status\{/);
        assert.deepStrictEqual(mapping(p), { 1: { text: "healthy", color: "green" }, 0: { text: "unhealthy", color: "red" } });
    });

    it("service table: one row per env/service, service linked to its health endpoint with fields the rows have", () => {
        const p = panel(m, 7);
        assert.ok((p.targets ?? []).every((t) => / by \(env, service\) /.test(String(t.expr)) && t.format === "table" && t.instant === true));
        assert.deepStrictEqual(p.transformations?.map((t) => t.id), ["merge", "organize"]);
        const links = p.fieldConfig?.overrides.find((o) => o.matcher.options === "service")?.properties.find((x) => x.id === "links")?.value as { url: string }[];
        assert.strictEqual(links[0].url, "https://${__data.fields.service}.ledger-mind.org/healthz");
        const excluded = (p.transformations?.[1].options.excludeByName ?? {}) as Record<string, boolean>;
        for (const f of links[0].url.matchAll(/\$\{__data\.fields\.(\w+)\}/g)) assert.ok(!excluded[f[1]], `${f[1]} is a column`);
        const mode = p.fieldConfig?.overrides.find((o) => o.matcher.options === "Mode")?.properties.find((x) => x.id === "mappings")?.value;
        assert.deepStrictEqual(mode, [{ type: "value", options: { 0: { text: "env", color: "red", index: 0 }, 1: { text: "kms", color: "green", index: 1 } } }]);
    });

    it("active alerts: firing and pending KMS alerts of the selected env from the Prometheus data source", () => {
        const o = panel(m, 8).options ?? {};
        assert.strictEqual(o.alertInstanceLabelFilter, '{alertname=~"KMS.*", env=~"$env"}');
        assert.strictEqual(o.datasource, "KMS Prometheus (AMP)");
        assert.deepStrictEqual([o.stateFilter].map((s) => { const f = s as Record<string, boolean>; return [f.firing, f.pending, f.normal]; }), [[true, true, false]]);
    });

    it("refreshes every 30s (seed 000) over the last 6h, linked to the other KMS dashboards", () => {
        assert.strictEqual(m.refresh, "30s");
        assert.deepStrictEqual(m.time, { from: "now-6h", to: "now" });
    });
});

describe("dashboards: ids, layout and data source references (every dashboard)", () => {
    for (const stack of ["staging", "prod"]) {
        const models = modelsOf(stackConfig(stack));
        it(`${stack}: panel ids are unique per dashboard and panels do not overlap on the grid`, () => {
            for (const d of models) {
                const ids = d.panels.map((p) => p.id);
                assert.strictEqual(new Set(ids).size, ids.length, `${d.uid}: ${ids.join(",")}`);
                for (const a of d.panels) {
                    assert.ok(a.gridPos.x >= 0 && a.gridPos.x + a.gridPos.w <= 24, `${d.uid} panel ${a.id} fits the 24-column grid`);
                    for (const b of d.panels) {
                        if (a.id >= b.id) continue;
                        const overlap = a.gridPos.x < b.gridPos.x + b.gridPos.w && b.gridPos.x < a.gridPos.x + a.gridPos.w &&
                            a.gridPos.y < b.gridPos.y + b.gridPos.h && b.gridPos.y < a.gridPos.y + a.gridPos.h;
                        assert.ok(!overlap, `${d.uid}: panels ${a.id} and ${b.id} overlap`);
                    }
                }
            }
        });

        it(`${stack}: every data source reference is one of the stack's data sources (or Grafana's built-in)`, () => {
            const known = [
                // Both stacks query AMP: the Amazon Managed Prometheus plugin, not core Prometheus with SigV4.
                { type: "grafana-amazonprometheus-datasource", uid: "kms-prometheus" },
                { type: "grafana-bigquery-datasource", uid: "kms-audit-bigquery" },
                { type: "stackdriver", uid: "kms-audit-monitoring" },
                { type: "cloudwatch", uid: "kms-cloudwatch" },
                GRAFANA_BUILTIN,
            ];
            const refs = models.flatMap(dataSourceRefs);
            assert.ok(refs.length > 40);
            for (const r of refs) assert.ok(known.some((k) => k.type === r.ref.type && k.uid === r.ref.uid), `${r.where}: ${JSON.stringify(r.ref)}`);
            // Each panel's queries use the panel's own data source (no mixed panels).
            for (const d of models) {
                for (const p of d.panels) for (const t of p.targets ?? []) assert.deepStrictEqual(t.datasource, p.datasource, `${d.uid} panel ${p.id}`);
            }
        });
    }

    it("each stack's models read that stack's data, whatever was built before in the process (npm run mutate builds many)", () => {
        const prod = JSON.stringify(modelsOf(stackConfig("prod")));
        const staging = JSON.stringify(modelsOf(stackConfig("staging")));
        for (const [json, own, other] of [[prod, "ledgermind-prod", "ledgermind-staging"], [staging, "ledgermind-staging", "ledgermind-prod"]]) {
            assert.ok(json.includes(`${own}.kms_audit.`), `${own}: its audit dataset is not queried`);
            assert.ok(!json.includes(other), `${own}: the models mention ${other}`);
        }
        assert.ok(prod.includes("https://${__data.fields.service}.ledger-mind.org/healthz") && staging.includes("https://${__data.fields.service}.staging.ledger-mind.org/healthz"),
            "each stack links its own health endpoints");
        assert.strictEqual(JSON.stringify(modelsOf(stackConfig("prod"))), prod, "building staging changed prod's models");
    });

    it("every panel of every dashboard has a title and a description", () => {
        const models: Model[] = modelsOf(stackConfig("prod"));
        for (const d of models) for (const p of d.panels) assert.ok(p.title && (p as Panel & { description?: string }).description, `${d.uid} panel ${p.id}`);
    });
});
