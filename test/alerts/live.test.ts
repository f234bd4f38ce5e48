import * as assert from "assert";
import * as fs from "fs";
import { alertingArtifacts } from "../../alerts/artifacts";
import { RECEIVERS, buildRouting } from "../../alerts/routing";
import { durationSeconds } from "../../config/common";
import { tempDirWith } from "./bin";
import { alertingInputs } from "./fixtures";
import { Delivery, LiveAlertmanager, WebhookSink, startWebhookSink, withWebhooks } from "./live-am";

/**
 * The rendered prod alertmanager.yml run by a real prometheus-alertmanager, integrations swapped
 * for webhooks to this process. group_wait stays as rendered (the assertions measure it);
 * group_interval is shortened to GROUP_INTERVAL on every route, because the only thing that waits
 * for it is the resolved notification, whose delivery (not its 2-5 minute cadence) is asserted.
 */
const GROUP_INTERVAL = "5s";
const SERVICE = "ai-finance-backend";

describe("alerts: live Alertmanager (prometheus-alertmanager on 127.0.0.1)", function () {
    this.timeout(60_000);
    const inputs = alertingInputs("prod");
    const t = inputs.alerting.timings;
    const ms = (d: string) => durationSeconds(d) * 1000;
    const gi = ms(GROUP_INTERVAL);
    let dir = "";
    let sink: WebhookSink | undefined;
    let am: LiveAlertmanager | undefined;
    let postedAt = 0;
    const figures: string[] = [];

    const alert = (alertname: string, severity: string, env: string) => ({ alertname, severity, env, service: SERVICE });
    const A = {
        notKms: alert("KMSCryptoModeNotKMS", "critical", "prod"),
        notReadyProd: alert("KMSCryptoNotReady", "critical", "prod"),
        notReadyStaging: alert("KMSCryptoNotReady", "critical", "staging"),
        opsCritical: alert("KMSOperationFailures", "critical", "prod"),
        opsWarning: alert("KMSOperationFailures", "warning", "prod"),
        latency: alert("KMSHighLatency", "warning", "prod"),
        watchdog: { alertname: "Watchdog", severity: "none" },
        other: alert("NodeDiskFull", "warning", "prod"),
    };
    const same = (a: Record<string, string>, b: Record<string, string>) =>
        Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
    const carries = (labels: Record<string, string>, status = "firing") => (d: Delivery) =>
        d.alerts.some((x) => x.status === status && same(labels, x.labels));

    /** Awaits the notification, asserts it is not early and within bound × 1.1, records the figure. */
    async function timed(what: string, labels: Record<string, string>, receiver: string, from: number, bound: number, status = "firing"): Promise<Delivery> {
        const d = await sink!.next(carries(labels, status), bound * 1.1 + 5_000, what);
        const ttn = d.at - from;
        figures.push(`${what.padEnd(58)} ${String(ttn).padStart(6)} ms / ${String(bound).padStart(6)} ms` +
            (bound > 0 ? ` = ${(ttn / bound).toFixed(3)}` : " (immediate)"));
        assert.strictEqual(d.receiver, receiver, `${what} went to ${d.receiver}`);
        if (status === "firing") assert.ok(ttn >= bound, `${what} notified after ${ttn} ms, before group_wait ${bound} ms`);
        assert.ok(ttn <= Math.max(bound * 1.1, 1_000), `${what} took ${ttn} ms, bound ${bound} ms`);
        return d;
    }

    async function stateOf(labels: Record<string, string>) {
        const all = await am!.alerts();
        const found = all.find((a) => same({ ...labels }, Object.fromEntries(Object.entries(a.labels))));
        assert.ok(found, `alert ${JSON.stringify(labels)} not in Alertmanager`);
        return { ...found, all };
    }

    before(async () => {
        const files = alertingArtifacts(inputs).filter((f) => f.path.startsWith("alertmanager/templates/"))
            .map((f) => ({ path: f.path.slice("alertmanager/".length), content: f.content }));
        dir = tempDirWith("kms-am-live", files);
        sink = await startWebhookSink();
        const rendered = alertingArtifacts(inputs).find((f) => f.path === "alertmanager/alertmanager.yml")!.content;
        am = await LiveAlertmanager.start(dir, withWebhooks(rendered, sink, GROUP_INTERVAL));
        const now = new Date().toISOString();
        postedAt = Date.now();
        await am.post([A.notKms, A.notReadyProd, A.notReadyStaging, A.opsCritical, A.opsWarning, A.watchdog].map((labels) => ({ labels, startsAt: now })));
        // Posted after the batch above, so their groups flush strictly after the inhibited warning's group.
        await am.post([A.latency, A.other].map((labels) => ({ labels, startsAt: now })));
    });

    after(async () => {
        if (figures.length) console.log(`      time-to-notify / bound (target <= 1.1):\n${figures.map((f) => `        ${f}`).join("\n")}`);
        await am?.stop();
        await sink?.close();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("the Watchdog reaches its heartbeat receiver at once (group_wait 0s)", async () => {
        await timed("Watchdog -> watchdog-heartbeat", A.watchdog, RECEIVERS.heartbeat, postedAt, ms(t.heartbeat.groupWait));
    });

    it("a critical alert reaches kms-critical, not before group_wait and within it", async () => {
        await timed("KMSCryptoModeNotKMS critical prod -> kms-critical", A.notKms, RECEIVERS.critical, postedAt, ms(t.critical.groupWait));
    });

    it("KMSCryptoNotReady is delivered for another env while suppressed where KMSCryptoModeNotKMS fires", async () => {
        await timed("KMSCryptoNotReady critical staging -> kms-critical", A.notReadyStaging, RECEIVERS.critical, postedAt, ms(t.critical.groupWait));
        const { status, all } = await stateOf(A.notReadyProd);
        const source = all.find((a) => same(A.notKms, a.labels))!;
        assert.strictEqual(status.state, "suppressed");
        assert.deepStrictEqual(status.inhibitedBy, [source.fingerprint]);
    });

    it("the resolution of a notified alert is notified", async () => {
        await sink!.next(carries(A.notReadyStaging), 20_000, "KMSCryptoNotReady staging");
        const resolvedAt = Date.now();
        await am!.post([{ labels: A.notReadyStaging, startsAt: new Date(postedAt).toISOString(), endsAt: new Date().toISOString() }]);
        await timed("KMSCryptoNotReady staging resolved -> kms-critical", A.notReadyStaging, RECEIVERS.critical, resolvedAt, gi, "resolved");
    });

    it("a critical alert suppresses the warning level of the same alert", async () => {
        await timed("KMSOperationFailures critical prod -> kms-critical", A.opsCritical, RECEIVERS.critical, postedAt, ms(t.critical.groupWait));
        const { status, all } = await stateOf(A.opsWarning);
        assert.strictEqual(status.state, "suppressed");
        assert.deepStrictEqual(status.inhibitedBy, [all.find((a) => same(A.opsCritical, a.labels))!.fingerprint]);
    });

    it("a warning alert reaches kms-security, and a non-KMS alert the default receiver", async () => {
        await timed("KMSHighLatency warning prod -> kms-security", A.latency, RECEIVERS.warning, postedAt, ms(t.warning.groupWait));
        await timed("NodeDiskFull warning prod -> team-ops", A.other, inputs.alerting.defaultReceiver.name, postedAt, ms(t.default.groupWait));
    });

    it("no alert reached a receiver it is not routed to, and suppressed alerts were never delivered", async () => {
        // End boundary: the warning's resolution arrives after both warning groups flushed at least twice.
        const resolvedAt = Date.now();
        await am!.post([{ labels: A.latency, startsAt: new Date(postedAt).toISOString(), endsAt: new Date().toISOString() }]);
        await timed("KMSHighLatency prod resolved -> kms-security", A.latency, RECEIVERS.warning, resolvedAt, gi, "resolved");
        const model = buildRouting(inputs.alerting);
        const expected: [Record<string, string>, string | undefined][] = [
            [A.notKms, RECEIVERS.critical], [A.notReadyStaging, RECEIVERS.critical], [A.opsCritical, RECEIVERS.critical],
            [A.latency, RECEIVERS.warning], [A.watchdog, RECEIVERS.heartbeat], [A.other, model.route.receiver],
            [A.notReadyProd, undefined], [A.opsWarning, undefined],
        ];
        for (const [labels, receiver] of expected) {
            const got = [...new Set(sink!.deliveries.filter((d) => d.alerts.some((x) => same(labels, x.labels))).map((d) => d.receiver))];
            assert.deepStrictEqual(got, receiver ? [receiver] : [], `${JSON.stringify(labels)} delivered to ${got.join(", ") || "nobody"}`);
        }
    });
});
