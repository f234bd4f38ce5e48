import * as assert from "assert";
import { StackRun, stackRun } from "../../harness";
import { evaluateAccess } from "./iam-eval";
import { Statement, doc } from "./policy-asserts";

const TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy";
/** What an administrator typically holds: sns:Publish (among everything else) in an identity policy. */
const PUBLISH_ANYWHERE = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["sns:*"], Resource: "*" }] };

/** A request context in which a publisher's Allow statement holds (the first ARN it names; `*` filled in). */
function sourceContext(st: Statement, account: string): Record<string, string> {
    const arns = [...[st.Condition?.ArnEquals?.["aws:SourceArn"] ?? []].flat(), ...[st.Condition?.ArnLike?.["aws:SourceArn"] ?? []].flat()];
    assert.ok(arns.length > 0, `${st.Sid}: a publisher pinned by aws:SourceArn`);
    return { "aws:SourceArn": arns[0].replace("*", "ws-0123"), "aws:SourceAccount": account };
}

describe("aws: no alert can be forged by hand (explicit sns:Publish deny on every alert topic)", () => {
    for (const stack of ["prod", "staging"] as const) {
        describe(`${stack}: every topic policy in the plan`, () => {
            let run: StackRun;
            before(async function () {
                this.timeout(120_000);
                run = await stackRun(stack);
            });

            it("denies a person or role whose IAM policy allows sns:Publish, and any other service", () => {
                const policies = run.ofType(TOPIC_POLICY);
                assert.ok(policies.length >= 4, `topic policies: ${policies.length}`);
                for (const p of policies) {
                    const topic = String(p.inputs.arn);
                    const account = topic.split(":")[4];
                    const policy = doc(p.inputs.policy);
                    for (const principal of [`arn:aws:iam::${account}:role/ops-admin`, `arn:aws:iam::${account}:user/alice`, "arn:aws:iam::999999999999:role/outsider"]) {
                        assert.strictEqual(evaluateAccess(policy, [PUBLISH_ANYWHERE], { principal, action: "sns:Publish" }), "Deny", `${topic}: ${principal}`);
                    }
                    // Management stays with the account's IAM policies (no explicit deny on it).
                    assert.strictEqual(evaluateAccess(policy, [PUBLISH_ANYWHERE], { principal: `arn:aws:iam::${account}:role/ops-admin`, action: "sns:GetTopicAttributes" }), "Allow");
                    const s3 = { principal: "s3.amazonaws.com", action: "sns:Publish", context: { "aws:PrincipalServiceName": "s3.amazonaws.com" } };
                    assert.strictEqual(evaluateAccess(policy, [], s3), "Deny", `${topic}: another service`);
                }
            });

            it("still lets the alert sources publish: EventBridge rules, CloudWatch alarms, AMP workspaces", () => {
                const seen = new Set<string>();
                for (const p of run.ofType(TOPIC_POLICY)) {
                    const topic = String(p.inputs.arn);
                    const account = topic.split(":")[4];
                    const policy = doc(p.inputs.policy);
                    const publishers = policy.Statement.filter((s) => s.Effect === "Allow" && s.Action.includes("sns:Publish") && s.Principal?.Service);
                    // A team's notice topic with no key of its own has no service publisher (only Scheduler's role, if any).
                    if (publishers.length === 0) assert.match(topic, /-key-rotation-/, `${topic}: some service publishes`);
                    for (const st of publishers) {
                        const service = st.Principal?.Service?.[0] ?? "";
                        seen.add(service);
                        const context: Record<string, string> = { ...sourceContext(st, account), "aws:PrincipalServiceName": service };
                        assert.strictEqual(evaluateAccess(policy, [], { principal: service, action: "sns:Publish", context }), "Allow", `${topic}: ${service}`);
                        // The same service acting for another account's rule, alarm or workspace (confused deputy).
                        const forged = { ...context, "aws:SourceArn": context["aws:SourceArn"].replace(account, "999999999999"), "aws:SourceAccount": "999999999999" };
                        assert.notStrictEqual(evaluateAccess(policy, [], { principal: service, action: "sns:Publish", context: forged }), "Allow", `${topic}: ${service} for another account`);
                    }
                }
                assert.deepStrictEqual([...seen].sort(), ["aps.amazonaws.com", "cloudwatch.amazonaws.com", "events.amazonaws.com"]);
            });
        });
    }
});
