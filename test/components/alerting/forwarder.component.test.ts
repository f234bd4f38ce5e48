import * as assert from "assert";
import { SnsForwarder } from "../../../components/alerting/forwarder";
import { StackRun } from "../../harness";
import { CTX, assertNamesDerived, child, children, component, runAlone } from "../alone";

const TOPIC = `arn:aws:sns:eu-west-1:${CTX.accountId}:acme-kms-critical`;

describe("alerting: SnsForwarder alone (components/alerting/forwarder.ts)", () => {
    let run: StackRun;

    before(async () => {
        run = await runAlone(() => {
            const f = new SnsForwarder("fwd", { ctx: CTX, topicArn: TOPIC, mode: "pagerduty", targetUrl: "https://events.pagerduty.test/v2/enqueue", routingKey: "rk", functionName: "acme-pd" });
            return { functionArn: f.functionArn, subscriptionArn: f.subscriptionArn };
        });
    });

    it("registers role, log policy, log group, function, invoke permission and lambda subscription under the component", () => {
        const c = component(run, "kms-observability:alerting:SnsForwarder", "fwd");
        assert.deepStrictEqual(children(run, c), [
            "aws:cloudwatch/logGroup:LogGroup fwd-logs",
            "aws:iam/role:Role fwd-role",
            "aws:iam/rolePolicy:RolePolicy fwd-logs",
            "aws:lambda/function:Function fwd-function",
            "aws:lambda/permission:Permission fwd-invoke",
            "aws:sns/topicSubscription:TopicSubscription fwd-subscription",
        ]);
        assertNamesDerived(run, c);
        assert.strictEqual(child(run, c, "aws:lambda/permission:Permission", "fwd-invoke").inputs.sourceArn, TOPIC, "invocable from this topic only");
        const sub = child(run, c, "aws:sns/topicSubscription:TopicSubscription", "fwd-subscription");
        assert.deepStrictEqual([sub.inputs.topic, sub.inputs.protocol], [TOPIC, "lambda"]);
        assert.strictEqual(child(run, c, "aws:cloudwatch/logGroup:LogGroup", "fwd-logs").inputs.name, "/aws/lambda/acme-pd");
        assert.deepStrictEqual(child(run, c, "aws:lambda/function:Function", "fwd-function").inputs.environment, { variables: "[secret]" });
    });

    it("outputs the function's and the subscription's ARNs", () => {
        assert.match(String(run.outputs.functionArn), /acme-pd/);
        assert.ok(typeof run.outputs.subscriptionArn === "string");
    });

    it("refuses pagerduty mode without a routing key", async () => {
        await assert.rejects(runAlone(() => {
            new SnsForwarder("fwd", { ctx: CTX, topicArn: TOPIC, mode: "pagerduty", targetUrl: "https://x.test", functionName: "f" });
            return {};
        }), /routingKey/);
    });
});
