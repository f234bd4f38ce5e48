import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { alertmanagerConfig } from "../../alerts/alertmanager";
import { alertLinks } from "../../alerts/artifacts";
import { ALERTS, alertAnnotations } from "../../alerts/catalog";
import { expandTemplate } from "./promtool";
import { RECORDING_RULES } from "../../alerts/recording";
import { RECEIVERS, RoutingModel, buildRouting } from "../../alerts/routing";
import { ruleFiles } from "../../alerts/rules";
import { toYaml } from "../../alerts/yaml";
import { AMP_TEMPLATES, AMP_TEMPLATE_FILE, ampRuleNamespaceData, renderAmpDefinition } from "../../alerts/render-amp";
import { requireBinary, run, tempDirWith } from "./bin";
import { STACKS, alertingInputs } from "./fixtures";

const REGION = "us-east-1";
const topicArnsFor = (routing: RoutingModel) =>
    Object.fromEntries(routing.receivers.map((r) => [r.name, `arn:aws:sns:${REGION}:123456789012:kms-observability-${r.name}`]));

interface SnsConfig { topic_arn: string; sigv4: { region: string }; subject: string; message: string; send_resolved: boolean }
interface AmpConfig {
    route: unknown;
    inhibit_rules: unknown[];
    receivers: { name: string; sns_configs: SnsConfig[] }[];
    [k: string]: unknown;
}

/** The definition as AMP parses it: the outer document, then `alertmanager_config` (a YAML string). */
function parseDefinition(def: string): { templates: Record<string, string>; config: AmpConfig } {
    const outer = parse(def) as { template_files: Record<string, string>; alertmanager_config: string };
    assert.deepStrictEqual(Object.keys(outer).sort(), ["alertmanager_config", "template_files"], "AMP accepts exactly these two keys");
    assert.strictEqual(typeof outer.alertmanager_config, "string", "alertmanager_config must be a YAML string, not a mapping");
    return { templates: outer.template_files, config: parse(outer.alertmanager_config) as AmpConfig };
}

/** Runs amtool on an AMP config as rendered, its template file written next to it under its `template_files` name. */
function withAmtoolDir<T>(config: AmpConfig, fn: (dir: string) => T): T {
    const dir = tempDirWith("kms-amp", [
        { path: "alertmanager.yml", content: toYaml(config) },
        { path: AMP_TEMPLATE_FILE, content: AMP_TEMPLATES },
    ]);
    try {
        return fn(dir);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("alerting: AMP rendering", () => {
    for (const stack of STACKS) {
        describe(stack, () => {
            const inputs = alertingInputs(stack);
            const routing = buildRouting(inputs.alerting);
            const topicArns = topicArnsFor(routing);
            const chatbotReceivers: string[] = [RECEIVERS.critical, RECEIVERS.warning];
            const { templates, config } = parseDefinition(renderAmpDefinition({ routing, topicArns, region: REGION, chatbotReceivers }));

            it("ships its message templates inline, named without a path", () => {
                assert.deepStrictEqual(templates, { [AMP_TEMPLATE_FILE]: AMP_TEMPLATES });
            });

            it("keeps the self-hosted route tree and inhibitions unchanged", () => {
                const selfHosted = alertmanagerConfig(routing, "/etc/alertmanager/secrets");
                assert.deepStrictEqual(config.route, JSON.parse(JSON.stringify(selfHosted.route)));
                assert.deepStrictEqual(config.inhibit_rules, JSON.parse(JSON.stringify(selfHosted.inhibit_rules)));
                assert.ok(config.inhibit_rules.length >= 2, "both inhibitions of the model are present");
            });

            it("sends every receiver to its own SNS topic, signed for the topics' region, and nothing else", () => {
                assert.deepStrictEqual(config.receivers.map((r) => r.name), routing.receivers.map((r) => r.name));
                for (const r of config.receivers) {
                    assert.deepStrictEqual(Object.keys(r).sort(), ["name", "sns_configs"], `${r.name}: AMP delivers to SNS only`);
                    assert.strictEqual(r.sns_configs.length, 1);
                    assert.strictEqual(r.sns_configs[0].topic_arn, topicArns[r.name]);
                    assert.deepStrictEqual(r.sns_configs[0].sigv4, { region: REGION });
                }
                assert.strictEqual(new Set(config.receivers.map((r) => r.sns_configs[0].topic_arn)).size, config.receivers.length);
                assert.ok(!("global" in config), "no SMTP globals: AMP delivers to SNS only");
            });

            it("lists its template file by name in alertmanager_config (AMP loads only listed template_files)", () => {
                assert.deepStrictEqual(config.templates, Object.keys(templates), "every template file listed, by its template_files key, no path");
            });

            it("uses Chatbot's JSON only for topics that feed Chatbot, plain text otherwise", () => {
                for (const r of config.receivers) {
                    const want = chatbotReceivers.includes(r.name) ? "kms.sns.chatbot" : "kms.sns.text";
                    assert.strictEqual(r.sns_configs[0].message, `{{ template "${want}" . }}`, r.name);
                }
            });

            it("asks for resolution messages exactly where an integration of the receiver wants them", () => {
                const heartbeat = config.receivers.find((r) => r.name === RECEIVERS.heartbeat)!;
                const critical = config.receivers.find((r) => r.name === RECEIVERS.critical)!;
                assert.strictEqual(critical.sns_configs[0].send_resolved, true);
                assert.strictEqual(heartbeat.sns_configs[0].send_resolved, false, "the Watchdog never resolves; no noise to the dead man's switch");
            });

            it("passes amtool check-config with its templates", () => {
                withAmtoolDir(config, (dir) => {
                    const r = run(requireBinary("amtool"), ["check-config", "alertmanager.yml"], dir);
                    assert.strictEqual(r.status, 0, r.stdout + r.stderr);
                    assert.match(r.stdout, / - 1 templates/, "amtool loads the template the config itself lists");
                });
            });

            it("throws when a receiver has no topic", () => {
                const missing = { ...topicArns };
                delete missing[RECEIVERS.info];
                assert.throws(() => renderAmpDefinition({ routing, topicArns: missing, region: REGION }), /no SNS topic for receiver kms-info/);
            });

            it("carries the self-hosted rule groups verbatim, and promtool accepts the namespace", () => {
                const links = alertLinks(inputs);
                const data = ampRuleNamespaceData(links);
                const groups = (parse(data) as { groups: unknown[] }).groups;
                assert.deepStrictEqual(groups, JSON.parse(JSON.stringify(ruleFiles(links).flatMap((f) => f.groups))));
                const dir = tempDirWith("kms-amp-rules", [{ path: "namespace.yml", content: data }]);
                try {
                    const r = run(requireBinary("promtool"), ["check", "rules", "--lint=all", "--lint-fatal", "namespace.yml"], dir);
                    assert.strictEqual(r.status, 0, r.stdout + r.stderr);
                    assert.doesNotMatch(r.stdout + r.stderr, /WARNING|lint|FAILED/i, r.stdout + r.stderr);
                    assert.match(r.stdout, new RegExp(`SUCCESS: ${ALERTS.length + RECORDING_RULES.length} rules found`));
                } finally {
                    fs.rmSync(dir, { recursive: true, force: true });
                }
            });

            // Templates do not depend on the stack beyond the URLs: one stack's worth of amtool runs is enough.
            if (stack !== "prod") return;
            describe("messages rendered by amtool for every catalog alert", () => {
                const links = alertLinks(inputs);
                const SEP = "\n@@@@\n";
                const labelsOf = (a: (typeof ALERTS)[number]) => ({
                    alertname: a.name, severity: a.severity, env: stack, service: "ai-finance-backend", instance: "backend-0:8000", name: "kms-signing-key",
                });
                for (const a of ALERTS) {
                    it(a.name, () => {
                        const labels = labelsOf(a);
                        const annotations = Object.fromEntries(Object.entries(alertAnnotations(a, links))
                            .map(([k, v]) => [k, expandTemplate(v, labels, "12.5", `${a.name}.${k}`)]));
                        const alert = { status: "firing", labels, annotations, startsAt: "2026-11-01T09:00:00Z", endsAt: "0001-01-01T00:00:00Z" };
                        const data = {
                            receiver: RECEIVERS.critical, status: "firing", alerts: [alert, { ...alert, labels: { ...labels, instance: "backend-1:8000" } }],
                            groupLabels: { alertname: a.name, env: stack, service: labels.service }, commonLabels: { ...labels, instance: undefined },
                            commonAnnotations: {}, externalURL: "https://amp.example",
                        };
                        withAmtoolDir(config, (dir) => {
                            fs.writeFileSync(path.join(dir, "data.json"), JSON.stringify(data));
                            // One amtool run renders the three templates, separated by a marker line.
                            const r = run(requireBinary("amtool"), ["template", "render", `--template.glob=${path.join(dir, AMP_TEMPLATE_FILE)}`,
                                `--template.data=${path.join(dir, "data.json")}`,
                                `--template.text=${["kms.sns.subject", "kms.sns.text", "kms.sns.chatbot"].map((t) => `{{ template "${t}" . }}`).join(SEP)}`], dir);
                            assert.strictEqual(r.status, 0, r.stderr);
                            const [subject, text, chat] = r.stdout.split(SEP);

                            assert.ok(subject.length > 0 && subject.length < 100, `SNS subject over 99 characters: ${subject}`);
                            assert.ok(/^[\x20-\x7e]+$/.test(subject), `SNS subjects are printable ASCII: ${JSON.stringify(subject)}`);
                            assert.ok(subject.startsWith(`[FIRING:2] ${a.name}`), subject);

                            for (const k of ["summary", "runbook_url", "dashboard_url"]) assert.ok(text.includes(annotations[k]), `${k} missing: ${text}`);

                            const event = JSON.parse(chat) as {
                                version: string; source: string; content: { title: string; description: string; nextSteps: string[] };
                            };
                            assert.strictEqual(event.version, "1.0");
                            assert.strictEqual(event.source, "custom");
                            assert.ok(event.content.title.includes(a.name));
                            assert.ok(event.content.description.includes(annotations.summary));
                            assert.deepStrictEqual(event.content.nextSteps, [`Runbook: ${annotations.runbook_url}`, `Dashboard: ${annotations.dashboard_url}`]);
                        });
                    });
                }
            });
        });
    }
});
