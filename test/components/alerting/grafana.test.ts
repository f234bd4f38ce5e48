import * as assert from "assert";
import { RECEIVERS, WATCHDOG, buildRouting } from "../../../alerts/routing";
import { GrafanaAlertingMirror, GrafanaCredentialKey } from "../../../components/alerting/grafana";
import { grafanaMessageTemplate } from "../../../alerts/render-grafana";
import { parseSettings } from "../../../config/load";
import { Settings } from "../../../config/schema";
import { evaluate } from "../../../tools/engine";
import { StackRun, editSection, runStack, stackConfig } from "../../harness";
import { GrafanaPolicyInput, fromGrafana, route } from "./route-walk";

const T = {
    component: "kms-observability:alerting:GrafanaAlertingMirror",
    contactPoint: "grafana:alerting/contactPoint:ContactPoint",
    policy: "grafana:alerting/notificationPolicy:NotificationPolicy",
    template: "grafana:alerting/messageTemplate:MessageTemplate",
    mute: "grafana:alerting/muteTiming:MuteTiming",
};

interface Integration { [k: string]: unknown }

describe("alerting: GrafanaAlertingMirror (prod, mock engine)", () => {
    let run: StackRun;
    let settings: Settings;
    const contactPoint = (name: string) => run.ofType(T.contactPoint).find((c) => c.inputs.name === name)!.inputs as Record<string, Integration[]>;

    before(async () => {
        const raw = stackConfig("prod");
        settings = parseSettings(raw);
        run = await runStack(raw);
    });

    it("has one contact point per receiver, under the mirror component", () => {
        const cps = run.ofType(T.contactPoint);
        assert.deepStrictEqual(cps.map((c) => c.inputs.name).sort(), buildRouting(settings.alerting).receivers.map((r) => r.name).sort());
        assert.ok(cps.every((c) => c.parent === run.one(T.component).urn));
    });

    it("takes the Slack webhooks and the PagerDuty key from config secrets: the plan shows them as [secret]", () => {
        const critical = contactPoint(RECEIVERS.critical);
        assert.deepStrictEqual(critical.slacks.map((s) => [s.recipient, s.url, s.mentionChannel]), [
            [settings.alerting.slack.criticalChannel, "[secret]", "channel"],
            [settings.alerting.slack.channel, "[secret]", undefined],
        ]);
        assert.deepStrictEqual(critical.pagerduties.map((p) => [p.integrationKey, p.severity]), [["[secret]", "critical"]]);
        assert.deepStrictEqual(critical.emails.map((e) => e.addresses), [[settings.alerting.email.criticalTo], [settings.alerting.email.to]]);
        const plan = JSON.stringify(run.resources);
        assert.ok(!plan.includes("offline-secret:"), "no secret placeholder leaks into the plan");
    });

    it("gives each Slack integration the webhook secret of its own channel", async () => {
        // Plain stand-ins named after their key (the stack's secrets show only as [secret]) reveal which one each integration got.
        const standIn = (k: GrafanaCredentialKey) => `https://hooks.slack.test/${k}`;
        const keys: GrafanaCredentialKey[] = ["slackWebhookUrl", "slackCriticalWebhookUrl", "slackDefaultWebhookUrl", "pagerdutyRoutingKey"];
        const direct = new StackRun(await evaluate(stackConfig("prod"), () => new GrafanaAlertingMirror("mirror", {
            routing: buildRouting(settings.alerting),
            templateName: settings.grafanaAlerting.templateName,
            maintenance: settings.grafanaAlerting.maintenance!,
            secrets: Object.fromEntries(keys.map((k) => [k, standIn(k)])),
        })));
        const slacks = direct.ofType(T.contactPoint).flatMap((c) => (c.inputs.slacks as Integration[] | undefined ?? [])
            .map((s) => `${String(c.inputs.name)} ${String(s.recipient)} ${String(s.url)}`));
        const { slack, defaultReceiver } = settings.alerting;
        assert.deepStrictEqual(slacks.sort(), [
            `${RECEIVERS.critical} ${slack.criticalChannel} ${standIn("slackCriticalWebhookUrl")}`,
            `${RECEIVERS.critical} ${slack.channel} ${standIn("slackWebhookUrl")}`,
            `${RECEIVERS.info} ${slack.channel} ${standIn("slackWebhookUrl")}`,
            `${RECEIVERS.warning} ${slack.channel} ${standIn("slackWebhookUrl")}`,
            `${defaultReceiver.name} ${defaultReceiver.slackChannel} ${standIn("slackDefaultWebhookUrl")}`,
        ].sort());
    });

    it("the policy tree routes like the model, with the model's timings", () => {
        const p = run.one(T.policy).inputs as unknown as GrafanaPolicyInput;
        const tree = fromGrafana(p);
        const at = (alertname: string, severity: string) => route(tree, { alertname, severity, env: "prod", service: "ai-finance-backend" });
        assert.deepStrictEqual(at("KMSCryptoModeNotKMS", "critical").map((d) => [d.receiver, d.groupWait, d.groupInterval, d.repeatInterval]),
            [[RECEIVERS.critical, "10s", "2m", "30m"]]);
        assert.deepStrictEqual(at("KMSHighLatency", "warning").map((d) => [d.receiver, d.groupWait, d.groupInterval, d.repeatInterval]),
            [[RECEIVERS.warning, "30s", "5m", "2h"]]);
        assert.deepStrictEqual(at("KMSBackendRestarted", "info").map((d) => d.receiver), [RECEIVERS.info]);
        assert.deepStrictEqual(at(WATCHDOG, "none").map((d) => d.receiver), [RECEIVERS.heartbeat]);
        assert.deepStrictEqual(at("NodeDown", "critical").map((d) => d.receiver), [settings.alerting.defaultReceiver.name]);
        assert.deepStrictEqual(p.groupBies, settings.alerting.groupBy);
    });

    it("the notification policy waits for its contact points and the mute timing it names", () => {
        const policy = run.one(T.policy);
        for (const dep of [...run.ofType(T.contactPoint), run.one(T.mute)]) assert.ok(policy.dependsOn.includes(dep.urn), dep.name);
    });

    it("mutes warning and info notifications in the maintenance windows, never critical ones", () => {
        const mute = run.one(T.mute).inputs as { name: string; intervals: Record<string, unknown>[] };
        const m = settings.grafanaAlerting.maintenance!;
        assert.strictEqual(mute.name, m.name);
        assert.deepStrictEqual(mute.intervals, [
            { daysOfMonths: ["1"], location: "UTC", times: [{ end: "10:00", start: "09:00" }] },
            { location: "UTC", times: [{ end: "04:00", start: "02:00" }], weekdays: ["tuesday"] },
        ]);
        const muted: string[] = [];
        const walk = (p: GrafanaPolicyInput & { muteTimings?: string[] }) => {
            if (p.muteTimings?.includes(m.name)) muted.push(String(p.contactPoint));
            (p.policies ?? []).forEach(walk);
        };
        walk(run.one(T.policy).inputs as GrafanaPolicyInput);
        assert.deepStrictEqual(muted.sort(), [RECEIVERS.info, RECEIVERS.warning].sort());
    });

    it("provisions the message template the contact points reference", () => {
        const t = run.one(T.template).inputs;
        assert.strictEqual(t.name, settings.grafanaAlerting.templateName);
        assert.strictEqual(t.template, grafanaMessageTemplate(settings.grafanaAlerting.templateName));
        assert.ok(String(contactPoint(RECEIVERS.warning).slacks[0].text).includes(`${settings.grafanaAlerting.templateName}.message`));
    });

    it("creates nothing in Grafana alerting when disabled", async () => {
        const off = await runStack(editSection(stackConfig("prod"), "grafanaAlerting", (s) => { s.enabled = false; }));
        assert.deepStrictEqual(off.resources.filter((r) => r.type.startsWith("grafana:alerting/") || r.type === T.component), []);
        assert.strictEqual((off.outputs.alerting as Record<string, unknown>).grafana, undefined);
    });
});
