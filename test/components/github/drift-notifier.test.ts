import * as assert from "assert";
import { DRIFT_DETAIL_TYPE, DRIFT_EVENT_SOURCE } from "../../../documents/aws/drift-events";
import { StackRun, stackConfig, stackRun } from "../../harness";
import { evaluate } from "../aws/iam-eval";
import { doc } from "../aws/policy-asserts";

const ACCOUNT = "123456789012";

describe("github: DriftNotifier and the drift route to kms-security (components/github/drift-notifier.ts, aws/alerts.ts)", () => {
    let prod: StackRun;
    let staging: StackRun;
    before(async () => { prod = await stackRun("prod"); staging = await stackRun("staging"); });

    it("a role only the drift job of this repository's readonly environment can assume, named in a repository variable per stack", () => {
        for (const [run, env, variable, prefix] of [
            [prod, "readonly-production", "AWS_DRIFT_NOTIFY_ROLE_ARN_PROD", "ledgermind-prod"],
            [staging, "readonly-staging", "AWS_DRIFT_NOTIFY_ROLE_ARN_STAGING", "ledgermind-staging"],
        ] as const) {
            const role = run.one("aws:iam/role:Role", "drift-notifier-role");
            const trust = JSON.parse(String(role.inputs.assumeRolePolicy)) as { Statement: { Condition: { StringEquals: Record<string, string> } }[] };
            const owner = stackConfig(run === prod ? "prod" : "staging").values["github:owner"];
            assert.deepStrictEqual(trust.Statement[0].Condition.StringEquals, {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                "token.actions.githubusercontent.com:sub": `repo:${owner}/kms-observability:environment:${env}`,
            });
            assert.strictEqual(role.inputs.maxSessionDuration, 3600);
            const variable_ = run.one("github:index/actionsVariable:ActionsVariable", "drift-notifier-role-variable");
            assert.deepStrictEqual([variable_.inputs.repository, variable_.inputs.variableName, String(variable_.inputs.value).startsWith("arn:aws:iam::")],
                ["kms-observability", variable, true]);
            assert.strictEqual(role.inputs.name, `${prefix}-drift-notify`);
        }
    });

    it("the role may put drift events on the default bus and nothing else", () => {
        // Identity policy: one statement, one action, the default bus only, source and detail type pinned.
        assert.deepStrictEqual(doc(prod.one("aws:iam/rolePolicy:RolePolicy", "drift-notifier-put-drift-events").inputs.policy), {
            Version: "2012-10-17",
            Statement: [{
                Sid: "PutDriftEventsOnly", Effect: "Allow", Action: ["events:PutEvents"],
                Resource: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`,
                Condition: { StringEquals: { "events:source": [DRIFT_EVENT_SOURCE], "events:detail-type": [DRIFT_DETAIL_TYPE] } },
            }],
        });
        assert.strictEqual(prod.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((r) => String(r.inputs.role).includes("drift")).length, 0);
    });

    it("a rule matching exactly the drift events forwards their detail (a Chatbot notification) to the kms-security topic, which admits it", () => {
        const rule = prod.one("aws:cloudwatch/eventRule:EventRule", "aws-kms-governance-alerts-drift-detected");
        assert.deepStrictEqual(JSON.parse(String(rule.inputs.eventPattern)), { "source": [DRIFT_EVENT_SOURCE], "detail-type": [DRIFT_DETAIL_TYPE] });
        assert.strictEqual(rule.inputs.state, "ENABLED");
        const target = prod.one("aws:cloudwatch/eventTarget:EventTarget", "aws-kms-governance-alerts-drift-detected-target");
        assert.deepStrictEqual([target.inputs.rule, target.inputs.arn, target.inputs.inputPath],
            [rule.inputs.name, `arn:aws:sns:us-east-1:${ACCOUNT}:ledgermind-prod-kms-security`, "$.detail"]);
        const topicPolicy = doc(prod.one("aws:sns/topicPolicy:TopicPolicy", "aws-kms-governance-alerts-kms-security-policy").inputs.policy);
        const ruleArn = `arn:aws:events:us-east-1:${ACCOUNT}:rule/${String(rule.inputs.name)}`;
        assert.strictEqual(evaluate(topicPolicy, { principal: "events.amazonaws.com", action: "sns:Publish", context: { "aws:SourceArn": ruleArn, "aws:PrincipalServiceName": "events.amazonaws.com" } }), "Allow");
        const critical = doc(prod.one("aws:sns/topicPolicy:TopicPolicy", "aws-kms-governance-alerts-kms-critical-policy").inputs.policy);
        assert.strictEqual(evaluate(critical, { principal: "events.amazonaws.com", action: "sns:Publish", context: { "aws:SourceArn": ruleArn, "aws:PrincipalServiceName": "events.amazonaws.com" } }), "ImplicitDeny");
    });
});
