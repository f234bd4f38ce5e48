import * as assert from "assert";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { AddressInfo } from "net";
import { parse } from "yaml";
import { FORWARDER_SOURCE } from "../../../documents/aws/forwarder-source";
import { StackRun, stackRun } from "../../harness";
import { AmRoute, fromAlertmanager, route } from "./route-walk";

interface Received { readonly path: string; readonly contentType: string; readonly body: string }
type Handler = (event: unknown) => Promise<void>;

/** The function's source, loaded as Lambda loads index.js. */
function loadForwarder(): { handler: Handler } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kms-forwarder-"));
    fs.writeFileSync(path.join(dir, "index.js"), FORWARDER_SOURCE);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path.join(dir, "index.js")) as { handler: Handler };
}

const snsEvent = (topicArn: string, subject: string, message: string) => ({
    Records: [{ EventSource: "aws:sns", Sns: { Type: "Notification", MessageId: "m-1", TopicArn: topicArn, Subject: subject, Message: message } }],
});

/** AMP's kms.sns.chatbot template output for a firing / resolved critical alert (render-amp.ts). */
const chatbotMessage = (status: "FIRING" | "RESOLVED") => JSON.stringify({
    version: "1.0", source: "custom",
    content: { textType: "client-markdown", title: `${status === "FIRING" ? ":rotating_light:" : ":white_check_mark:"} [${status}:${status === "FIRING" ? 1 : 0}] KMSCryptoNotReady prod/ledger-api`, description: "*KMS crypto not ready*" },
    metadata: { threadId: "KMSCryptoNotReady/prod/ledger-api", summary: "KMS crypto not ready" },
});

describe("alerting: SNS forwarder Lambda (documents/aws/forwarder-source.ts), run against 127.0.0.1", () => {
    let server: http.Server;
    let received: Received[] = [];
    let status = 202;
    let base = "";
    const saved = { ...process.env };
    const forwarder = loadForwarder();

    before(async () => {
        server = http.createServer((req, res) => {
            let body = "";
            req.on("data", (c: Buffer) => { body += c.toString("utf8"); });
            req.on("end", () => {
                received.push({ path: req.url ?? "", contentType: String(req.headers["content-type"]), body });
                res.writeHead(status).end(status === 202 ? '{"status":"success"}' : "busy");
            });
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
        process.env = saved;
        await new Promise((resolve) => server.close(resolve));
    });
    beforeEach(() => { received = []; status = 202; });

    it("pings the dead man's switch with every Watchdog notification", async () => {
        Object.assign(process.env, { MODE: "heartbeat", TARGET_URL: `${base}/5f0c9a3e-8b1d-4c2e-9f6a-7d2b1e4c8a90` });
        await forwarder.handler(snsEvent("arn:aws:sns:us-east-1:123456789012:ledgermind-prod-watchdog-heartbeat", "[FIRING:1] Watchdog prod/", "[FIRING] Watchdog"));
        assert.strictEqual(received.length, 1);
        assert.strictEqual(received[0].path, "/5f0c9a3e-8b1d-4c2e-9f6a-7d2b1e4c8a90");
        assert.match(received[0].body, /Watchdog/);
    });

    it("opens and resolves one PagerDuty incident per alert group (Events API v2)", async () => {
        Object.assign(process.env, { MODE: "pagerduty", TARGET_URL: `${base}/v2/enqueue`, ROUTING_KEY: "R0UTINGKEY" });
        const topic = "arn:aws:sns:us-east-1:123456789012:ledgermind-prod-kms-critical";
        await forwarder.handler(snsEvent(topic, "[FIRING:1] KMSCryptoNotReady prod/ledger-api", chatbotMessage("FIRING")));
        await forwarder.handler(snsEvent(topic, "[RESOLVED:0] KMSCryptoNotReady prod/ledger-api", chatbotMessage("RESOLVED")));
        const [open, close] = received.map((r) => JSON.parse(r.body) as Record<string, any>);
        assert.strictEqual(received[0].path, "/v2/enqueue");
        assert.strictEqual(received[0].contentType, "application/json");
        assert.deepStrictEqual([open.routing_key, open.event_action, open.dedup_key], ["R0UTINGKEY", "trigger", "KMSCryptoNotReady/prod/ledger-api"]);
        assert.deepStrictEqual([open.payload.severity, open.payload.source], ["critical", topic]);
        assert.match(open.payload.summary, /\[FIRING:1\] KMSCryptoNotReady prod\/ledger-api/);
        assert.deepStrictEqual([close.event_action, close.dedup_key], ["resolve", open.dedup_key]);
    });

    it("pages for the KMS key-event detections and CloudWatch alarms on the same topic", async () => {
        Object.assign(process.env, { MODE: "pagerduty", TARGET_URL: `${base}/v2/enqueue`, ROUTING_KEY: "R0UTINGKEY" });
        const topic = "arn:aws:sns:us-east-1:123456789012:ledgermind-prod-kms-critical";
        const detection = JSON.stringify({ version: "1.0", source: "custom", content: { title: "[kms-critical] KMS key disabled: DisableKey on arn:aws:kms:us-east-1:123456789012:key/1" }, metadata: { threadId: "disable-key" } });
        await forwarder.handler(snsEvent(topic, "", detection));
        const alarm = (state: string) => JSON.stringify({ AlarmName: "ledgermind-prod-cis-4-7-disable-or-delete-key", NewStateValue: state, NewStateReason: "Threshold Crossed" });
        await forwarder.handler(snsEvent(topic, "ALARM: ...", alarm("ALARM")));
        await forwarder.handler(snsEvent(topic, "OK: ...", alarm("OK")));
        await forwarder.handler(snsEvent(topic, "INSUFFICIENT_DATA: ...", alarm("INSUFFICIENT_DATA")));
        const events = received.map((r) => JSON.parse(r.body) as Record<string, any>);
        assert.deepStrictEqual(events.map((e) => [e.event_action, e.dedup_key]), [
            ["trigger", "disable-key"],
            ["trigger", "ledgermind-prod-cis-4-7-disable-or-delete-key"],
            ["resolve", "ledgermind-prod-cis-4-7-disable-or-delete-key"],
        ]);
    });

    it("fails the invocation when the endpoint does not accept, so Lambda retries", async () => {
        Object.assign(process.env, { MODE: "heartbeat", TARGET_URL: `${base}/ping` });
        status = 503;
        await assert.rejects(forwarder.handler(snsEvent("arn:aws:sns:us-east-1:123456789012:t", "s", "m")), /503/);
    });
});

describe("alerting: on the AMP path, critical alerts page PagerDuty and the Watchdog reaches the switch (prod plan)", () => {
    let run: StackRun;
    const definition = () => {
        const outer = parse(String(run.one("aws:amp/alertManagerDefinition:AlertManagerDefinition").inputs.definition)) as { alertmanager_config: string };
        return parse(outer.alertmanager_config) as { route: AmRoute; receivers: { name: string; sns_configs: { topic_arn: string }[] }[] };
    };
    /** The Lambda functions subscribed to the topic an alert with these labels is published to. */
    const functionsFor = (labels: Record<string, string>) => {
        const def = definition();
        const receivers = route(fromAlertmanager(def.route), labels).map((d) => d.receiver);
        const topics = receivers.flatMap((r) => def.receivers.find((x) => x.name === r)?.sns_configs.map((c) => c.topic_arn) ?? []);
        const fnArns = run.ofType("aws:sns/topicSubscription:TopicSubscription")
            .filter((s) => topics.includes(String(s.inputs.topic)) && s.inputs.protocol === "lambda").map((s) => String(s.inputs.endpoint));
        return run.ofType("aws:lambda/function:Function").filter((f) => fnArns.some((a) => a.endsWith(`:${String(f.inputs.name)}`)));
    };

    before(async () => { run = await stackRun("prod"); });

    it("delivers a critical KMS alert to a topic whose Lambda subscription opens a PagerDuty incident", () => {
        const fns = functionsFor({ alertname: "KMSCryptoNotReady", severity: "critical", env: "prod", service: "ledger-api" });
        assert.deepStrictEqual(fns.map((f) => f.inputs.name), ["ledgermind-prod-amp-pagerduty-kms-critical"]);
        const env = fns[0].inputs.environment as { variables: unknown };
        assert.strictEqual(env.variables, "[secret]", "the routing key is never plaintext");
        assert.strictEqual(fns[0].inputs.runtime, "nodejs22.x");
        const permission = run.ofType("aws:lambda/permission:Permission").find((p) => p.inputs.function === fns[0].inputs.name);
        assert.ok(permission && permission.inputs.principal === "sns.amazonaws.com" && String(permission.inputs.sourceArn).endsWith(":ledgermind-prod-kms-critical"));
        assert.deepStrictEqual(functionsFor({ alertname: "KMSSomethingWarning", severity: "warning", env: "prod", service: "x" }), [], "warnings do not page");
    });

    it("delivers the Watchdog to the heartbeat ping Lambda, not to an email subscription", () => {
        const fns = functionsFor({ alertname: "Watchdog", severity: "none", env: "prod" });
        assert.deepStrictEqual(fns.map((f) => f.inputs.name), ["ledgermind-prod-amp-heartbeat"]);
    });

    it("creates no PagerDuty forwarder where PagerDuty is disabled (staging)", async () => {
        const staging = await stackRun("staging");
        assert.deepStrictEqual(staging.ofType("aws:lambda/function:Function").map((f) => f.inputs.name), ["ledgermind-staging-amp-heartbeat"]);
    });
});
