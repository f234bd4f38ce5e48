import * as assert from "assert";
import * as fs from "fs";
import { parse } from "yaml";
import { alertmanagerConfig, renderAlertmanagerYaml } from "../../../alerts/alertmanager";
import { ALERTS } from "../../../alerts/catalog";
import { RECEIVERS, WATCHDOG, buildRouting } from "../../../alerts/routing";
import { SEVERITIES } from "../../../shared/severity";
import { toYaml } from "../../../alerts/yaml";
import { renderAmpDefinition } from "../../../alerts/render-amp";
import { grafanaContactPoints, grafanaPolicyTree } from "../../../alerts/render-grafana";
import { requireBinary, run, tempDirWith } from "../../alerts/bin";
import { STACKS, alertingInputs } from "../../alerts/fixtures";
import { provisioningInputs } from "./fixtures";
import { AmRoute, Delivery, GrafanaPolicyInput, fromAlertmanager, fromGrafana, route } from "./route-walk";

/** The receiver the issue asks for, by alert and severity (seed 001 routing). */
function expectedReceiver(alertname: string, severity: string, defaultReceiver: string): string {
    if (alertname === WATCHDOG) return RECEIVERS.heartbeat;
    if (!/^KMS/.test(alertname)) return defaultReceiver;
    // A KMS alert with an unrouted severity still reaches the security team.
    return severity === "critical" ? RECEIVERS.critical : severity === "info" ? RECEIVERS.info : RECEIVERS.warning;
}

const ENVS = ["staging", "prod"];
/** Every catalog alert, a non-KMS alert and a KMS-looking name that is not in the catalog. */
const NAMES = [...ALERTS.map((a) => a.name), "NodeFilesystemAlmostFull", "KMSNotInCatalog"];

describe("alerting: Alertmanager, AMP and Grafana route every alert alike", () => {
    for (const stack of STACKS) {
        describe(stack, () => {
            const { alerting } = alertingInputs(stack);
            const { grafanaAlerting } = provisioningInputs(stack);
            const routing = buildRouting(alerting);
            const topicArns = Object.fromEntries(routing.receivers.map((r) => [r.name, `arn:aws:sns:us-east-1:123456789012:t-${r.name}`]));

            // Each rendering as its consumer reads it: YAML text parsed back, Grafana's resource arguments.
            const selfHosted = parse(renderAlertmanagerYaml(alertmanagerConfig(routing, alerting.secretsDir))) as { route: AmRoute; receivers: { name: string }[] };
            const ampOuter = parse(renderAmpDefinition({ routing, topicArns, region: "us-east-1" })) as { alertmanager_config: string };
            const amp = parse(ampOuter.alertmanager_config) as { route: AmRoute; receivers: { name: string; sns_configs: { topic_arn: string }[] }[] };
            const maintenance = grafanaAlerting.maintenance!;
            const policy = grafanaPolicyTree(routing, { muteTiming: maintenance.name, severities: maintenance.mutedSeverities });
            const contactPoints = grafanaContactPoints(routing, grafanaAlerting.templateName).map((c) => c.name);
            const trees = {
                alertmanager: fromAlertmanager(selfHosted.route),
                amp: fromAlertmanager(amp.route),
                grafana: fromGrafana(policy as GrafanaPolicyInput),
            };

            it("every alert × severity × env reaches the expected receiver with the same timings in all three", () => {
                let checked = 0;
                for (const alertname of NAMES) {
                    for (const severity of [...SEVERITIES, "page"]) {
                        for (const env of ENVS) {
                            const labels = { alertname, severity, env, service: "ai-finance-backend", instance: "backend-0:8000" };
                            const got = Object.fromEntries(Object.entries(trees).map(([k, t]) => [k, route(t, labels)])) as Record<keyof typeof trees, Delivery[]>;
                            const want = expectedReceiver(alertname, severity, alerting.defaultReceiver.name);
                            const where = `${alertname} severity=${severity} env=${env}`;
                            assert.deepStrictEqual(got.alertmanager.map((d) => d.receiver), [want], where);
                            assert.deepStrictEqual(got.amp, got.alertmanager, `AMP differs for ${where}`);
                            assert.deepStrictEqual(got.grafana, got.alertmanager, `Grafana differs for ${where}`);
                            checked++;
                        }
                    }
                }
                assert.strictEqual(checked, NAMES.length * (SEVERITIES.length + 1) * ENVS.length);
            });

            it("every receiver a route names exists in each rendering, and AMP maps it to its own topic", () => {
                const named = new Set<string>();
                const walk = (r: AmRoute) => { if (r.receiver) named.add(r.receiver); (r.routes ?? []).forEach(walk); };
                walk(selfHosted.route);
                for (const name of named) {
                    assert.ok(selfHosted.receivers.some((r) => r.name === name), `alertmanager.yml lacks ${name}`);
                    assert.deepStrictEqual(amp.receivers.find((r) => r.name === name)?.sns_configs.map((c) => c.topic_arn), [topicArns[name]], `AMP ${name}`);
                    assert.ok(contactPoints.includes(name), `Grafana lacks the contact point ${name}`);
                }
                assert.deepStrictEqual([...named].sort(), routing.receivers.map((r) => r.name).sort(), "no receiver is unreachable");
            });

            // amtool costs ~0.3 s a call: one stack, one label set per distinct path through the tree.
            if (stack !== "prod") return;
            it("the evaluator agrees with amtool on the AMP configuration (the real routing engine)", function () {
                this.timeout(60_000);
                const dir = tempDirWith("kms-amp-routes", [{ path: "am.yml", content: toYaml(amp) }]);
                try {
                    const samples = [
                        ...["critical", "warning", "info", "none"].map((severity) => ({ alertname: "KMSCryptoNotReady", severity })),
                        { alertname: WATCHDOG, severity: "none" },
                        { alertname: "NodeFilesystemAlmostFull", severity: "critical" },
                    ];
                    for (const s of samples) {
                        const labels: Record<string, string> = { ...s, env: stack, service: "ai-finance-backend" };
                        const args = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
                        const r = run(requireBinary("amtool"), ["config", "routes", "test", "--config.file=am.yml", ...args], dir);
                        assert.strictEqual(r.status, 0, r.stderr);
                        assert.deepStrictEqual(r.stdout.trim().split(","), route(trees.amp, labels).map((d) => d.receiver), args.join(" "));
                    }
                } finally {
                    fs.rmSync(dir, { recursive: true, force: true });
                }
            });
        });
    }
});
