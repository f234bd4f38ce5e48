import * as assert from "assert";
import * as fs from "fs";
import { ALERTS, DASHBOARD_PANELS, DASHBOARD_UID } from "../../alerts/catalog";
import { CRYPTO_HEALTH_PANELS, CRYPTO_HEALTH_UID } from "../../dashboards/kms-crypto-health";
import { ALL_SERIES } from "../../alerts/metrics";
import { RECORDING_RULES } from "../../alerts/recording";
import { SEVERITIES } from "../../shared/severity";
import { byUid, modelsOf } from "../dashboards/model";
import { ROOT, stackConfig } from "../harness";
import { ALERT_CASES } from "./cases";

/** Metric names a PromQL expression selects (label matchers, grouping lists, functions and keywords removed). */
function selectedMetrics(expr: string): string[] {
    const stripped = expr
        .replace(/"(?:[^"\\]|\\.)*"/g, "")
        .replace(/\{[^}]*\}/g, "")
        .replace(/\b(by|on|ignoring|without|group_left|group_right)\s*\([^)]*\)/g, "")
        .replace(/\[[^\]]*\]/g, "");
    const ids = [...stripped.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)].filter((m) => !m[2]).map((m) => m[1]);
    return ids.filter((id) => !["and", "or", "unless", "bool", "offset", "Inf", "NaN"].includes(id));
}

/** GitHub's anchor for a markdown heading. */
const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\w\- ]/g, "").replace(/ /g, "-");

/** The issue's alert list: name, severity and `for` where the issue states them. */
const ISSUE: [string, string, string?][] = [
    ["KMSCryptoModeNotKMS", "critical", "5m"], ["KMSCryptoNotReady", "critical", "5m"], ["KMSHealthChecksFailing", "critical"],
    ["KMSCryptoModeFlapping", "warning"], ["KMSHighCryptoErrorRate", "warning", "5m"], ["KMSHighLatency", "warning", "10m"],
    ["KMSDecryptionErrorsBurst", "warning"], ["KMSBackendRestarted", "info"], ["KMSInitFailure", "critical"],
    ["KMSDecryptionFailuresPersistent", "warning", "10m"], ["KMSServiceUnreachable", "critical"], ["KMSOperationFailures", "critical", "5m"],
    ["Watchdog", "none"],
];

describe("alerts: catalog", () => {
    it("holds exactly the issue's alerts with their severities and durations, names unique", () => {
        assert.deepStrictEqual(ALERTS.map((a) => a.name).sort(), ISSUE.map(([n]) => n).sort());
        for (const [name, severity, forDuration] of ISSUE) {
            const a = ALERTS.find((x) => x.name === name)!;
            assert.strictEqual(a.severity, severity, name);
            if (forDuration) assert.strictEqual(a.for, forDuration, name);
            assert.ok((SEVERITIES as readonly string[]).includes(a.severity));
        }
    });

    it("queries only metrics of the metric list and recording rules", () => {
        const known = new Set([...ALL_SERIES, ...RECORDING_RULES.map((r) => r.record)]);
        for (const expr of [...ALERTS.map((a) => a.expr), ...RECORDING_RULES.map((r) => r.expr)]) {
            const unknown = selectedMetrics(expr).filter((m) => !known.has(m));
            assert.deepStrictEqual(unknown, [], expr);
        }
        assert.deepStrictEqual(selectedMetrics("sum by (env) (rate(foo_total{a=\"b\"}[5m])) > 1 and on (env) bar"), ["foo_total", "bar"]);
    });

    it("measures /healthz with the blackbox probe of job blackbox-healthz", () => {
        assert.match(ALERTS.find((a) => a.name === "KMSHealthChecksFailing")!.expr, /probe_success\{job="blackbox-healthz"\}\[5m\]/);
    });

    it("every KMS alert's firing case carries env and service (routing groups and inhibitions compare them)", () => {
        for (const a of ALERTS.filter((x) => x.name.startsWith("KMS"))) {
            for (const e of ALERT_CASES[a.name].firing.expect) {
                assert.ok(e.labels.env && e.labels.service, `${a.name} fires without env/service`);
            }
        }
    });

    it("links every alert to the kms-crypto-health dashboard and to a runbook section with diagnosis, resolution, verification", () => {
        const runbook = fs.readFileSync(`${ROOT}/docs/runbooks/kms-alerts.md`, "utf8");
        const sections = new Map(runbook.split(/^## /m).slice(1).map((s) => [slug(s.split("\n")[0]), s]));
        for (const a of ALERTS) {
            assert.strictEqual(a.dashboard.uid, DASHBOARD_UID);
            const section = sections.get(a.runbookAnchor);
            assert.ok(section, `docs/runbooks/kms-alerts.md has no heading for #${a.runbookAnchor}`);
            for (const part of ["### Diagnosis", "### Resolution", "### Verification"]) assert.ok(section.includes(part), `${a.name}: ${part}`);
        }
    });

    it("links to panels and a dashboard uid that the kms-crypto-health dashboard really has", () => {
        assert.strictEqual(DASHBOARD_UID, CRYPTO_HEALTH_UID);
        for (const [key, id] of Object.entries(DASHBOARD_PANELS)) {
            assert.strictEqual(CRYPTO_HEALTH_PANELS[key as keyof typeof CRYPTO_HEALTH_PANELS], id, key);
        }
        assert.strictEqual(ALERTS.find((a) => a.name === "KMSCryptoModeNotKMS")!.dashboard.panelId, CRYPTO_HEALTH_PANELS.mode);
    });

    it("links each alert to a panel of the built dashboard that plots what the alert fires on", () => {
        const model = byUid(modelsOf(stackConfig("prod")), DASHBOARD_UID);
        /** Metrics with the series recording rules derive them from, transitively. */
        const expand = (metrics: string[]): Set<string> => {
            const out = new Set<string>();
            const add = (m: string): void => {
                if (out.has(m)) return;
                out.add(m);
                const rule = RECORDING_RULES.find((r) => r.record === m);
                if (rule) selectedMetrics(rule.expr).forEach(add);
            };
            metrics.forEach(add);
            return out;
        };
        const linked = ALERTS.filter((a) => a.dashboard.panelId !== undefined);
        assert.ok(linked.length >= 5, `only ${linked.length} alerts link a panel`);
        for (const a of linked) {
            const p = model.panels.find((x) => x.id === a.dashboard.panelId);
            assert.ok(p, `${a.name}: the dashboard has no panel ${a.dashboard.panelId}`);
            const plotted = expand((p.targets ?? []).flatMap((t) => selectedMetrics(String(t.expr))));
            const fired = expand(selectedMetrics(a.expr));
            assert.ok([...fired].some((m) => plotted.has(m)), `${a.name} links panel ${p.id} (${p.title}), which plots none of ${[...fired].join(", ")}`);
        }
    });

    it("documents the catalog, every folded duplicate and the probe metric in docs/alerting.md", () => {
        const doc = fs.readFileSync(`${ROOT}/docs/alerting.md`, "utf8");
        for (const a of ALERTS) assert.ok(doc.includes(`| ${a.name} |`), `${a.name} missing from the catalog table`);
        const folded = ALERTS.flatMap((a) => (a.foldedFrom ?? []).map((f) => [f.split(" ")[0], a.name]));
        assert.deepStrictEqual(folded.map(([f]) => f).sort(),
            ["KMSCryptoNotReady", "KMSDecryptionErrorsBurst", "KMSHealthEndpointDown", "KMSModeNotActive"]);
        for (const [from, into] of folded) assert.ok(doc.includes(`| ${from} (ops/alerts) | ${into} |`), `fold ${from} -> ${into} undocumented`);
        assert.match(doc, /probe_success\{job="blackbox-healthz"\}/);
    });
});
