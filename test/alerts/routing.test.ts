import * as assert from "assert";
import { ALERTS } from "../../alerts/catalog";
import { Integration, RECEIVERS, Route, buildRouting } from "../../alerts/routing";
import { receiversFor } from "../components/alerting/route-walk";
import { ALERT_CASES } from "./cases";
import { alertingInputs } from "./fixtures";

const describeIntegration = (i: Integration) =>
    i.kind === "slack" ? `slack ${i.channel}${i.mention ? ` ${i.mention}` : ""}` : i.kind === "email" ? `email ${i.to}` : `pagerduty ${i.severity}`;

function allRoutes(r: Route): Route[] {
    return [r, ...r.routes.flatMap(allRoutes)];
}

describe("alerts: routing model", () => {
    const prod = buildRouting(alertingInputs("prod").alerting);
    const staging = buildRouting(alertingInputs("staging").alerting);
    const receiver = (m: typeof prod, name: string) => m.receivers.find((r) => r.name === name)!;

    it("gives each receiver the seed's channels, mailboxes and PagerDuty only where enabled", () => {
        assert.deepStrictEqual(receiver(prod, RECEIVERS.critical).integrations.map(describeIntegration), [
            "slack #security-critical @channel", "slack #security-ops", "email oncall@ledger-mind.org", "email secops@ledger-mind.org", "pagerduty critical",
        ]);
        assert.deepStrictEqual(receiver(staging, RECEIVERS.critical).integrations.map(describeIntegration).filter((d) => d.startsWith("pagerduty")), []);
        assert.deepStrictEqual(receiver(prod, RECEIVERS.warning).integrations.map(describeIntegration), ["slack #security-ops", "email secops@ledger-mind.org"]);
        assert.deepStrictEqual(receiver(prod, RECEIVERS.info).integrations.map((i) => [describeIntegration(i), i.sendResolved]), [["slack #security-ops", false]]);
        assert.match(receiver(prod, RECEIVERS.heartbeat).integrations.map(describeIntegration).join(), /^email [0-9a-f-]+@hc-ping\.com$/);
    });

    it("routes critical and warning KMS alerts with seed 001's timings", () => {
        const timing = (labels: Record<string, string>) => {
            const kms = prod.route.routes.find((r) => r.matchers.some((m) => m.value === "^KMS.*"))!;
            const r = kms.routes.find((c) => c.matchers.every((m) => labels[m.name] === m.value))!;
            return [r.receiver, r.groupWait, r.groupInterval, r.repeatInterval];
        };
        assert.deepStrictEqual(timing({ severity: "critical" }), ["kms-critical", "10s", "2m", "30m"]);
        assert.deepStrictEqual(timing({ severity: "warning" }), ["kms-security", "30s", "5m", "2h"]);
    });

    it("references only receivers that exist, and every receiver is used", () => {
        const names = prod.receivers.map((r) => r.name);
        assert.strictEqual(new Set(names).size, names.length);
        const used = new Set(allRoutes(prod.route).map((r) => r.receiver));
        assert.deepStrictEqual([...used].filter((n) => !names.includes(n)), []);
        assert.deepStrictEqual(names.filter((n) => !used.has(n)), []);
    });

    it("sends every catalog alert at its severity to the receiver of that severity", () => {
        for (const a of ALERTS) {
            const want = a.name === "Watchdog" ? RECEIVERS.heartbeat : RECEIVERS[a.severity as "critical" | "warning" | "info"];
            assert.deepStrictEqual(receiversFor(prod.route, { alertname: a.name, severity: a.severity, env: "prod", service: "x" }), [want], a.name);
        }
        assert.deepStrictEqual(receiversFor(prod.route, { alertname: "NodeDiskFull", severity: "critical" }), ["team-ops"]);
    });

    it("inhibits only on labels both sides really carry (per the promtool-verified label sets)", () => {
        for (const rule of prod.inhibitRules) {
            const matching = (ms: typeof rule.source) => ALERTS.filter((a) => ms.every((m) =>
                m.name === "alertname" ? new RegExp(`^(?:${m.value})$`).test(a.name) : m.name === "severity" ? m.value === a.severity : true));
            const sides = [...matching(rule.source), ...matching(rule.target)];
            assert.ok(matching(rule.source).length > 0, `${rule.description}: no catalog alert can be a source`);
            for (const a of sides) {
                for (const e of ALERT_CASES[a.name].firing.expect) {
                    const labels = { ...e.labels, alertname: a.name };
                    assert.deepStrictEqual(rule.equal.filter((l) => !(l in labels)), [], `${a.name} lacks an equal label of "${rule.description}"`);
                }
            }
        }
        assert.deepStrictEqual(prod.inhibitRules[0].equal, ["env", "service"]);
    });

    it("holds credentials only as references to config secrets", () => {
        const json = JSON.stringify(prod);
        assert.doesNotMatch(json, /hooks\.slack\.com|offline-secret|secure/);
        assert.deepStrictEqual([...new Set([...json.matchAll(/"credential":"(\w+)"/g)].map((m) => m[1]))].sort(),
            ["pagerdutyRoutingKey", "slackCriticalWebhookUrl", "slackDefaultWebhookUrl", "slackWebhookUrl", "smtpAuthPassword"]);
    });

    /** Every Slack integration of a model as `channel credential`, deduplicated. */
    const slackCredentials = (m: typeof prod) => [...new Set(m.receivers.flatMap((r) => r.integrations)
        .flatMap((i) => (i.kind === "slack" ? [`${i.channel} ${i.credential}`] : [])))].sort();

    it("posts to each Slack channel through that channel's own webhook secret", () => {
        for (const m of [prod, staging]) {
            assert.deepStrictEqual(slackCredentials(m), [
                "#ops-alerts slackDefaultWebhookUrl", "#security-critical slackCriticalWebhookUrl", "#security-ops slackWebhookUrl",
            ]);
        }
        assert.deepStrictEqual(receiver(prod, RECEIVERS.critical).integrations.flatMap((i) => (i.kind === "slack" ? [i.credential] : [])),
            ["slackCriticalWebhookUrl", "slackWebhookUrl"]);
    });

    it("shares a webhook between settings that name the same channel", () => {
        const base = alertingInputs("prod").alerting;
        const same = buildRouting({ ...base, slack: { ...base.slack, criticalChannel: base.slack.channel },
            defaultReceiver: { ...base.defaultReceiver, slackChannel: base.slack.channel } });
        assert.deepStrictEqual(slackCredentials(same), ["#security-ops slackWebhookUrl"]);
        const defaultOnCritical = buildRouting({ ...base, defaultReceiver: { ...base.defaultReceiver, slackChannel: base.slack.criticalChannel } });
        assert.deepStrictEqual(slackCredentials(defaultOnCritical), ["#security-critical slackCriticalWebhookUrl", "#security-ops slackWebhookUrl"]);
    });
});
