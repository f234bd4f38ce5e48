import * as assert from "assert";
import { keyMappingEntryOf } from "../../../documents/aws/key-kinds";
import { RotationNotices } from "../../../components/aws/rotation-notices";
import { parseSettings } from "../../../config/load";
import { StackRun, stackConfig } from "../../harness";
import { CTX, assertNamesDerived, child, children, component, runAlone } from "../alone";

const ROLE = (n: string) => `arn:aws:iam::${CTX.accountId}:role/${n}`;
const keyArn = (id: string) => `arn:aws:kms:eu-west-1:${CTX.accountId}:key/${id}`;

describe("aws: RotationNotices alone (components/aws/rotation-notices.ts)", () => {
    // staging's encrypt key (AWS rotates it) owned by a team with one subscriber, plus a team without keys.
    const key = { ...parseSettings(stackConfig("staging")).aws.keys.find((k) => k.name === "ledger-mind/staging/pii-redaction")!, team: "app" };
    const mapping = { [key.name]: keyMappingEntryOf(key, keyArn("k1"), {}) };
    let run: StackRun;

    before(async () => {
        run = await runAlone(() => {
            const n = new RotationNotices("notices", {
                ctx: CTX, namePrefix: "acme", keys: [key], teamEmails: { app: ["app@acme.test"], audit: [] },
                deployers: [ROLE("deployer")], topicKey: { rotationDays: 90, deletionWindowDays: 30 }, mapping,
                adminRoleArn: ROLE("Admin"), recoveryRoleArn: ROLE("Recovery"),
            });
            return { topicArns: n.topicArns, topicKeyArn: n.topicKeyArn };
        });
    });

    it("registers the topic key, a topic and policy per team, the subscribers, and a rule and target per key; no scheduler for a key AWS rotates", () => {
        const c = component(run, "kms-observability:aws:RotationNotices", "notices");
        assert.deepStrictEqual(children(run, c), [
            "aws:cloudwatch/eventRule:EventRule notices-ledger-mind-staging-pii-redaction",
            "aws:cloudwatch/eventTarget:EventTarget notices-ledger-mind-staging-pii-redaction-target",
            "aws:kms/alias:Alias notices-topic-key-alias",
            "aws:kms/key:Key notices-topic-key",
            "aws:sns/topic:Topic notices-app",
            "aws:sns/topic:Topic notices-audit",
            "aws:sns/topicPolicy:TopicPolicy notices-app-policy",
            "aws:sns/topicPolicy:TopicPolicy notices-audit-policy",
            "aws:sns/topicSubscription:TopicSubscription notices-app-app-acme-test",
        ]);
        assertNamesDerived(run, c);
        assert.strictEqual(child(run, c, "aws:cloudwatch/eventTarget:EventTarget", "notices-ledger-mind-staging-pii-redaction-target").inputs.arn,
            `arn:aws:sns:eu-west-1:${CTX.accountId}:acme-key-rotation-app`);
        assert.strictEqual(child(run, c, "aws:kms/key:Key", "notices-topic-key").protect, false, "protect defaults to false");
    });

    it("the rule watches this key's rotation event", () => {
        const rule = run.one("aws:cloudwatch/eventRule:EventRule");
        assert.ok(String(rule.inputs.eventPattern).includes(keyArn("k1")));
    });

    it("outputs the topic ARN by team and the topic key", () => {
        assert.deepStrictEqual(run.outputs.topicArns, {
            app: `arn:aws:sns:eu-west-1:${CTX.accountId}:acme-key-rotation-app`,
            audit: `arn:aws:sns:eu-west-1:${CTX.accountId}:acme-key-rotation-audit`,
        });
        assert.match(String(run.outputs.topicKeyArn), /:key\//);
    });
});
