import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { AlertmanagerConfig, AmRoute, CREDENTIAL_FILES } from "../../alerts/alertmanager";
import { alertingArtifacts } from "../../alerts/artifacts";
import { SLACK_WEBHOOKS, SlackWebhookKey } from "../../shared/alerting";
import { tempDirWith } from "./bin";
import { alertingInputs } from "./fixtures";
import { HttpSink, LiveAlertmanager } from "./live-am";

/** A Slack incoming-webhook post as the sink received it: which webhook file's URL, and the message. */
interface SlackPost {
    /** The credential file whose URL was posted to (the sink's URL path). */
    readonly file: string;
    readonly channel: string;
    /** Alert name, from the rendered title `[FIRING:1] <alertname> (<severity>) ...`. */
    readonly alertname: string;
    readonly mention: boolean;
}

/**
 * The rendered prod alertmanager.yml run by a real prometheus-alertmanager with its slack_configs
 * as rendered: every webhook file of the secrets directory holds a URL of this process named after
 * the file, so each post shows which file (which config secret) Alertmanager read for which channel.
 * Email and PagerDuty integrations are dropped (they would leave 127.0.0.1) and group_wait is 0s on
 * every route: this test is about where Slack messages go; test/alerts/live.test.ts measures when.
 */
describe("alerts: live Alertmanager Slack delivery (one webhook file per channel)", function () {
    this.timeout(30_000);
    let dir = "";
    let sink: HttpSink<SlackPost> | undefined;
    let am: LiveAlertmanager | undefined;
    const alert = (alertname: string, severity: string) => ({ alertname, severity, env: "prod", service: "ai-finance-backend" });

    before(async () => {
        sink = await HttpSink.start((urlPath, body): SlackPost => {
            const p = JSON.parse(body) as { channel: string; attachments: { title: string; text: string }[] };
            const [a] = p.attachments;
            return { file: urlPath.slice(1), channel: p.channel, alertname: /^\[\w+(?::\d+)?\] (\S+)/.exec(a.title)?.[1] ?? a.title, mention: a.text.startsWith("<!channel> ") };
        }, (p) => [p.file, p.channel, p.alertname]);
        const base = alertingInputs("prod");
        const templates = alertingArtifacts(base).filter((f) => f.path.startsWith("alertmanager/templates/"))
            .map((f) => ({ path: f.path.slice("alertmanager/".length), content: f.content }));
        dir = tempDirWith("kms-am-slack", templates);
        const secretsDir = path.join(dir, "secrets");
        fs.mkdirSync(secretsDir, { mode: 0o700 });
        for (const key of Object.keys(SLACK_WEBHOOKS) as SlackWebhookKey[]) {
            fs.writeFileSync(path.join(secretsDir, CREDENTIAL_FILES[key]), sink.url(CREDENTIAL_FILES[key]), { mode: 0o400 });
        }
        const rendered = alertingArtifacts({ ...base, alerting: { ...base.alerting, secretsDir } })
            .find((f) => f.path === "alertmanager/alertmanager.yml")!.content;
        const cfg = parse(rendered) as AlertmanagerConfig;
        const immediate = (r: AmRoute): AmRoute => ({ ...r, group_wait: "0s", ...(r.routes ? { routes: r.routes.map(immediate) } : {}) });
        am = await LiveAlertmanager.start(dir, {
            ...cfg,
            route: immediate(cfg.route),
            receivers: cfg.receivers.map((r) => ({ name: r.name, ...(r.slack_configs ? { slack_configs: r.slack_configs } : {}) })),
        });
        const now = new Date().toISOString();
        await am.post([
            alert("KMSCryptoModeNotKMS", "critical"), alert("KMSHighLatency", "warning"), alert("KMSBackendRestarted", "info"),
            alert("NodeDiskFull", "warning"), { alertname: "Watchdog", severity: "none" },
        ].map((labels) => ({ labels, startsAt: now })));
    });

    after(async () => {
        await am?.stop();
        await sink?.close();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("posts each channel's messages through that channel's own webhook file", async () => {
        const expected = [
            "slack_critical_webhook_url #security-critical KMSCryptoModeNotKMS @channel",
            "slack_default_webhook_url #ops-alerts NodeDiskFull",
            "slack_webhook_url #security-ops KMSBackendRestarted",
            "slack_webhook_url #security-ops KMSCryptoModeNotKMS",
            "slack_webhook_url #security-ops KMSHighLatency",
        ];
        const show = (p: SlackPost) => `${p.file} ${p.channel} ${p.alertname}${p.mention ? " @channel" : ""}`;
        await Promise.all(expected.map((e) => sink!.next((p) => show(p) === e, 15_000, e)));
        assert.deepStrictEqual(sink!.deliveries.map(show).sort(), expected);
    });
});
