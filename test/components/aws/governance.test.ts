import * as assert from "assert";
import { DETECTIONS, TRAIL_ALARMS } from "../../../documents/aws/detections";
import { AwsSettings } from "../../../config/aws";
import { AWS_RECEIVERS } from "../../../documents/aws/detections";
import { parseSettings } from "../../../config/load";
import { KeyGovernance } from "../../../components/aws/governance";
import { arnContext } from "../../../documents/aws/document";
import { PlanResource, evaluate as evaluateProgram } from "../../../tools/engine";
import { StackRun, programErrors, stackConfig, stackRun } from "../../harness";
import { evaluate } from "./iam-eval";
import { assertKmsStarOnlyForRoot, assertNoWildcardPrincipal, bySid, doc, sids } from "./policy-asserts";
import { T, awsOut, under } from "./stack";

const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const ruleArn = (name: string) => `arn:aws:events:${REGION}:${ACCOUNT}:rule/${name}`;
const alarmArn = (name: string) => `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`;

describe("aws: KeyGovernance (components/aws/governance.ts, alerts.ts)", () => {
    let aws: AwsSettings;
    let prod: StackRun;
    /** KeyGovernance with prod's settings minus the CloudTrail log group, allowAmpPublish not set. */
    let bare: StackRun;

    before(async () => {
        aws = parseSettings(stackConfig("prod")).aws;
        prod = await stackRun("prod");
        // The component alone, as another stack would use it: no log group, allowAmpPublish left at its default.
        const raw = stackConfig("prod");
        bare = new StackRun(await evaluateProgram(raw, () => {
            const g = new KeyGovernance("aws-kms-governance", {
                ctx: arnContext(REGION, ACCOUNT), namePrefix: aws.namePrefix, deployers: aws.deployers, alertEmails: aws.alertEmails,
                topicKey: aws.topicKey, protect: true,
                trustedPrincipals: {
                    admin: aws.trustedPrincipals.keyManagementAdmin,
                    emergency: aws.trustedPrincipals.emergencyKeyAdmin,
                    recovery: aws.trustedPrincipals.keyRecoveryAdmin,
                },
            });
            return { aws: { topicArns: g.topicArns, topicKeyArn: g.topicKeyArn, roleArns: g.roleArns } };
        }));
    });

    const topicOf = (run: StackRun, receiver: string): PlanResource => run.one(T.topic, `aws-kms-governance-alerts-${receiver}`);
    const topicPolicyOf = (run: StackRun, receiver: string) => doc(run.one(T.topicPolicy, `aws-kms-governance-alerts-${receiver}-policy`).inputs.policy);
    const topicKey = (run: StackRun) => run.one(T.key, "aws-kms-governance-alerts-topic-key");

    it("registers the components with their type tokens, children parented", () => {
        const gov = prod.one(T.governance);
        const alerts = prod.one(T.alerts);
        assert.strictEqual(alerts.parent, gov.urn);
        assert.strictEqual(under(prod, T.role, T.governance).length, 3);
        assert.strictEqual(under(prod, T.topic, T.alerts).length, 2);
        // One per detection, and the drift rule's (documents/aws/drift-events.ts).
        assert.strictEqual(under(prod, T.target, T.alerts).length, DETECTIONS.length + 1);
        assert.strictEqual(prod.one(T.keys).parent, prod.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn);
    });

    describe("roles", () => {
        it("creates the three seed 004 roles, prefixed per stack, with 1-hour sessions", () => {
            const roles = under(prod, T.role, T.governance);
            assert.deepStrictEqual(roles.map((r) => r.inputs.name).sort(),
                ["ledgermind-prod-EmergencyKeyAdmin", "ledgermind-prod-KeyManagementAdmin", "ledgermind-prod-KeyRecoveryAdmin"]);
            for (const r of roles) assert.strictEqual(r.inputs.maxSessionDuration, 3600, r.name);
            const out = awsOut(prod).roleArns;
            assert.deepStrictEqual(out, {
                admin: `arn:aws:iam::${ACCOUNT}:role/ledgermind-prod-KeyManagementAdmin`,
                emergency: `arn:aws:iam::${ACCOUNT}:role/ledgermind-prod-EmergencyKeyAdmin`,
                recovery: `arn:aws:iam::${ACCOUNT}:role/ledgermind-prod-KeyRecoveryAdmin`,
            });
        });

        it("lets only the configured principals assume each role, with MFA present and at most 300 s old", () => {
            const expected: Record<string, string[]> = {
                "ledgermind-prod-KeyManagementAdmin": aws.trustedPrincipals.keyManagementAdmin,
                "ledgermind-prod-EmergencyKeyAdmin": aws.trustedPrincipals.emergencyKeyAdmin,
                "ledgermind-prod-KeyRecoveryAdmin": aws.trustedPrincipals.keyRecoveryAdmin,
            };
            for (const r of under(prod, T.role, T.governance)) {
                const trust = doc(r.inputs.assumeRolePolicy);
                assertNoWildcardPrincipal(trust);
                assert.strictEqual(trust.Statement.length, 1);
                const [s] = trust.Statement;
                assert.deepStrictEqual(s.Principal, { AWS: [...expected[String(r.inputs.name)]].sort() });
                assert.deepStrictEqual(s.Action, ["sts:AssumeRole"]);
                assert.deepStrictEqual(s.Condition, {
                    Bool: { "aws:MultiFactorAuthPresent": "true" },
                    NumericLessThanEquals: { "aws:MultiFactorAuthAge": "300" },
                });
            }
        });

        it("grants administrator and recovery (not emergency) on the topic key, scoped to it", () => {
            const policies = under(prod, T.rolePolicy, T.governance);
            assert.deepStrictEqual(policies.map((r) => r.inputs.role).sort(), ["ledgermind-prod-KeyManagementAdmin", "ledgermind-prod-KeyRecoveryAdmin"]);
            for (const rp of policies) {
                const resources = [doc(rp.inputs.policy).Statement[0].Resource].flat();
                assert.ok(resources.includes(awsOut(prod).topicKeyArn), rp.name);
                assert.ok(!resources.includes("*"));
            }
        });
    });

    describe("topics", () => {
        it("creates kms-critical and kms-security, prefixed, encrypted with the topic key", () => {
            const out = awsOut(prod);
            assert.deepStrictEqual(Object.keys(out.topicArns).sort(), [...AWS_RECEIVERS]);
            for (const receiver of AWS_RECEIVERS) {
                const t = topicOf(prod, receiver);
                assert.strictEqual(t.inputs.name, `ledgermind-prod-${receiver}`);
                assert.strictEqual(t.inputs.kmsMasterKeyId, out.topicKeyArn, `${receiver} encrypted with the topic key`);
                assert.strictEqual(out.topicArns[receiver], `arn:aws:sns:${REGION}:${ACCOUNT}:ledgermind-prod-${receiver}`);
            }
        });

        it("rotates and protects the topic key like the data keys", () => {
            const k = topicKey(prod);
            assert.strictEqual(k.inputs.enableKeyRotation, true);
            assert.strictEqual(k.inputs.rotationPeriodInDays, 90);
            assert.strictEqual(k.inputs.deletionWindowInDays, 30);
            assert.strictEqual(k.protect, true);
            assert.strictEqual(prod.one(T.alias, "aws-kms-governance-alerts-topic-key-alias").inputs.name, "alias/ledgermind-prod-kms-alert-topics");
        });

        it("lets EventBridge use the topic key for exactly our topics (the encrypted-topic gotcha)", () => {
            const out = awsOut(prod);
            const p = doc(topicKey(prod).inputs.policy);
            assertNoWildcardPrincipal(p);
            assertKmsStarOnlyForRoot(p, `arn:aws:iam::${ACCOUNT}:root`);
            const s = bySid(p, "EventBridgePublishesToEncryptedTopics");
            assert.deepStrictEqual(s.Principal, { Service: ["events.amazonaws.com"] });
            assert.deepStrictEqual(s.Condition, { StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": Object.values(out.topicArns).sort() } });
            for (const topicArn of Object.values(out.topicArns)) {
                for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
                    assert.strictEqual(evaluate(p, { principal: "events.amazonaws.com", action,
                        context: { "kms:EncryptionContext:aws:sns:topicArn": topicArn } }), "Allow", `${action} for ${topicArn}`);
                }
            }
            assert.deepStrictEqual(bySid(p, "KeyAdministration").Principal, { AWS: [out.roleArns.admin] });
            assert.ok(!sids(p).includes("EmergencyRevocation"), "the break-glass role cannot silence the alerts");
        });

        it("subscribes the configured emails to each topic", () => {
            for (const receiver of AWS_RECEIVERS) {
                const subs = under(prod, T.subscription, T.alerts).filter((s) => s.inputs.topic === awsOut(prod).topicArns[receiver]);
                assert.deepStrictEqual(subs.map((s) => s.inputs.endpoint).sort(), [...aws.alertEmails[receiver]].sort(), receiver);
                assert.ok(subs.every((s) => s.inputs.protocol === "email"));
            }
        });
    });

    describe("EventBridge rules", () => {
        const ruleOf = (run: StackRun, id: string) => run.one(T.rule, `aws-kms-governance-alerts-${id}`);

        it("has one rule per detection, each event name in its pattern, targeting its receiver's topic", () => {
            const out = awsOut(prod);
            assert.strictEqual(under(prod, T.rule, T.alerts).length, DETECTIONS.length + 1, "and the drift rule");
            for (const d of DETECTIONS) {
                const rule = ruleOf(prod, d.id);
                assert.strictEqual(rule.inputs.name, `ledgermind-prod-kms-${d.id}`);
                assert.strictEqual(rule.inputs.state, d.state);
                const pattern = String(rule.inputs.eventPattern);
                for (const e of d.eventNames) assert.ok(pattern.includes(`"${e}"`), `${d.id}: ${e}`);
                const target = prod.one(T.target, `aws-kms-governance-alerts-${d.id}-target`);
                assert.strictEqual(target.inputs.rule, rule.inputs.name);
                assert.strictEqual(target.inputs.arn, out.topicArns[d.receiver], `${d.id} -> ${d.receiver}`);
                assert.ok(String((target.inputs.inputTransformer as { inputTemplate: string }).inputTemplate).includes(`#${d.id}"`), d.id);
            }
            const all = under(prod, T.rule, T.alerts).map((r) => String(r.inputs.eventPattern)).join("\n");
            for (const e of ["DisableKey", "ScheduleKeyDeletion", "CancelKeyDeletion", "PutKeyPolicy", "DeleteAlias", "AssumeRole", "RotateKeyOnDemand"]) {
                assert.ok(all.includes(`"${e}"`), e);
            }
        });

        it("watches AssumeRole of the real EmergencyKeyAdmin role", () => {
            const pattern = JSON.parse(String(ruleOf(prod, "emergency-role-assumed").inputs.eventPattern)) as
                { detail: { requestParameters: { roleArn: string[] } } };
            assert.deepStrictEqual(pattern.detail.requestParameters.roleArn, [awsOut(prod).roleArns.emergency]);
        });

        it("limits each topic policy to the rules (and alarms) that target that topic", () => {
            for (const receiver of AWS_RECEIVERS) {
                const p = topicPolicyOf(prod, receiver);
                assertNoWildcardPrincipal(p);
                // kms-security also admits the cross-account rule and failed-operations alarm of KeyUsageAudit (key-usage.ts).
                const usage = receiver === "kms-security"
                    ? { rules: [ruleArn("ledgermind-prod-kms-cross-account-key-use")], alarms: [alarmArn("ledgermind-prod-failed-key-operations")] }
                    : { rules: [], alarms: [] };
                const rules = [...DETECTIONS.filter((d) => d.receiver === receiver).map((d) => ruleArn(`ledgermind-prod-kms-${d.id}`)), ...usage.rules,
                    ...(receiver === "kms-security" ? [ruleArn("ledgermind-prod-kms-drift-detected")] : [])].sort();
                assert.deepStrictEqual(bySid(p, "EventBridgeRulesPublish").Condition, { ArnEquals: { "aws:SourceArn": rules } }, receiver);
                const alarms = [...TRAIL_ALARMS.filter((a) => a.receiver === receiver).map((a) => alarmArn(`ledgermind-prod-${a.id}`)), ...usage.alarms].sort();
                assert.deepStrictEqual(bySid(p, "CloudWatchAlarmsPublish").Condition?.ArnEquals, { "aws:SourceArn": alarms }, receiver);
                const other = DETECTIONS.find((d) => d.receiver !== receiver);
                assert.strictEqual(evaluate(p, { principal: "events.amazonaws.com", action: "sns:Publish",
                    context: { "aws:SourceArn": ruleArn(`ledgermind-prod-kms-${other?.id}`), "aws:PrincipalServiceName": "events.amazonaws.com" } }),
                "ImplicitDeny", "a rule of the other topic");
            }
        });
    });

    describe("CloudTrail log group alarms", () => {
        it("adds the CIS 4.7 and PutKeyPolicy metric filters and alarms on the configured log group", () => {
            const filters = under(prod, T.filter, T.alerts);
            assert.strictEqual(filters.length, TRAIL_ALARMS.length);
            for (const a of TRAIL_ALARMS) {
                const f = prod.one(T.filter, `aws-kms-governance-alerts-${a.id}-filter`);
                assert.strictEqual(f.inputs.logGroupName, "aws-cloudtrail-logs-ledgermind-prod");
                assert.strictEqual(f.inputs.pattern, a.filterPattern);
                const alarm = prod.one(T.alarm, `aws-kms-governance-alerts-${a.id}-alarm`);
                assert.strictEqual(alarm.inputs.metricName, a.metricName);
                assert.strictEqual(alarm.inputs.namespace, (f.inputs.metricTransformation as { namespace: string }).namespace);
                assert.strictEqual(alarm.inputs.threshold, 1);
                assert.strictEqual(alarm.inputs.comparisonOperator, "GreaterThanOrEqualToThreshold");
                assert.strictEqual(alarm.inputs.treatMissingData, "notBreaching");
                assert.deepStrictEqual(alarm.inputs.alarmActions, [awsOut(prod).topicArns[a.receiver]]);
            }
            assert.ok(bySid(doc(topicKey(prod).inputs.policy), "CloudWatchAlarmsPublishToEncryptedTopics"));
        });

        it("puts each stack's filters on its own account's log group, looked up at preview", async () => {
            const staging = await stackRun("staging");
            const groups = (run: StackRun) => [...new Set(under(run, T.filter, T.alerts).map((f) => f.inputs.logGroupName))];
            assert.deepStrictEqual(groups(staging), ["aws-cloudtrail-logs-ledgermind-staging"]);
            assert.notDeepStrictEqual(groups(staging), groups(prod), "two accounts, two groups");
            // A log group that does not exist fails the preview (the invoke), not every filter at apply.
            const errors = await programErrors(stackConfig("prod"), { calls: { "aws:cloudwatch/getLogGroup:getLogGroup": () => {
                throw Object.assign(new Error("404"), { details: "reading CloudWatch Logs Log Group (aws-cloudtrail-logs-ledgermind-prod): empty result" });
            } } });
            assert.ok(errors.some((e) => e.includes("aws-cloudtrail-logs-ledgermind-prod")), errors.join("\n"));
        });

        it("adds neither filters, alarms nor CloudWatch statements without a log group", () => {
            assert.strictEqual(under(bare, T.filter, T.alerts).length, 0);
            assert.strictEqual(under(bare, T.alarm, T.alerts).length, 0);
            assert.strictEqual(under(bare, T.rule, T.alerts).length, DETECTIONS.length + 1, "EventBridge rules do not need the log group");
            assert.ok(!sids(doc(topicKey(bare).inputs.policy)).includes("CloudWatchAlarmsPublishToEncryptedTopics"));
            for (const receiver of AWS_RECEIVERS) assert.ok(!sids(topicPolicyOf(bare, receiver)).includes("CloudWatchAlarmsPublish"));
        });
    });

    describe("AMP publishing (allowAmpPublish)", () => {
        const ampWorkspaces = `arn:aws:aps:${REGION}:${ACCOUNT}:workspace/*`;

        it("is allowed on both topics and the topic key when AMP is enabled", () => {
            for (const receiver of AWS_RECEIVERS) {
                const s = bySid(topicPolicyOf(prod, receiver), "AmpAlertManagerPublish");
                assert.deepStrictEqual(s.Principal, { Service: ["aps.amazonaws.com"] });
                assert.deepStrictEqual(s.Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": ampWorkspaces } });
            }
            const k = bySid(doc(topicKey(prod).inputs.policy), "AmpPublishesToEncryptedTopics");
            assert.deepStrictEqual(k.Condition?.ArnLike, { "aws:SourceArn": ampWorkspaces });
        });

        it("is absent by default (allowAmpPublish unset)", () => {
            for (const receiver of AWS_RECEIVERS) assert.ok(!sids(topicPolicyOf(bare, receiver)).includes("AmpAlertManagerPublish"));
            assert.ok(!sids(doc(topicKey(bare).inputs.policy)).includes("AmpPublishesToEncryptedTopics"));
        });
    });
});
