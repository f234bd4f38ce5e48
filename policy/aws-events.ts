import { Statement, checkDocument, conditionValues, describePrincipals } from "./iam-document";
import { KMS_KEY } from "./aws-kms";
import { PolicyResource, Rule, resourceRule, stackRule } from "./rule";
import { asArray, asObject, parseJsonObject, show } from "./values";
import { cloudTrailPatternEvents, readOnlyByConvention } from "../documents/aws/readonly-events";

export const SNS_TOPIC = "aws:sns/topic:Topic";
export const SNS_TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy";
export const SNS_SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
export const EVENT_RULE = "aws:cloudwatch/eventRule:EventRule";
export const EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget";
export const METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
export const AMP_WORKSPACE = "aws:amp/workspace:Workspace";

/** CloudTrail events that take a key away or change who controls it: each must raise an alert. */
export const KMS_EVENTS_DETECTED = ["DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy", "DeleteAlias"];
/** The AWS managed SNS key: its policy cannot be changed, so EventBridge and CloudWatch cannot publish. */
const AWS_MANAGED_SNS_KEY = /^(alias\/aws\/sns|arn:aws[a-z-]*:kms:[^:]+:\d{12}:alias\/aws\/sns)$/;
const SOURCE_ARN_OPS = ["ArnEquals", "ArnLike", "StringEquals", "StringLike"];

const onTopicPolicy = (r: PolicyResource, check: (statements: readonly Statement[]) => string[]) => checkDocument(r.props.policy, "the topic policy", check);

/** The CloudTrail event names a rule's pattern matches, when it is a KMS pattern. */
function kmsEventNames(r: PolicyResource): string[] {
    const pattern = parseJsonObject(r.props.eventPattern);
    if (!pattern) return [];
    const detail = asObject(pattern.detail);
    const isKms = asArray(pattern.source).includes("aws.kms") || asArray(detail.eventSource).includes("kms.amazonaws.com");
    return isKms ? asArray(detail.eventName).filter((n): n is string => typeof n === "string") : [];
}

const isDisabled = (r: PolicyResource) => r.props.state === "DISABLED" || r.props.isEnabled === false || r.props.isEnabled === "false";

export const awsEventRules: Rule[] = [
    resourceRule({
        name: "aws-sns-topic-encrypted",
        description: "SNS topics are encrypted with a customer managed KMS key (kmsMasterKeyId), not alias/aws/sns, whose policy EventBridge and CloudWatch cannot use.",
        types: [SNS_TOPIC],
        check: (r) => {
            const key = r.props.kmsMasterKeyId;
            if (typeof key !== "string" || key === "") return ["the topic is not encrypted: set kmsMasterKeyId to a customer managed key"];
            return AWS_MANAGED_SNS_KEY.test(key) ? [`kmsMasterKeyId = ${show(key)} is the AWS managed key: EventBridge could not publish; use a customer managed key`] : [];
        },
    }),
    resourceRule({
        name: "aws-sns-topic-policy-no-wildcard-principal",
        description: "SNS topic policies allow named principals only: no `*` principal, no NotPrincipal.",
        types: [SNS_TOPIC, SNS_TOPIC_POLICY],
        check: (r) => onTopicPolicy(r, (sts) => sts.filter((st) => st.effect === "Allow" && (st.principals.wildcard || st.notPrincipal))
            .map((st) => `topic policy statement ${st.id} allows ${st.notPrincipal ? "everyone but NotPrincipal" : `a wildcard principal (${describePrincipals(st)})`}`)),
    }),
    resourceRule({
        name: "aws-sns-topic-policy-source-arn",
        description: "SNS topic policy statements for AWS service principals are limited to the publishing resources by aws:SourceArn.",
        types: [SNS_TOPIC, SNS_TOPIC_POLICY],
        check: (r) => onTopicPolicy(r, (sts) => sts
            .filter((st) => st.effect === "Allow" && st.principals.service.length > 0)
            .filter((st) => !SOURCE_ARN_OPS.some((op) => (conditionValues(st, op, "aws:SourceArn") ?? []).length > 0))
            .map((st) => `topic policy statement ${st.id} lets ${st.principals.service.join(", ")} publish without an aws:SourceArn condition`)),
    }),
    resourceRule({
        name: "aws-sns-subscription-no-plain-http",
        description: "SNS subscriptions never deliver over plain HTTP (protocol `http`).",
        types: [SNS_SUBSCRIPTION],
        check: (r) => (String(r.props.protocol).toLowerCase() === "http" ? [`protocol http sends alerts in clear text to ${show(r.props.endpoint)}; use https`] : []),
    }),
    resourceRule({
        name: "aws-events-rule-enabled",
        description: "EventBridge rules are enabled (state is not DISABLED).",
        types: [EVENT_RULE],
        check: (r) => (isDisabled(r) ? [`the rule is disabled (state = ${show(r.props.state)}, isEnabled = ${show(r.props.isEnabled)}): its events would go unnoticed`] : []),
    }),
    resourceRule({
        name: "aws-events-rule-receives-read-only-events",
        description: "EventBridge rules on read-only CloudTrail events (STS AssumeRole, Describe*/Get*/List*, or every event of a service) " +
            "are in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS: a rule in state ENABLED never receives them.",
        types: [EVENT_RULE],
        check: (r) => {
            const pattern = parseJsonObject(r.props.eventPattern);
            if (!pattern || isDisabled(r) || r.props.state === "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS") return [];
            const { eventSources, eventNames } = cloudTrailPatternEvents(pattern);
            if (eventSources.length === 0) return [];
            const readOnly = eventNames.length === 0 ? ["(every event of " + eventSources.join(", ") + ")"]
                : eventSources.flatMap((src) => eventNames.filter((n) => readOnlyByConvention(src, n) === true));
            return readOnly.length === 0 ? [] : [`state = ${show(r.props.state ?? "ENABLED")} never receives the read-only CloudTrail event(s) ` +
                `${readOnly.join(", ")}: use ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`];
        },
    }),
    resourceRule({
        name: "aws-cloudwatch-alarm-has-actions",
        description: "CloudWatch alarms notify someone: at least one alarm action, actions enabled.",
        types: [METRIC_ALARM],
        check: (r) => {
            const out = asArray(r.props.alarmActions).length ? [] : ["the alarm has no alarmActions: it would change state silently"];
            return r.props.actionsEnabled === false ? [...out, "actionsEnabled = false: the alarm would not notify"] : out;
        },
    }),
    resourceRule({
        name: "aws-amp-workspace-cmk",
        description: "Amazon Managed Prometheus workspaces are encrypted with a customer managed KMS key (kmsKeyArn).",
        types: [AMP_WORKSPACE],
        check: (r) => (typeof r.props.kmsKeyArn === "string" && r.props.kmsKeyArn !== "" ? [] : ["the workspace has no kmsKeyArn: set a customer managed key"]),
    }),
    stackRule({
        name: "aws-events-kms-detection",
        description: `A stack with KMS keys has enabled EventBridge rules matching the CloudTrail events ${KMS_EVENTS_DETECTED.join(", ")}.`,
        types: [KMS_KEY, EVENT_RULE],
        check: (resources) => {
            if (!resources.some((r) => r.type === KMS_KEY)) return [];
            const seen = new Set(resources.filter((r) => r.type === EVENT_RULE && !isDisabled(r)).flatMap(kmsEventNames));
            const missing = KMS_EVENTS_DETECTED.filter((e) => !seen.has(e));
            return missing.length ? [{ message: `no enabled EventBridge rule matches the KMS CloudTrail event(s) ${missing.join(", ")}` }] : [];
        },
    }),
    stackRule({
        name: "aws-events-rule-targeted",
        description: "Every EventBridge rule has at least one target (aws:cloudwatch/eventTarget:EventTarget).",
        types: [EVENT_RULE, EVENT_TARGET],
        check: (resources) => {
            const targeted = new Set(resources.filter((r) => r.type === EVENT_TARGET).flatMap((r) => r.dependsOn));
            return resources.filter((r) => r.type === EVENT_RULE && !targeted.has(r.urn))
                .map((r) => ({ urn: r.urn, message: `EventBridge rule ${r.name} has no target: matched events go nowhere` }));
        },
    }),
];
