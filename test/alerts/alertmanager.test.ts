import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { alertLinks, alertingArtifacts } from "../../alerts/artifacts";
import { ALERTS, alertAnnotations } from "../../alerts/catalog";
import { expandTemplate } from "./promtool";
import { buildRouting } from "../../alerts/routing";
import { receiversFor } from "../components/alerting/route-walk";
import { SEVERITIES, Severity } from "../../shared/severity";
import { mapLimit, requireBinary, run, runAsync, tempDirWith } from "./bin";
import { STACKS, alertingInputs } from "./fixtures";

type Stack = (typeof STACKS)[number];

/** The rendered alertmanager/ folder of a stack in a temp dir (caller removes it). */
function alertmanagerDir(stack: Stack): string {
    return tempDirWith(`kms-am-${stack}`, alertingArtifacts(alertingInputs(stack))
        .filter((a) => a.path.startsWith("alertmanager/"))
        .map((a) => ({ path: a.path.slice("alertmanager/".length), content: a.content })));
}

/** Seed 001's routing, written out independently of alerts/routing.ts. */
function expectedReceiver(alertname: string, severity: Severity): string {
    if (alertname === "Watchdog") return "watchdog-heartbeat";
    if (!alertname.startsWith("KMS")) return "team-ops";
    return { critical: "kms-critical", warning: "kms-security", info: "kms-info", none: "kms-security" }[severity];
}

describe("alerts: Alertmanager config (amtool)", () => {
    const dirs: Partial<Record<Stack, string>> = {};
    before(() => STACKS.forEach((s) => (dirs[s] = alertmanagerDir(s))));
    after(() => Object.values(dirs).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

    for (const stack of STACKS) {
        const envLabel = stack;

        it(`${stack}: amtool check-config accepts alertmanager.yml and its templates`, () => {
            const r = run(requireBinary("amtool"), ["check-config", "alertmanager.yml"], dirs[stack]);
            assert.strictEqual(r.status, 0, r.stdout + r.stderr);
            assert.match(r.stdout, /SUCCESS/);
            assert.match(r.stdout, /2 inhibit rules/);
            assert.match(r.stdout, /1 templates/);
        });

        it(`${stack}: amtool routes every catalog alert × severity (env=${envLabel}) to its receiver, as the model predicts`, async function () {
            this.timeout(60_000);
            const model = buildRouting(alertingInputs(stack).alerting);
            const combos = ALERTS.flatMap((a) => SEVERITIES.map((severity) => ({ alertname: a.name, severity, env: envLabel, service: "ai-finance-backend" })));
            const wrong = (await mapLimit(combos, 4, async (labels) => {
                const want = expectedReceiver(labels.alertname, labels.severity);
                const r = await runAsync(requireBinary("amtool"), ["config", "routes", "test", "--config.file=alertmanager.yml",
                    `--verify.receivers=${want}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)], dirs[stack]);
                const got = r.stdout.trim();
                const modelSays = receiversFor(model.route, labels).join(",");
                return r.status !== 0 || got !== want || modelSays !== want
                    ? `${labels.alertname}/${labels.severity}: amtool ${got}, model ${modelSays}, want ${want}` : "";
            })).filter((w) => w !== "");
            assert.deepStrictEqual(wrong, []);
            assert.strictEqual(combos.length, ALERTS.length * SEVERITIES.length);
        });

        it(`${stack}: non-KMS alerts reach the default receiver`, () => {
            for (const alertname of ["NodeDiskFull", "PostgresDown", "xKMSProxyDown"]) {
                const r = run(requireBinary("amtool"), ["config", "routes", "test", "--config.file=alertmanager.yml",
                    "--verify.receivers=team-ops", `alertname=${alertname}`, "severity=critical", `env=${envLabel}`], dirs[stack]);
                assert.strictEqual(r.status, 0, `${alertname}: ${r.stdout}${r.stderr}`);
            }
        });

        it(`${stack}: credentials appear only as *_file paths`, () => {
            const text = fs.readFileSync(path.join(dirs[stack]!, "alertmanager.yml"), "utf8");
            const cfg = parse(text) as { global: Record<string, unknown>; receivers: Record<string, Record<string, unknown>[] | string>[] };
            assert.doesNotMatch(text, /\b(api_url|routing_key|service_key|smtp_auth_password|auth_password|url):/);
            assert.doesNotMatch(text, /hooks\.slack\.com|offline-secret/);
            assert.strictEqual(cfg.global.smtp_auth_password_file, "/etc/alertmanager/secrets/smtp_auth_password");
            const slack = cfg.receivers.flatMap((r) => (r.slack_configs as Record<string, unknown>[] | undefined) ?? []);
            const pd = cfg.receivers.flatMap((r) => (r.pagerduty_configs as Record<string, unknown>[] | undefined) ?? []);
            // One webhook file per channel (a Slack incoming webhook posts only to its own channel).
            assert.deepStrictEqual([...new Set(slack.map((c) => `${c.channel} ${c.api_url_file}`))].sort(), [
                "#ops-alerts /etc/alertmanager/secrets/slack_default_webhook_url",
                "#security-critical /etc/alertmanager/secrets/slack_critical_webhook_url",
                "#security-ops /etc/alertmanager/secrets/slack_webhook_url",
            ]);
            assert.ok(pd.every((c) => c.routing_key_file === "/etc/alertmanager/secrets/pagerduty_routing_key"));
            assert.strictEqual(pd.length, stack === "prod" ? 1 : 0, "PagerDuty only where enabled (prod)");
        });
    }

    it("kms-critical posts to #security-critical with @channel and #security-ops, mails oncall@ and secops@", () => {
        const cfg = parse(fs.readFileSync(path.join(dirs.prod!, "alertmanager.yml"), "utf8")) as { receivers: Record<string, Record<string, unknown>[]>[] };
        const crit = cfg.receivers.find((r) => (r.name as unknown) === "kms-critical")!;
        assert.deepStrictEqual(crit.slack_configs.map((c) => [c.channel, String(c.text).startsWith("<!channel> ")]),
            [["#security-critical", true], ["#security-ops", false]]);
        assert.deepStrictEqual(crit.email_configs.map((c) => c.to), ["oncall@ledger-mind.org", "secops@ledger-mind.org"]);
        const sec = cfg.receivers.find((r) => (r.name as unknown) === "kms-security")!;
        assert.deepStrictEqual(sec.slack_configs.map((c) => c.channel), ["#security-ops"]);
        assert.deepStrictEqual(sec.email_configs.map((c) => c.to), ["secops@ledger-mind.org"]);
    });

    it("message templates render the summary, runbook and dashboard links (amtool template render)", () => {
        const inputs = alertingInputs("prod");
        const alert = ALERTS.find((a) => a.name === "KMSCryptoNotReady")!;
        const labels = { alertname: alert.name, severity: alert.severity, env: "prod", service: "ai-finance-backend", instance: "backend-0:8000" };
        const annotations = Object.fromEntries(Object.entries(alertAnnotations(alert, alertLinks(inputs)))
            .map(([k, v]) => [k, expandTemplate(v, labels, undefined, alert.name)]));
        const data = {
            receiver: "kms-critical", status: "firing", externalURL: "http://alertmanager:9093",
            alerts: [{ status: "firing", labels, annotations, startsAt: "2025-10-06T09:00:00Z", endsAt: "0001-01-01T00:00:00Z", generatorURL: "", fingerprint: "1" }],
            groupLabels: { alertname: alert.name, env: "prod", service: "ai-finance-backend" }, commonLabels: labels, commonAnnotations: annotations,
        };
        fs.writeFileSync(path.join(dirs.prod!, "data.json"), JSON.stringify(data));
        // Alertmanager renders `html:` with html/template (escaping) and every other field as text.
        const render = (name: string) => {
            const r = run(requireBinary("amtool"), ["template", "render", "--template.glob=templates/*.tmpl",
                `--template.type=${name.endsWith(".html") ? "html" : "text"}`,
                `--template.text={{ template "${name}" . }}`, `--template.data=${path.join(dirs.prod!, "data.json")}`], dirs.prod);
            assert.strictEqual(r.status, 0, r.stdout + r.stderr);
            return r.stdout;
        };
        assert.strictEqual(render("kms.title").trim(), "[FIRING:1] KMSCryptoNotReady (critical) prod/ai-finance-backend");
        for (const name of ["kms.slack.text", "kms.email.html", "kms.text"]) {
            const out = render(name);
            for (const want of [annotations.summary, annotations.runbook_url, annotations.dashboard_url]) {
                assert.ok(out.includes(want.replace(/&/g, name === "kms.email.html" ? "&amp;" : "&")), `${name} lacks ${want}:\n${out}`);
            }
        }
    });
});
