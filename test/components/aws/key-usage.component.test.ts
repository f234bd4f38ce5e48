import * as assert from "assert";
import { KeyUsageAudit } from "../../../components/aws/key-usage";
import { crossAccountRuleName, failedOperationsAlarmName } from "../../../documents/aws/key-usage";
import { KeyMapping } from "../../../contract/key-mapping";
import { StackRun } from "../../harness";
import { CTX, assertNamesDerived, child, children, component, runAlone } from "../alone";

const TOPIC = `arn:aws:sns:eu-west-1:${CTX.accountId}:acme-kms-security`;
const keyArn = (id: string) => `arn:aws:kms:eu-west-1:${CTX.accountId}:key/${id}`;
const mapping = { "app/data": { keyArn: keyArn("k1"), generations: { g1: keyArn("k0") } } } as unknown as KeyMapping;

describe("aws: KeyUsageAudit alone (components/aws/key-usage.ts)", () => {
    let bare: StackRun;
    let trail: StackRun;

    before(async () => {
        bare = await runAlone(() => { new KeyUsageAudit("usage", { ctx: CTX, namePrefix: "acme", mapping, securityTopicArn: TOPIC }); return {}; });
        trail = await runAlone(() => {
            new KeyUsageAudit("usage", { ctx: CTX, namePrefix: "acme", mapping, securityTopicArn: TOPIC, cloudTrailLogGroupName: "org-trail" });
            return {};
        });
    });

    it("without a log group: only the cross-account rule and its target to the security topic", () => {
        const c = component(bare, "kms-observability:aws:KeyUsageAudit", "usage");
        assert.deepStrictEqual(children(bare, c), [
            "aws:cloudwatch/eventRule:EventRule usage-cross-account-key-use",
            "aws:cloudwatch/eventTarget:EventTarget usage-cross-account-key-use-target",
        ]);
        assert.strictEqual(child(bare, c, "aws:cloudwatch/eventRule:EventRule", "usage-cross-account-key-use").inputs.name, crossAccountRuleName("acme"));
        assert.strictEqual(child(bare, c, "aws:cloudwatch/eventTarget:EventTarget", "usage-cross-account-key-use-target").inputs.arn, TOPIC);
    });

    it("with a log group: per-key ops and errors filters over every generation, the failed-operations filter and its alarm (threshold 10 by default)", () => {
        const c = component(trail, "kms-observability:aws:KeyUsageAudit", "usage");
        const filters = trail.ofType("aws:cloudwatch/logMetricFilter:LogMetricFilter");
        assert.strictEqual(filters.length, 3);
        assert.ok(filters.every((f) => f.parent === c.urn && f.inputs.logGroupName === "org-trail"));
        const ops = filters.find((f) => f.name.endsWith("-ops"))!;
        assert.ok(String(ops.inputs.pattern).includes(keyArn("k1")) && String(ops.inputs.pattern).includes(keyArn("k0")), "both generations");
        const alarm = trail.one("aws:cloudwatch/metricAlarm:MetricAlarm");
        assert.deepStrictEqual([alarm.parent, alarm.inputs.name, alarm.inputs.threshold, alarm.inputs.alarmActions],
            [c.urn, failedOperationsAlarmName("acme"), 10, [TOPIC]]);
        assertNamesDerived(trail, c);
    });
});
