import { chatbotNotice } from "./chatbot";
import { RuleState, requiredRuleState } from "./readonly-events";

/** The two alert receivers that AWS key events are delivered to (same names as the Alertmanager receivers). */
export const AWS_RECEIVERS = ["kms-critical", "kms-security"] as const;
export type AwsReceiver = (typeof AWS_RECEIVERS)[number];

/**
 * Key-event detections (seed 004 "missing alarms"), as data: one EventBridge rule each, on the
 * CloudTrail events of the default event bus, delivered to the SNS topic of its receiver.
 * EventBridge only sees "AWS API Call via CloudTrail" events when a CloudTrail trail logs the
 * account's management events in the stack's region (docs/runbooks/aws-kms.md#prerequisites).
 */

export const RUNBOOK = "docs/runbooks/aws-kms.md";

/** What a rule's pattern may refer to beyond constants. */
export interface DetectionContext {
    /** ARN of the EmergencyKeyAdmin role (its AssumeRole is a detection of its own). */
    readonly emergencyRoleArn: string;
}

export type { RuleState } from "./readonly-events";

export type EventPattern = Record<string, unknown>;

export interface Detection {
    /** Rule name suffix and runbook anchor. */
    readonly id: string;
    /** One line for humans (rule description, notification text). */
    readonly title: string;
    readonly receiver: AwsReceiver;
    /** CloudTrail event names the pattern matches; empty = any event of the service. */
    readonly eventNames: readonly string[];
    /**
     * Derived from the read-only table (readonly-events.ts): `ENABLED` never receives read-only
     * CloudTrail events such as STS AssumeRole, which need `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`.
     */
    readonly state: RuleState;
    /** Where the affected key, alias or role is in the event (input transformer path). */
    readonly subjectPath: string;
    readonly pattern: (ctx: DetectionContext) => EventPattern;
}

const CLOUDTRAIL = "AWS API Call via CloudTrail";
/** Console sign-in events (ConsoleLogin, SwitchRole) reach EventBridge with this detail-type. */
const CONSOLE_SIGN_IN = "AWS Console Sign In via CloudTrail";
const SUCCEEDED = { errorCode: [{ exists: false }] };
const FAILED = { errorCode: [{ exists: true }] };

/**
 * `arn:<partition>:sts::<account>:assumed-role/<name>/`: the ARN prefix of every session of a role,
 * as CloudTrail's userIdentity.arn shows it (role paths are not part of it).
 */
export function assumedRolePrefix(roleArn: string): string {
    const m = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
    if (!m) throw new Error(`assumedRolePrefix: ${roleArn} is not an IAM role ARN`);
    return `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/`;
}

const kmsCalls = (eventNames: readonly string[], detail: Record<string, unknown> = {}): EventPattern => ({
    "source": ["aws.kms"],
    "detail-type": [CLOUDTRAIL],
    "detail": { eventSource: ["kms.amazonaws.com"], ...(eventNames.length ? { eventName: [...eventNames] } : {}), ...detail },
});

const kmsDetection = (id: string, title: string, receiver: AwsReceiver, eventNames: string[], detail: Record<string, unknown>, subjectPath = "$.detail.requestParameters.keyId"): Detection => ({
    id, title, receiver, eventNames, state: requiredRuleState(["kms.amazonaws.com"], eventNames), subjectPath, pattern: () => kmsCalls(eventNames, detail),
});

export const DETECTIONS: readonly Detection[] = [
    kmsDetection("disable-key", "KMS key disabled", "kms-critical", ["DisableKey"], SUCCEEDED),
    kmsDetection("schedule-key-deletion", "KMS key scheduled for deletion", "kms-critical", ["ScheduleKeyDeletion"], SUCCEEDED),
    kmsDetection("cancel-key-deletion", "KMS key deletion cancelled", "kms-security", ["CancelKeyDeletion"], SUCCEEDED),
    kmsDetection("put-key-policy", "KMS key policy changed", "kms-security", ["PutKeyPolicy"], SUCCEEDED),
    kmsDetection("delete-alias", "KMS alias deleted", "kms-critical", ["DeleteAlias"], SUCCEEDED, "$.detail.requestParameters.aliasName"),
    {
        id: "access-denied",
        title: "KMS request denied",
        receiver: "kms-security",
        eventNames: [],
        // Also the denied DescribeKey/GetKeyPolicy/List* calls (reconnaissance), all read-only.
        state: requiredRuleState(["kms.amazonaws.com"], []),
        subjectPath: "$.detail.errorMessage",
        // KMS records AccessDenied and AccessDeniedException depending on the API.
        pattern: () => kmsCalls([], { errorCode: [{ prefix: "AccessDenied" }] }),
    },
    {
        id: "emergency-role-assumed",
        title: "EmergencyKeyAdmin role assumed (break-glass)",
        receiver: "kms-critical",
        eventNames: ["AssumeRole"],
        // AssumeRole is read-only: a rule in state ENABLED would never see it (readonly-events.ts).
        state: requiredRuleState(["sts.amazonaws.com"], ["AssumeRole"]),
        subjectPath: "$.detail.requestParameters.roleArn",
        pattern: (ctx) => ({
            "source": ["aws.sts"],
            "detail-type": [CLOUDTRAIL],
            "detail": {
                eventSource: ["sts.amazonaws.com"],
                eventName: ["AssumeRole"],
                requestParameters: { roleArn: [ctx.emergencyRoleArn] },
                ...SUCCEEDED,
            },
        }),
    },
    {
        // A console role switch is no STS AssumeRole event but a sign-in event, SwitchRole, whose
        // userIdentity is the session of the role switched to (CloudTrail "AWS Management Console
        // sign-in events": https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html;
        // EventBridge source aws.signin: https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-signin.html).
        // Failed switches are kept: an attempt on the break-glass role is worth a look too.
        id: "emergency-role-switched",
        title: "EmergencyKeyAdmin role switched to in the console (break-glass)",
        receiver: "kms-critical",
        eventNames: ["SwitchRole"],
        state: requiredRuleState(["signin.amazonaws.com"], ["SwitchRole"]),
        subjectPath: "$.detail.userIdentity.arn",
        pattern: (ctx) => ({
            "source": ["aws.signin"],
            "detail-type": [CONSOLE_SIGN_IN],
            "detail": {
                eventSource: ["signin.amazonaws.com"],
                eventName: ["SwitchRole"],
                userIdentity: { arn: [{ prefix: assumedRolePrefix(ctx.emergencyRoleArn) }] },
            },
        }),
    },
    // KMS emits no event when a scheduled automatic rotation does not happen; what fails visibly is
    // an on-demand rotation (the kms-rotate workflow) or re-enabling rotation.
    kmsDetection("rotation-failure", "KMS key rotation failed", "kms-security", ["EnableKeyRotation", "RotateKeyOnDemand"], FAILED),
    kmsDetection("rotation-disabled", "KMS automatic key rotation disabled", "kms-security", ["DisableKeyRotation"], SUCCEEDED),
];

/**
 * The notification: an AWS Chatbot custom notification (the only SNS message Chatbot posts to Slack,
 * and the format the AMP receivers on the same topics use), whose title and description read as
 * plain text in the email subscriptions. Only paths every CloudTrail API event has, plus the
 * detection's subject, so no placeholder is left empty; EventBridge fills placeholders inside JSON
 * strings as strings.
 */
export function inputTransformer(d: Detection): { inputPaths: Record<string, string>; inputTemplate: string } {
    return {
        inputPaths: {
            account: "$.account",
            actor: "$.detail.userIdentity.arn",
            event: "$.detail.eventName",
            eventId: "$.detail.eventID",
            region: "$.region",
            sourceIp: "$.detail.sourceIPAddress",
            subject: d.subjectPath,
            time: "$.time",
        },
        inputTemplate: chatbotNotice({
            title: `[${d.receiver}] ${d.title}: <event> on <subject>`,
            description: `By <actor> from <sourceIp>, account <account> (<region>) at <time>, CloudTrail event <eventId>.`,
            nextSteps: [`Runbook: ${RUNBOOK}#${d.id}`],
            threadId: d.id,
            summary: `${d.title}: <event> on <subject>`,
        }),
    };
}

/**
 * CloudWatch metric filters on a CloudTrail log group (used when config names one): CIS AWS
 * Foundations 4.7 and a PutKeyPolicy companion. They survive an EventBridge outage and keep the
 * count as a metric; each alarm fires on one occurrence within 5 minutes.
 */
export interface TrailAlarm {
    /** Metric filter / alarm name suffix and runbook anchor. */
    readonly id: string;
    readonly title: string;
    readonly receiver: AwsReceiver;
    readonly metricName: string;
    /** CloudWatch Logs filter pattern over CloudTrail JSON records. */
    readonly filterPattern: string;
}

/** Namespace of the metrics the filters publish. */
export const TRAIL_METRIC_NAMESPACE = "KmsObservability/CloudTrail";

export const TRAIL_ALARMS: readonly TrailAlarm[] = [
    {
        id: "cis-4-7-disable-or-delete-key",
        title: "CIS 4.7: customer managed key disabled or scheduled for deletion",
        receiver: "kms-critical",
        metricName: "KmsKeyDisabledOrScheduledForDeletion",
        filterPattern: "{($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion))}",
    },
    {
        id: "trail-put-key-policy",
        title: "KMS key policy changed (CloudTrail log group)",
        receiver: "kms-security",
        metricName: "KmsKeyPolicyChanged",
        filterPattern: "{($.eventSource = kms.amazonaws.com) && ($.eventName = PutKeyPolicy)}",
    },
];
