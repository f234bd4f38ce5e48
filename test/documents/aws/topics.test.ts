import * as assert from "assert";
import { arnContext } from "../../../documents/aws/document";
import { TOPIC_OWNER_ACTIONS, topicKeyPolicy, topicPolicy } from "../../../documents/aws/topics";
import { evaluate } from "../../components/aws/iam-eval";
import { assertKmsStarOnlyForRoot, assertNoWildcardPrincipal, bySid, doc, sids } from "../../components/aws/policy-asserts";

const ctx = arnContext("eu-west-1", "210987654321");
const ROOT = "arn:aws:iam::210987654321:root";
const TOPIC = "arn:aws:sns:eu-west-1:210987654321:acme-kms-critical";
const OTHER_TOPIC = "arn:aws:sns:eu-west-1:210987654321:someone-elses-topic";
const RULES = ["arn:aws:events:eu-west-1:210987654321:rule/acme-kms-disable-key", "arn:aws:events:eu-west-1:210987654321:rule/acme-kms-delete-alias"];
const ALARM = "arn:aws:cloudwatch:eu-west-1:210987654321:alarm:acme-cis-4-7-disable-or-delete-key";
const WORKSPACE = "arn:aws:aps:eu-west-1:210987654321:workspace/ws-0f1e2d3c";
const role = (n: string) => `arn:aws:iam::210987654321:role/${n}`;

describe("aws: topic and topic-key policies (documents/aws/topics.ts)", () => {
    describe("topic policy", () => {
        const p = doc(topicPolicy({ ctx, topicArn: TOPIC, eventRuleArns: RULES, alarmArns: [ALARM] }));
        // A service principal's request carries aws:PrincipalServiceName (IAM global condition keys).
        const publish = (principal: string, context: Record<string, string>) =>
            evaluate(p, { principal, action: "sns:Publish", context: { "aws:PrincipalServiceName": principal, ...context } });

        it("lets the account manage the topic, and denies Publish to every principal but the alert services", () => {
            const s = bySid(p, "DenyPublishExceptAlertServices");
            assert.deepStrictEqual([s.Effect, s.Principal, s.Action, s.Resource], ["Deny", { AWS: ["*"] }, ["sns:Publish"], TOPIC]);
            assert.deepStrictEqual(s.Condition, { StringNotEquals: { "aws:PrincipalServiceName": ["cloudwatch.amazonaws.com", "events.amazonaws.com"] } });
            assert.strictEqual(evaluate(p, { principal: role("admin"), action: "sns:Publish" }), "Deny", "a role session carries no service name");
            assert.strictEqual(publish("s3.amazonaws.com", {}), "Deny");
            assert.strictEqual(publish("events.amazonaws.com", { "aws:SourceArn": RULES[0] }), "Allow");
        });

        it("lets the account manage the topic but not publish to it", () => {
            const s = bySid(p, "TopicOwnerManagement");
            assert.deepStrictEqual(s.Principal, { AWS: [ROOT] });
            assert.deepStrictEqual(s.Action, TOPIC_OWNER_ACTIONS);
            assert.ok(!s.Action.includes("sns:Publish"));
            assert.strictEqual(s.Resource, TOPIC);
            assertNoWildcardPrincipal(p);
        });

        it("lets EventBridge publish only from the rules that target the topic (aws:SourceArn)", () => {
            const s = bySid(p, "EventBridgeRulesPublish");
            assert.deepStrictEqual(s.Principal, { Service: ["events.amazonaws.com"] });
            assert.deepStrictEqual(s.Action, ["sns:Publish"]);
            assert.deepStrictEqual(s.Condition, { ArnEquals: { "aws:SourceArn": [...RULES].sort() } });
            assert.strictEqual(publish("events.amazonaws.com", { "aws:SourceArn": RULES[0] }), "Allow");
            assert.strictEqual(publish("events.amazonaws.com", { "aws:SourceArn": "arn:aws:events:eu-west-1:999999999999:rule/evil" }), "ImplicitDeny");
            assert.strictEqual(publish("events.amazonaws.com", {}), "ImplicitDeny");
        });

        it("lets CloudWatch publish only from the listed alarms of this account", () => {
            const s = bySid(p, "CloudWatchAlarmsPublish");
            assert.deepStrictEqual(s.Principal, { Service: ["cloudwatch.amazonaws.com"] });
            assert.deepStrictEqual(s.Condition, {
                ArnEquals: { "aws:SourceArn": [ALARM] },
                StringEquals: { "aws:SourceAccount": "210987654321" },
            });
            assert.strictEqual(publish("cloudwatch.amazonaws.com", { "aws:SourceArn": ALARM, "aws:SourceAccount": "210987654321" }), "Allow");
        });

        it("has no AMP statement unless asked, and no publisher statement without publishers", () => {
            assert.ok(!sids(p).includes("AmpAlertManagerPublish"));
            assert.strictEqual(publish("aps.amazonaws.com", { "aws:SourceArn": WORKSPACE, "aws:SourceAccount": "210987654321" }), "Deny");
            const bare = doc(topicPolicy({ ctx, topicArn: TOPIC, eventRuleArns: [], alarmArns: [] }));
            assert.deepStrictEqual(sids(bare), ["TopicOwnerManagement", "DenyPublishExceptAlertServices"]);
            assert.strictEqual(evaluate(bare, { principal: "events.amazonaws.com", action: "sns:Publish",
                context: { "aws:PrincipalServiceName": "events.amazonaws.com" } }), "Deny", "no publisher, nobody publishes");
        });

        it("with allowAmpPublish, lets this account's AMP workspaces publish (SourceAccount + SourceArn)", () => {
            const amp = doc(topicPolicy({ ctx, topicArn: TOPIC, eventRuleArns: RULES, alarmArns: [], allowAmpPublish: true }));
            const s = bySid(amp, "AmpAlertManagerPublish");
            assert.deepStrictEqual(s.Principal, { Service: ["aps.amazonaws.com"] });
            assert.deepStrictEqual(s.Action, ["sns:GetTopicAttributes", "sns:Publish"]);
            assert.deepStrictEqual(s.Condition, {
                StringEquals: { "aws:SourceAccount": "210987654321" },
                ArnLike: { "aws:SourceArn": "arn:aws:aps:eu-west-1:210987654321:workspace/*" },
            });
            const ampPublish = (context: Record<string, string>) => evaluate(amp, { principal: "aps.amazonaws.com", action: "sns:Publish",
                context: { "aws:PrincipalServiceName": "aps.amazonaws.com", ...context } });
            assert.strictEqual(ampPublish({ "aws:SourceArn": WORKSPACE, "aws:SourceAccount": "210987654321" }), "Allow");
            assert.strictEqual(ampPublish({ "aws:SourceArn": "arn:aws:aps:eu-west-1:999999999999:workspace/ws-x", "aws:SourceAccount": "999999999999" }),
                "ImplicitDeny");
        });
    });

    describe("topic key policy (the encrypted-topic gotcha)", () => {
        const input = {
            ctx, topicArns: [TOPIC], administrators: [role("acme-KeyManagementAdmin")], recovery: [role("acme-KeyRecoveryAdmin")],
            deployers: [role("pulumi-deployer")],
        };
        const dataKey = (d: unknown, principal: string, context: Record<string, string>) =>
            evaluate(d, { principal, action: "kms:GenerateDataKey", context });

        it("lets EventBridge generate data keys and decrypt for our topics only", () => {
            const p = doc(topicKeyPolicy(input));
            const s = bySid(p, "EventBridgePublishesToEncryptedTopics");
            assert.deepStrictEqual(s.Principal, { Service: ["events.amazonaws.com"] });
            assert.deepStrictEqual(s.Action, ["kms:Decrypt", "kms:GenerateDataKey*"]);
            assert.deepStrictEqual(s.Condition, { StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": [TOPIC] } });
            assert.strictEqual(dataKey(p, "events.amazonaws.com", { "kms:EncryptionContext:aws:sns:topicArn": TOPIC }), "Allow");
            assert.strictEqual(evaluate(p, { principal: "events.amazonaws.com", action: "kms:Decrypt",
                context: { "kms:EncryptionContext:aws:sns:topicArn": TOPIC } }), "Allow");
            assert.strictEqual(dataKey(p, "events.amazonaws.com", { "kms:EncryptionContext:aws:sns:topicArn": OTHER_TOPIC }), "ImplicitDeny");
        });

        it("is governed like the data keys, without emergency revocation or users", () => {
            const p = doc(topicKeyPolicy(input));
            assert.deepStrictEqual(sids(p), ["EnableRootAccountPermissions", "KeyAdministration", "KeyRecovery",
                "EventBridgePublishesToEncryptedTopics", "DenyDestructiveActionsWithoutMfa"]);
            assertNoWildcardPrincipal(p);
            assertKmsStarOnlyForRoot(p, ROOT);
        });

        it("adds CloudWatch when alarms publish, and AMP (with SourceAccount/SourceArn) when asked", () => {
            const p = doc(topicKeyPolicy({ ...input, cloudWatchAlarms: true, allowAmpPublish: true }));
            assert.deepStrictEqual(bySid(p, "CloudWatchAlarmsPublishToEncryptedTopics").Principal, { Service: ["cloudwatch.amazonaws.com"] });
            const amp = bySid(p, "AmpPublishesToEncryptedTopics");
            assert.deepStrictEqual(amp.Principal, { Service: ["aps.amazonaws.com"] });
            assert.deepStrictEqual(amp.Condition, {
                StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": [TOPIC], "aws:SourceAccount": "210987654321" },
                ArnLike: { "aws:SourceArn": "arn:aws:aps:eu-west-1:210987654321:workspace/*" },
            });
            assert.strictEqual(dataKey(p, "aps.amazonaws.com", { "kms:EncryptionContext:aws:sns:topicArn": TOPIC,
                "aws:SourceAccount": "210987654321", "aws:SourceArn": WORKSPACE }), "Allow");
            assert.strictEqual(dataKey(p, "aps.amazonaws.com", { "kms:EncryptionContext:aws:sns:topicArn": TOPIC }), "ImplicitDeny");
            const plain = doc(topicKeyPolicy(input));
            assert.strictEqual(dataKey(plain, "aps.amazonaws.com", { "kms:EncryptionContext:aws:sns:topicArn": TOPIC,
                "aws:SourceAccount": "210987654321", "aws:SourceArn": WORKSPACE }), "ImplicitDeny");
            assert.strictEqual(dataKey(plain, "cloudwatch.amazonaws.com", { "kms:EncryptionContext:aws:sns:topicArn": TOPIC }), "ImplicitDeny");
        });
    });
});
