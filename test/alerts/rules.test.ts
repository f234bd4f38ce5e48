import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { alertLinks } from "../../alerts/artifacts";
import { ALERTS } from "../../alerts/catalog";
import { AlertCase, alertCaseGroup, promtoolTestFile, recordingCaseGroup } from "./promtool";
import { RECORDING_RULES } from "../../alerts/recording";
import { renderRuleFile, ruleFiles } from "../../alerts/rules";
import { toYaml } from "../../alerts/yaml";
import { ALERT_CASES, RECORDING_CASES } from "./cases";
import { RunResult, requireBinary, run, tempDirWith } from "./bin";
import { STACKS, alertingInputs } from "./fixtures";

/** Writes the stack's rule files and a promtool test file built from `cases`, then runs promtool on it. */
function promtoolTest(stack: (typeof STACKS)[number], cases = ALERT_CASES): RunResult {
    const links = alertLinks(alertingInputs(stack));
    const files = ruleFiles(links);
    const groups = ALERTS.flatMap((a) => {
        const c = cases[a.name];
        const scenarios: [string, AlertCase][] = [["firing", c.firing], ...("none" in c.notFiring ? [] : [["not firing", c.notFiring] as [string, AlertCase]]),
            ...(c.more ?? []).map((m) => ["also", m] as [string, AlertCase])];
        return scenarios.map(([kind, sc]) => alertCaseGroup(a, kind, sc, links));
    });
    const dir = tempDirWith("kms-promtool", [
        ...files.map((f) => ({ path: f.name, content: renderRuleFile(f) })),
        { path: "tests.yml", content: toYaml(promtoolTestFile(files.map((f) => f.name), [...groups, ...RECORDING_CASES.map(recordingCaseGroup)])) },
    ]);
    try {
        return run(requireBinary("promtool"), ["test", "rules", "tests.yml"], dir);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("alerts: Prometheus rules (promtool)", () => {
    for (const stack of STACKS) {
        it(`${stack}: promtool check rules finds no errors and no lint findings`, () => {
            const files = ruleFiles(alertLinks(alertingInputs(stack)));
            const dir = tempDirWith("kms-rules", files.map((f) => ({ path: f.name, content: renderRuleFile(f) })));
            try {
                const r = run(requireBinary("promtool"), ["check", "rules", "--lint=all", "--lint-fatal", ...files.map((f) => f.name)], dir);
                assert.strictEqual(r.status, 0, r.stdout + r.stderr);
                assert.doesNotMatch(r.stdout + r.stderr, /WARNING|lint|FAILED/i, r.stdout + r.stderr);
                const found = [...r.stdout.matchAll(/SUCCESS: (\d+) rules found/g)].reduce((n, m) => n + Number(m[1]), 0);
                assert.strictEqual(found, ALERTS.length + RECORDING_RULES.length);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it(`${stack}: promtool test rules passes every alert's firing and not-firing case and the recording values`, function () {
            this.timeout(30_000);
            const r = promtoolTest(stack);
            assert.strictEqual(r.status, 0, r.stdout + r.stderr);
            assert.match(r.stdout, /SUCCESS/);
        });
    }

    it("every catalog alert has a firing case and a not-firing case (only the Watchdog may explain why not)", () => {
        const missing = ALERTS.filter((a) => {
            const c = ALERT_CASES[a.name];
            return !c || !c.firing || c.firing.expect.length === 0 || !c.notFiring ||
                ("none" in c.notFiring ? a.name !== "Watchdog" : c.notFiring.expect.length !== 0);
        }).map((a) => a.name);
        assert.deepStrictEqual(missing, []);
        assert.deepStrictEqual(Object.keys(ALERT_CASES).filter((n) => !ALERTS.some((a) => a.name === n)), [], "cases for alerts not in the catalog");
    });

    it("every recording rule has its values checked", () => {
        const checked = new Set(RECORDING_CASES.map((c) => c.expr));
        assert.deepStrictEqual(RECORDING_RULES.map((r) => r.record).filter((r) => !checked.has(r)), []);
    });

    it("the harness fails when a case's expectation is wrong (firing case expected not to fire)", function () {
        this.timeout(30_000);
        const broken = { ...ALERT_CASES, KMSCryptoNotReady: { ...ALERT_CASES.KMSCryptoNotReady, firing: { ...ALERT_CASES.KMSCryptoNotReady.firing, expect: [] } } };
        const r = promtoolTest("prod", broken);
        assert.notStrictEqual(r.status, 0);
        assert.match(r.stdout + r.stderr, /KMSCryptoNotReady/);
    });
});

describe("alerts: rendered rule files", () => {
    it("are written where the plan contract says, with every alert's runbook and dashboard links", () => {
        const inputs = alertingInputs("prod");
        const files = ruleFiles(alertLinks(inputs));
        assert.deepStrictEqual(files.map((f) => path.posix.join("prometheus/rules", f.name)), ["prometheus/rules/kms.yml", "prometheus/rules/watchdog.yml"]);
        const rules = files.flatMap((f) => f.groups.flatMap((g) => g.rules)).filter((r) => "alert" in r);
        for (const r of rules) {
            if (!("alert" in r)) continue;
            assert.strictEqual(r.annotations.runbook_url, `${inputs.alerting.runbookUrl}#${r.alert.toLowerCase()}`);
            assert.ok(r.annotations.dashboard_url.startsWith("https://grafana.ledger-mind.org/d/kms-crypto-health"), r.annotations.dashboard_url);
        }
        const notKms = rules.find((r) => "alert" in r && r.alert === "KMSCryptoModeNotKMS");
        assert.strictEqual(notKms && "alert" in notKms ? notKms.annotations.dashboard_url : undefined,
            "https://grafana.ledger-mind.org/d/kms-crypto-health?var-env={{ $labels.env }}&var-service={{ $labels.service }}&viewPanel=2");
    });
});
