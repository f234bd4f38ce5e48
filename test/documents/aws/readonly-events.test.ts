import * as assert from "assert";
import { cloudTrailPatternEvents, requiredRuleState } from "../../../documents/aws/readonly-events";
import { PlanResource } from "../../../tools/engine";
import { StackRun, stackRun } from "../../harness";

const EVENT_RULE = "aws:cloudwatch/eventRule:EventRule";

describe("aws: EventBridge rule state vs read-only CloudTrail events (documents/aws/readonly-events.ts)", () => {
    it("classifies AssumeRole as read-only and the KMS key-state changes as writes", () => {
        assert.strictEqual(requiredRuleState(["sts.amazonaws.com"], ["AssumeRole"]), "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");
        assert.strictEqual(requiredRuleState(["kms.amazonaws.com"], ["DisableKey", "PutKeyPolicy"]), "ENABLED");
        assert.strictEqual(requiredRuleState(["kms.amazonaws.com"], []), "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS", "any event of a service");
        assert.strictEqual(requiredRuleState(["signin.amazonaws.com"], ["SwitchRole"]), "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS", "unknown = read-only");
        assert.throws(() => requiredRuleState(["kms.amazonaws.com"], ["Decrypt"]), /not classified/);
    });

    for (const stack of ["prod", "staging"] as const) {
        describe(`every rule in the ${stack} plan`, () => {
            let rules: PlanResource[] = [];
            before(async function () {
                this.timeout(120_000);
                const run: StackRun = await stackRun(stack);
                rules = run.ofType(EVENT_RULE);
            });

            it("has the state its events need, by the table", () => {
                assert.ok(rules.length >= 10, `rules planned: ${rules.length}`);
                for (const r of rules) {
                    const { eventSources, eventNames } = cloudTrailPatternEvents(JSON.parse(String(r.inputs.eventPattern)) as Record<string, unknown>);
                    const pattern = String(r.inputs.eventPattern);
                    if (eventSources.length === 0) {
                        // Service events (KMS CMK Rotation) and this program's own events (drift): no CloudTrail, ENABLED.
                        assert.ok(!/via CloudTrail|Console Sign In/.test(pattern), `${r.name}: a CloudTrail pattern names its eventSource`);
                        assert.strictEqual(r.inputs.state, "ENABLED", r.name);
                        continue;
                    }
                    assert.strictEqual(r.inputs.state, requiredRuleState(eventSources, eventNames), r.name);
                }
                assert.ok(rules.some((r) => String(r.inputs.eventPattern).includes('"AssumeRole"') &&
                    r.inputs.state === "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"), "the break-glass rule receives AssumeRole");
            });
        });
    }
});
