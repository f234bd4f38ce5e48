import * as assert from "assert";
import * as fs from "fs";
import { RECEIVERS, WATCHDOG, buildRouting } from "../../alerts/routing";
import { toYaml } from "../../alerts/yaml";
import {
    GrafanaPolicy, grafanaContactPoints, grafanaMessageTemplate, grafanaMuteIntervals, grafanaPolicyTree, templateNames,
} from "../../alerts/render-grafana";
import { requireBinary, run, tempDirWith } from "./bin";
import { STACKS, alertingInputs } from "./fixtures";
import { provisioningInputs } from "../components/alerting/fixtures";

/** Every policy of the tree, depth first, with the matchers on the way down. */
function flatten(policies: readonly GrafanaPolicy[]): GrafanaPolicy[] {
    return policies.flatMap((p) => [p, ...flatten(p.policies ?? [])]);
}
const matcherOf = (p: GrafanaPolicy, label: string) => p.matchers.find((m) => m.label === label && m.match === "=")?.value;

describe("alerting: Grafana rendering", () => {
    for (const stack of STACKS) {
        describe(stack, () => {
            const { alerting } = alertingInputs(stack);
            const { grafanaAlerting } = provisioningInputs(stack);
            const maintenance = grafanaAlerting.maintenance!;
            const routing = buildRouting(alerting);
            const group = grafanaAlerting.templateName;
            const points = grafanaContactPoints(routing, group);
            const tree = grafanaPolicyTree(routing, { muteTiming: maintenance.name, severities: maintenance.mutedSeverities });
            const cp = (name: string) => points.find((p) => p.name === name)!;

            it("has one contact point per receiver, named like it", () => {
                assert.deepStrictEqual(points.map((p) => p.name), routing.receivers.map((r) => r.name));
            });

            it("critical: both Slack channels (a mention on #security-critical), both mailboxes, PagerDuty when enabled", () => {
                const c = cp(RECEIVERS.critical);
                assert.deepStrictEqual(c.slacks.map((s) => [s.recipient, s.mentionChannel]),
                    [[alerting.slack.criticalChannel, "channel"], [alerting.slack.channel, undefined]]);
                assert.deepStrictEqual(c.emails.map((e) => e.addresses), [[alerting.email.criticalTo], [alerting.email.to]]);
                assert.deepStrictEqual(c.pagerduties.map((p) => p.severity), alerting.pagerduty.enabled ? ["critical"] : []);
                assert.deepStrictEqual(c.slacks.map((s) => s.credential), ["slackCriticalWebhookUrl", "slackWebhookUrl"],
                    "each channel's webhook comes from that channel's config secret");
                assert.ok(c.pagerduties.every((p) => p.credential === "pagerdutyRoutingKey"));
                assert.ok(!JSON.stringify(points).includes("hooks.slack.com"), "no credential value in the rendering");
            });

            it("every Slack integration takes the webhook secret of its own channel", () => {
                assert.deepStrictEqual([...new Set(points.flatMap((p) => p.slacks.map((s) => `${s.recipient} ${s.credential}`)))].sort(), [
                    `${alerting.defaultReceiver.slackChannel} slackDefaultWebhookUrl`,
                    `${alerting.slack.criticalChannel} slackCriticalWebhookUrl`,
                    `${alerting.slack.channel} slackWebhookUrl`,
                ].sort());
            });

            it("info: #security-ops only, without resolution messages", () => {
                const i = cp(RECEIVERS.info);
                assert.deepStrictEqual(i.slacks.map((s) => [s.recipient, s.disableResolveMessage]), [[alerting.slack.channel, true]]);
                assert.deepStrictEqual(i.emails, []);
            });

            it("every integration uses the message template's title and message", () => {
                const t = templateNames(group);
                for (const p of points) {
                    for (const s of p.slacks) assert.deepStrictEqual([s.title, s.text], [`{{ template "${t.title}" . }}`, `{{ template "${t.message}" . }}`]);
                    for (const e of p.emails) assert.deepStrictEqual([e.subject, e.message], [`{{ template "${t.title}" . }}`, `{{ template "${t.message}" . }}`]);
                    for (const d of p.pagerduties) assert.strictEqual(d.summary, `{{ template "${t.title}" . }}`);
                }
            });

            it("mirrors the route tree node for node with the model's matchers and timings", () => {
                assert.strictEqual(tree.contactPoint, routing.route.receiver);
                assert.deepStrictEqual([tree.groupWait, tree.groupInterval, tree.repeatInterval],
                    [routing.route.groupWait, routing.route.groupInterval, routing.route.repeatInterval]);
                const watchdog = tree.policies.find((p) => matcherOf(p, "alertname") === WATCHDOG)!;
                assert.strictEqual(watchdog.contactPoint, RECEIVERS.heartbeat);
                const kms = tree.policies.find((p) => p.matchers.some((m) => m.label === "alertname" && m.match === "=~" && m.value === "^KMS.*"))!;
                assert.deepStrictEqual(kms.policies!.map((p) => [matcherOf(p, "severity"), p.contactPoint, p.groupWait, p.groupInterval, p.repeatInterval]), [
                    ["critical", RECEIVERS.critical, alerting.timings.critical.groupWait, alerting.timings.critical.groupInterval, alerting.timings.critical.repeatInterval],
                    ["warning", RECEIVERS.warning, alerting.timings.warning.groupWait, alerting.timings.warning.groupInterval, alerting.timings.warning.repeatInterval],
                    ["info", RECEIVERS.info, alerting.timings.info.groupWait, alerting.timings.info.groupInterval, alerting.timings.info.repeatInterval],
                ]);
            });

            it("mutes exactly the configured severities during maintenance; never critical pages, never the Watchdog", () => {
                const muted = flatten(tree.policies).filter((p) => p.muteTimings?.includes(maintenance.name));
                assert.deepStrictEqual(muted.map((p) => matcherOf(p, "severity")).sort(), [...maintenance.mutedSeverities].sort());
                assert.ok(!muted.some((p) => p.contactPoint === RECEIVERS.critical || p.contactPoint === RECEIVERS.heartbeat));
            });

            it("turns the maintenance windows into mute intervals in the configured time zone", () => {
                const intervals = grafanaMuteIntervals(maintenance);
                assert.strictEqual(intervals.length, maintenance.windows.length);
                maintenance.windows.forEach((w, i) => {
                    assert.deepStrictEqual(intervals[i].weekdays, w.weekdays);
                    assert.deepStrictEqual(intervals[i].daysOfMonths, w.daysOfMonth);
                    assert.deepStrictEqual(intervals[i].times, w.times);
                    assert.strictEqual(intervals[i].location, maintenance.location);
                });
            });
        });
    }

    it("the message template parses as a Go template (amtool loads it) and links summary, runbook and dashboard", () => {
        const text = grafanaMessageTemplate("kms-observability");
        for (const needle of ['define "kms-observability.title"', 'define "kms-observability.message"', ".Annotations.summary",
            ".Annotations.runbook_url", ".Annotations.dashboard_url", ".DashboardURL"]) {
            assert.ok(text.includes(needle), needle);
        }
        const dir = tempDirWith("kms-grafana-tmpl", [
            { path: "grafana.tmpl", content: text },
            { path: "am.yml", content: toYaml({ templates: ["grafana.tmpl"], route: { receiver: "x" }, receivers: [{ name: "x" }] }) },
        ]);
        try {
            const r = run(requireBinary("amtool"), ["check-config", "am.yml"], dir);
            assert.strictEqual(r.status, 0, r.stdout + r.stderr);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("refuses a receiver without integrations: Grafana cannot provision an empty contact point", () => {
        const { alerting } = alertingInputs("prod");
        const routing = buildRouting({ ...alerting, heartbeatEmail: undefined });
        assert.throws(() => grafanaContactPoints(routing, "t"), /watchdog-heartbeat has no integrations/);
    });
});
