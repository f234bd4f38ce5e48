import * as assert from "assert";
import { KeyEventAlerts } from "../../../components/aws/alerts";
import { DETECTIONS, TRAIL_ALARMS } from "../../../documents/aws/detections";
import { StackRun } from "../../harness";
import { CTX, assertNamesDerived, child, children, component, runAlone } from "../alone";

const ROLE = (n: string) => `arn:aws:iam::${CTX.accountId}:role/${n}`;
const base = {
    ctx: CTX, namePrefix: "acme", deployers: [ROLE("deployer")], topicKey: { rotationDays: 90, deletionWindowDays: 30 },
    adminRoleArn: ROLE("Admin"), recoveryRoleArn: ROLE("Recovery"), emergencyRoleArn: ROLE("Emergency"),
};

describe("aws: KeyEventAlerts alone (components/aws/alerts.ts)", () => {
    let bare: StackRun;
    let full: StackRun;

    before(async () => {
        bare = await runAlone(() => {
            const a = new KeyEventAlerts("ev", base);
            return { topicArns: a.topicArns, topicKeyArn: a.topicKeyArn, topicKeyAliasArn: a.topicKeyAliasArn, ruleArns: a.ruleArns };
        });
        full = await runAlone(() => {
            new KeyEventAlerts("ev", { ...base, alertEmails: { "kms-critical": ["a@acme.test"] }, cloudTrailLogGroupName: "org-trail", protect: true });
            return {};
        });
    });

    it("with defaults: topic key and alias, two topics and policies, one rule and target per detection plus the drift rule; no subscription, no alarm", () => {
        const c = component(bare, "kms-observability:aws:KeyEventAlerts", "ev");
        const kinds = children(bare, c).map((x) => x.split(" ")[0]);
        const count = (t: string) => kinds.filter((k) => k === t).length;
        assert.strictEqual(count("aws:kms/key:Key"), 1);
        assert.strictEqual(count("aws:kms/alias:Alias"), 1);
        assert.strictEqual(count("aws:sns/topic:Topic"), 2);
        assert.strictEqual(count("aws:sns/topicPolicy:TopicPolicy"), 2);
        assert.strictEqual(count("aws:cloudwatch/eventRule:EventRule"), DETECTIONS.length + 1);
        assert.strictEqual(count("aws:cloudwatch/eventTarget:EventTarget"), DETECTIONS.length + 1);
        assert.strictEqual(count("aws:sns/topicSubscription:TopicSubscription"), 0);
        assert.strictEqual(count("aws:cloudwatch/metricAlarm:MetricAlarm"), 0);
        assertNamesDerived(bare, c);
        const key = child(bare, c, "aws:kms/key:Key", "ev-topic-key");
        assert.strictEqual(key.protect, false, "protect defaults to false");
        assert.strictEqual(child(bare, c, "aws:sns/topic:Topic", "ev-kms-critical").inputs.name, "acme-kms-critical");
    });

    it("outputs the topic ARNs by receiver, the key, its alias and one rule ARN per detection", () => {
        assert.deepStrictEqual(bare.outputs.topicArns, {
            "kms-critical": `arn:aws:sns:eu-west-1:${CTX.accountId}:acme-kms-critical`,
            "kms-security": `arn:aws:sns:eu-west-1:${CTX.accountId}:acme-kms-security`,
        });
        assert.match(String(bare.outputs.topicKeyArn), /^arn:aws:kms:eu-west-1:210987654321:key\//);
        assert.match(String(bare.outputs.topicKeyAliasArn), /alias\/acme-kms-alert-topics$/);
        assert.strictEqual(Object.keys(bare.outputs.ruleArns as object).length, DETECTIONS.length + 1);
    });

    it("with emails and a log group: an email subscription per address, a filter and alarm per trail alarm, the key protected", () => {
        const c = full.one("kms-observability:aws:KeyEventAlerts");
        const sub = child(full, c, "aws:sns/topicSubscription:TopicSubscription", "ev-kms-critical-a-acme-test");
        assert.deepStrictEqual([sub.inputs.protocol, sub.inputs.endpoint], ["email", "a@acme.test"]);
        assert.strictEqual(full.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").length, TRAIL_ALARMS.length);
        assert.ok(full.ofType("aws:cloudwatch/logMetricFilter:LogMetricFilter").every((f) => f.inputs.logGroupName === "org-trail" && f.parent === c.urn));
        assert.strictEqual(child(full, c, "aws:kms/key:Key", "ev-topic-key").protect, true);
    });
});
