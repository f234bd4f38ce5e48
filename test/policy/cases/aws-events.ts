import { AMP_WORKSPACE, EVENT_RULE, EVENT_TARGET, METRIC_ALARM, SNS_SUBSCRIPTION, SNS_TOPIC, SNS_TOPIC_POLICY } from "../../../policy/aws-events";
import { KMS_KEY } from "../../../policy/aws-kms";
import { ACCOUNT } from "./aws-kms";
import { CaseTable, FixtureResource, one, res } from "./types";

const CMK = `arn:aws:kms:us-east-1:${ACCOUNT}:key/6c1e0b4f-5d3a-4c2b-9a8e-1f2d3c4b5a69`;
const TOPIC_ARN = `arn:aws:sns:us-east-1:${ACCOUNT}:prod-kms-critical`;
const RULE_ARN = `arn:aws:events:us-east-1:${ACCOUNT}:rule/prod-kms-disable-key`;
const topicPolicy = (...Statement: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const PUBLISH = { Sid: "EventBridgePublish", Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sns:Publish", Resource: TOPIC_ARN, Condition: { ArnEquals: { "aws:SourceArn": [RULE_ARN] } } };

const pattern = (...names: string[]) => JSON.stringify({
    source: ["aws.kms"], "detail-type": ["AWS API Call via CloudTrail"],
    detail: { eventSource: ["kms.amazonaws.com"], eventName: names },
});
const stsPattern = JSON.stringify({
    source: ["aws.sts"], "detail-type": ["AWS API Call via CloudTrail"],
    detail: { eventSource: ["sts.amazonaws.com"], eventName: ["AssumeRole"], requestParameters: { roleArn: [`arn:aws:iam::${ACCOUNT}:role/break-glass`] } },
});
const rule = (name: string, names: string[], props: Record<string, unknown> = {}) => res(EVENT_RULE, { eventPattern: pattern(...names), state: "ENABLED", ...props }, { name });
const target = (ruleName: string) => res(EVENT_TARGET, { rule: ruleName, arn: TOPIC_ARN }, { name: `${ruleName}-target`, dependsOn: [ruleName] });
const key = res(KMS_KEY, { enableKeyRotation: true }, { name: "ledger-tde" });
/** The detection the AWS issue asks for, one rule per severity. */
const detection: FixtureResource[] = [
    key,
    rule("kms-critical-events", ["DisableKey", "ScheduleKeyDeletion"]),
    rule("kms-security-events", ["PutKeyPolicy", "DeleteAlias", "CancelKeyDeletion"]),
    target("kms-critical-events"), target("kms-security-events"),
];

export const awsEventCases: CaseTable = {
    "aws-sns-topic-encrypted": {
        pass: [one("customer managed key", res(SNS_TOPIC, { name: "prod-kms-critical", kmsMasterKeyId: CMK }))],
        fail: [
            one("unencrypted", res(SNS_TOPIC, { name: "prod-kms-critical" }), { expect: /not encrypted/ }),
            one("AWS managed alias/aws/sns", res(SNS_TOPIC, { kmsMasterKeyId: "alias/aws/sns" }), { expect: /AWS managed key/ }),
        ],
    },
    "aws-sns-topic-policy-no-wildcard-principal": {
        pass: [one("service principal", res(SNS_TOPIC_POLICY, { arn: TOPIC_ARN, policy: topicPolicy(PUBLISH) }))],
        fail: [
            one("Principal * on a TopicPolicy", res(SNS_TOPIC_POLICY, { arn: TOPIC_ARN, policy: topicPolicy({ ...PUBLISH, Principal: "*" }) }), { expect: /wildcard principal/ }),
            one("AWS * inline on the topic", res(SNS_TOPIC, { kmsMasterKeyId: CMK, policy: topicPolicy({ ...PUBLISH, Principal: { AWS: "*" } }) })),
        ],
    },
    "aws-sns-topic-policy-source-arn": {
        pass: [one("limited to the rule ARN", res(SNS_TOPIC_POLICY, { arn: TOPIC_ARN, policy: topicPolicy(PUBLISH) })), one("ArnLike over the stack's rules", res(SNS_TOPIC_POLICY, { arn: TOPIC_ARN, policy: topicPolicy({ ...PUBLISH, Condition: { ArnLike: { "aws:SourceArn": `arn:aws:events:us-east-1:${ACCOUNT}:rule/prod-kms-*` } } }) }))],
        fail: [
            one("EventBridge without a condition", res(SNS_TOPIC_POLICY, { arn: TOPIC_ARN, policy: topicPolicy({ ...PUBLISH, Condition: undefined }) }), { expect: /events.amazonaws.com publish without an aws:SourceArn/ }),
            one("only aws:SourceAccount", res(SNS_TOPIC_POLICY, { arn: TOPIC_ARN, policy: topicPolicy({ ...PUBLISH, Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } }) })),
        ],
    },
    "aws-sns-subscription-no-plain-http": {
        pass: [one("email", res(SNS_SUBSCRIPTION, { protocol: "email", endpoint: "secops@ledger-mind.org", topic: TOPIC_ARN }))],
        fail: [one("http endpoint", res(SNS_SUBSCRIPTION, { protocol: "http", endpoint: "http://hooks.internal/alerts", topic: TOPIC_ARN }), { expect: /clear text/ })],
    },
    "aws-events-rule-enabled": {
        pass: [one("ENABLED", rule("r", ["DisableKey"])), one("state unset (enabled by default)", rule("r", ["DisableKey"], { state: undefined }))],
        fail: [one("DISABLED", rule("r", ["DisableKey"], { state: "DISABLED" }), { expect: /disabled/ }), one("isEnabled false", rule("r", ["DisableKey"], { state: undefined, isEnabled: false }))],
    },
    "aws-events-rule-receives-read-only-events": {
        pass: [
            one("write events with ENABLED", rule("r", ["DisableKey", "PutKeyPolicy"])),
            one("AssumeRole with ALL", res(EVENT_RULE, { eventPattern: stsPattern, state: "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS" }, { name: "r" })),
            one("not a CloudTrail pattern", res(EVENT_RULE, { eventPattern: JSON.stringify({ source: ["aws.health"] }), state: "ENABLED" }, { name: "r" })),
        ],
        fail: [
            one("AssumeRole with ENABLED (the break-glass bug)", res(EVENT_RULE, { eventPattern: stsPattern, state: "ENABLED" }, { name: "r" }), { expect: /never receives the read-only CloudTrail event\(s\) AssumeRole/ }),
            one("state unset means ENABLED", res(EVENT_RULE, { eventPattern: stsPattern }, { name: "r" })),
            one("denied DescribeKey with ENABLED", rule("r", ["DescribeKey"]), { expect: /DescribeKey/ }),
            one("every KMS event with ENABLED", rule("r", []), { expect: /every event of kms.amazonaws.com/ }),
        ],
    },
    "aws-cloudwatch-alarm-has-actions": {
        pass: [one("alarm to the critical topic", res(METRIC_ALARM, { alarmActions: [TOPIC_ARN], metricName: "KmsKeyDisabledOrScheduledForDeletion" }))],
        fail: [
            one("no actions", res(METRIC_ALARM, { metricName: "KmsKeyDisabledOrScheduledForDeletion" }), { expect: /no alarmActions/ }),
            one("actions disabled", res(METRIC_ALARM, { alarmActions: [TOPIC_ARN], actionsEnabled: false }), { expect: /actionsEnabled = false/ }),
        ],
    },
    "aws-amp-workspace-cmk": {
        pass: [one("CMK", res(AMP_WORKSPACE, { alias: "prod-kms", kmsKeyArn: CMK }))],
        fail: [one("AWS owned key", res(AMP_WORKSPACE, { alias: "prod-kms" }), { expect: /kmsKeyArn/ })],
    },
    "aws-events-kms-detection": {
        pass: [{ title: "all four events across two rules", resources: detection }, { title: "no KMS keys, nothing to detect", resources: [rule("other", ["CreateAlias"])] }],
        fail: [
            { title: "DeleteAlias and PutKeyPolicy not matched", resources: [key, rule("kms-critical-events", ["DisableKey", "ScheduleKeyDeletion"])], expect: /PutKeyPolicy, DeleteAlias/ },
            { title: "the matching rule is disabled", resources: [key, rule("all", ["DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy", "DeleteAlias"], { state: "DISABLED" })] },
            { title: "pattern on another service", resources: [key, res(EVENT_RULE, { eventPattern: JSON.stringify({ source: ["aws.iam"], detail: { eventName: ["DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy", "DeleteAlias"] } }) })] },
        ],
    },
    "aws-events-rule-targeted": {
        pass: [{ title: "each rule has a target", resources: detection }],
        fail: [{ title: "rule without target", resources: [rule("kms-critical-events", ["DisableKey"])], expect: /kms-critical-events has no target/ }],
    },
};
