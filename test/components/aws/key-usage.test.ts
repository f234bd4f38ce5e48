import * as assert from "assert";
import { CROSS_ACCOUNT_ID, FAILED_OPERATIONS_ID, crossAccountPattern, crossAccountTransformer, keyFilterPattern } from "../../../documents/aws/key-usage";
import { RUNBOOK } from "../../../documents/aws/detections";
import { arnContext } from "../../../documents/aws/document";
import { StackRun, stackRun } from "../../harness";
import { matchesPattern } from "./event-pattern";
import { awsOut } from "./stack";

const OWN = "123456789012";
const OTHER = "444455556666";
const ctx = arnContext("us-east-1", OWN);
const KEY = `arn:aws:kms:us-east-1:${OWN}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/**
 * A Decrypt as CloudTrail delivers it to EventBridge in the key owner's account (KMS developer guide,
 * "Logging AWS KMS API calls with AWS CloudTrail"; cross-account calls are logged in both accounts,
 * with the caller's account in userIdentity.accountId).
 */
function decryptEvent(callerAccount: string | undefined, keyArn = KEY, identity: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        "version": "0", "id": "9f1c0e2a", "detail-type": "AWS API Call via CloudTrail", "source": "aws.kms",
        "account": OWN, "time": "2026-12-03T01:00:00Z", "region": "us-east-1", "resources": [],
        "detail": {
            eventVersion: "1.08",
            userIdentity: callerAccount === undefined
                ? { type: "AWSService", invokedBy: "rds.amazonaws.com", ...identity }
                : { type: callerAccount === OWN ? "AssumedRole" : "AWSAccount", principalId: "AROAEXAMPLE", accountId: callerAccount,
                    arn: `arn:aws:sts::${callerAccount}:assumed-role/app/session`, ...identity },
            eventTime: "2026-12-03T01:00:00Z", eventSource: "kms.amazonaws.com", eventName: "Decrypt", awsRegion: "us-east-1",
            sourceIPAddress: "192.0.2.0", requestParameters: { encryptionAlgorithm: "SYMMETRIC_DEFAULT" }, responseElements: null,
            readOnly: true, resources: [{ accountId: OWN, type: "AWS::KMS::Key", ARN: keyArn }],
            eventType: "AwsApiCall", managementEvent: true, recipientAccountId: OWN, eventID: "b0a1c2d3",
        },
    };
}

describe("event-pattern matcher (test helper)", () => {
    it("implements the operators it is used with, including anything-but on absent fields and arrays of objects", () => {
        assert.ok(matchesPattern({ a: [{ "anything-but": "x" }] }, { a: "y" }));
        assert.ok(!matchesPattern({ a: [{ "anything-but": "x" }] }, { a: "x" }));
        assert.ok(!matchesPattern({ a: [{ "anything-but": "x" }] }, { b: "y" }), "absent field matches no value matcher");
        assert.ok(matchesPattern({ a: [{ exists: false }] }, { b: 1 }));
        assert.ok(matchesPattern({ r: { ARN: [{ prefix: "arn:k" }] } }, { r: [{ ARN: "arn:x" }, { ARN: "arn:k1" }] }));
        assert.ok(!matchesPattern({ r: { ARN: ["a"], t: ["b"] } }, { r: [{ ARN: "a", t: "c" }, { ARN: "c", t: "b" }] }), "no cross-element match");
        assert.ok(matchesPattern({ resources: ["x"] }, { resources: ["y", "x"] }));
        assert.throws(() => matchesPattern({ a: [{ wildcard: "*" }] }, { a: "b" }), /unsupported/);
    });
});

describe("aws: cross-account key use (components/aws/key-usage.ts)", () => {
    const pattern = crossAccountPattern(ctx);

    it("matches a KMS call on this account's key by another account", () => {
        assert.ok(matchesPattern(pattern, decryptEvent(OTHER)));
    });

    it("does not match the same call by this account, by an AWS service, or on another account's key", () => {
        assert.ok(!matchesPattern(pattern, decryptEvent(OWN)), "own account");
        assert.ok(!matchesPattern(pattern, decryptEvent(undefined)), "AWS service without an account");
        assert.ok(!matchesPattern(pattern, decryptEvent(OTHER, `arn:aws:kms:us-east-1:${OTHER}:key/abcd`)), "our principal on a foreign key");
    });

    it("notifies with the caller account, the key and the runbook anchor", () => {
        const t = crossAccountTransformer();
        const body = JSON.parse(t.inputTemplate) as { content: { title: string; description: string; nextSteps: string[] } };
        assert.match(body.content.description, /Account <callerAccount>/);
        assert.match(body.content.title, /<key>/);
        assert.deepStrictEqual(body.content.nextSteps, [`Runbook: ${RUNBOOK}#${CROSS_ACCOUNT_ID}`]);
        const used = [...t.inputTemplate.matchAll(/<(\w+)>/g)].map((m) => m[1]);
        assert.deepStrictEqual([...new Set(used)].filter((p) => !(p in t.inputPaths)), [], "every placeholder has an input path");
    });

    it("counts a key's operations and its errors separately, in this account only", () => {
        const ops = keyFilterPattern(ctx, [KEY], false);
        const errors = keyFilterPattern(ctx, [KEY], true);
        assert.match(ops, /\$\.recipientAccountId = "123456789012"/);
        assert.match(ops, /\$\.resources\[0\]\.ARN = "arn:aws:kms:us-east-1:123456789012:key\/1234abcd/);
        assert.match(ops, /\$\.eventName = \*/);
        assert.doesNotMatch(ops, /errorCode/);
        assert.match(errors, /\$\.errorCode = \*/);
        assert.throws(() => keyFilterPattern(ctx, [], false), /no key ARNs/);
    });

    describe("planned (prod)", () => {
        let prod: StackRun;
        before(async () => { prod = await stackRun("prod"); });

        it("routes the cross-account rule, on all management events, to kms-security", () => {
            const rule = prod.one("aws:cloudwatch/eventRule:EventRule", `aws-key-usage-${CROSS_ACCOUNT_ID}`);
            assert.strictEqual(rule.inputs.state, "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");
            assert.ok(matchesPattern(rule.inputs.eventPattern, decryptEvent(OTHER)));
            const target = prod.one("aws:cloudwatch/eventTarget:EventTarget", `aws-key-usage-${CROSS_ACCOUNT_ID}-target`);
            assert.strictEqual(target.inputs.arn, awsOut(prod).topicArns["kms-security"]);
        });

        it("publishes per-key operation and error counts and alarms on failed key operations above the threshold", () => {
            const filters = prod.ofType("aws:cloudwatch/logMetricFilter:LogMetricFilter").filter((f) => f.name.startsWith("aws-key-usage-"));
            const keys = Object.keys(awsOut(prod).keyArns);
            assert.strictEqual(filters.length, keys.length * 2 + 1);
            for (const f of filters) assert.strictEqual(f.inputs.logGroupName, "aws-cloudtrail-logs-ledgermind-prod", "the group of Pulumi.prod.yaml aws.cloudTrailLogGroupArn");
            const ops = prod.one("aws:cloudwatch/logMetricFilter:LogMetricFilter", "aws-key-usage-ledger-mind-prod-pii-redaction-ops");
            assert.deepStrictEqual((ops.inputs.metricTransformation as { dimensions: unknown }).dimensions,
                { KeyArn: "$.resources[0].ARN", Operation: "$.eventName" });
            assert.ok(String(ops.inputs.pattern).includes(awsOut(prod).keyArns["ledger-mind/prod/pii-redaction"]));
            const alarm = prod.one("aws:cloudwatch/metricAlarm:MetricAlarm", `aws-key-usage-${FAILED_OPERATIONS_ID}-alarm`);
            assert.strictEqual(alarm.inputs.threshold, 10);
            assert.deepStrictEqual(alarm.inputs.alarmActions, [awsOut(prod).topicArns["kms-security"]]);
            assert.match(String(alarm.inputs.alarmDescription), new RegExp(`${RUNBOOK}#${FAILED_OPERATIONS_ID}`));
        });
    });
});
