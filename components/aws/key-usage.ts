import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import { KeyMappingInput, mappingEntry } from "./key-mapping-input";
import { EventPattern, RUNBOOK } from "../../documents/aws/detections";
import { ERRORS_METRIC, FAILED_METRIC, OPERATIONS_METRIC, USAGE_NAMESPACE } from "../../metrics/aws-key-usage";
import { keySlug } from "../../documents/aws/key-kinds";
import { chatbotNotice } from "../../documents/aws/chatbot";
import { boundedName } from "../../documents/aws/notices";
import { ArnContext, regionalArn } from "../../documents/aws/document";

/**
 * Audit of key use (design document "key management step 5": failed key operations, key usage
 * patterns, cross-account key access), as data plus one component.
 *
 * Cross-account use: "Cross-account operations on KMS keys are logged in both the caller account and
 * the KMS key owner account" (https://docs.aws.amazon.com/kms/latest/developerguide/logging-using-cloudtrail.html);
 * in the owner's copy `userIdentity.accountId` is the caller's account (type AWSAccount) and
 * `resources[].ARN` the key. EventBridge's `anything-but` matches values the event has, so calls by
 * AWS services without an account (userIdentity type AWSService) do not match
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html; aws/event-ruler
 * README "Anything-but matching", "JSON Array Matching"). Cross-account requests KMS denies are logged
 * only in the caller's account: a denied probe from outside cannot be seen here.
 */

/** Runbook anchor of the cross-account detection and the failed-operations alarm. */
export const CROSS_ACCOUNT_ID = "cross-account-key-use";
export const FAILED_OPERATIONS_ID = "failed-key-operations";


/** The prefix of every KMS key ARN of an account and region. */
export const keyArnPrefix = (ctx: ArnContext): string => regionalArn(ctx, "kms", "key/");

/** KMS API calls on keys of this account by a principal of another account. */
export function crossAccountPattern(ctx: ArnContext): EventPattern {
    return {
        "source": ["aws.kms"],
        "detail-type": ["AWS API Call via CloudTrail"],
        "detail": {
            eventSource: ["kms.amazonaws.com"],
            userIdentity: { accountId: [{ "anything-but": ctx.accountId }] },
            resources: { ARN: [{ prefix: keyArnPrefix(ctx) }] },
        },
    };
}

/** Names of what this file creates, known before apply (the alert topics' policies admit them by ARN). */
export const crossAccountRuleName = (prefix: string): string => `${prefix}-kms-${CROSS_ACCOUNT_ID}`;
export const failedOperationsAlarmName = (prefix: string): string => `${prefix}-${FAILED_OPERATIONS_ID}`;

/** The publishers KeyEventAlerts must admit to `kms-security` for this file's rule and alarm (the alarm only with a log group). */
export function usagePublishers(ctx: ArnContext, namePrefix: string, cloudTrailLogGroupName?: string): { eventRuleArns: string[]; alarmArns: string[] } {
    return {
        eventRuleArns: [regionalArn(ctx, "events", `rule/${crossAccountRuleName(namePrefix)}`)],
        alarmArns: cloudTrailLogGroupName === undefined ? [] : [regionalArn(ctx, "cloudwatch", `alarm:${failedOperationsAlarmName(namePrefix)}`)],
    };
}

const quoted = (s: string) => JSON.stringify(s);

/**
 * CloudWatch Logs filter patterns over CloudTrail records in the trail's log group (an organization
 * trail holds every account's events: `recipientAccountId` keeps this account's). A field used as a
 * dimension must appear in the pattern; `= *` matches any value
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html).
 */
export function keyFilterPattern(ctx: ArnContext, keyArns: readonly string[], errorsOnly: boolean): string {
    if (keyArns.length === 0) throw new Error("keyFilterPattern: no key ARNs");
    const keys = keyArns.map((a) => `($.resources[0].ARN = ${quoted(a)})`).join(" || ");
    const outcome = errorsOnly ? "($.errorCode = *)" : "($.eventName = *)";
    return `{ ($.eventSource = "kms.amazonaws.com") && ($.recipientAccountId = ${quoted(ctx.accountId)}) && (${keys}) && ${outcome} }`;
}

/** Any KMS call of this account's keys that failed (any errorCode, not only AccessDenied). */
export function failedOperationsPattern(ctx: ArnContext): string {
    return `{ ($.eventSource = "kms.amazonaws.com") && ($.recipientAccountId = ${quoted(ctx.accountId)}) && ($.errorCode = *) }`;
}

export interface KeyUsageAuditArgs {
    /** Partition, region and account: the detection watches this account's keys. */
    readonly ctx: ArnContext;
    /** Prefix of every name: rule `<prefix>-kms-cross-account-use`, filters `<prefix>-key-usage-…`, alarm `<prefix>-…`. */
    readonly namePrefix: string;
    /** The keys whose operations and errors are counted (names in `mapping`). Default none. */
    readonly keyNames?: readonly string[];
    /** The CEK↔CMK mapping with the keys' ARNs (every generation), an entry per key. */
    readonly mapping: KeyMappingInput;
    /** The `kms-security` topic (its policy admits this rule and alarm: usagePublishers). */
    readonly securityTopicArn: pulumi.Input<string>;
    /**
     * Name of the CloudTrail log group in this account and region: adds the per-key metric filters,
     * the failed-operations filter and its alarm. Default: none, the cross-account detection only.
     */
    readonly cloudTrailLogGroupName?: string;
    /** Failed KMS calls in 5 minutes that raise the alarm. Default 10. */
    readonly failedOperationsThreshold?: number;
    /** Tags for every taggable resource. Default none. */
    readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The cross-account detection (EventBridge, all management events, to `kms-security`) and, with a
 * CloudTrail log group, per-key operation and error counts (metric filters, dimensions KeyArn and
 * Operation / ErrorCode) plus the failed-operations count and its alarm.
 */
export class KeyUsageAudit extends pulumi.ComponentResource {
    constructor(name: string, args: KeyUsageAuditArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kms-observability:aws:KeyUsageAudit", name, {}, opts);
        const { ctx } = args;
        const tags = { ...(args.tags ?? {}) };
        const prefix = args.namePrefix;
        const rule = new cloudwatch.EventRule(`${name}-${CROSS_ACCOUNT_ID}`, {
            name: crossAccountRuleName(prefix),
            description: `KMS call on a key of ${ctx.accountId} by another account; notifies ${prefix}-kms-security. Runbook: ${RUNBOOK}#${CROSS_ACCOUNT_ID}`,
            eventPattern: JSON.stringify(crossAccountPattern(ctx)),
            // Decrypt, DescribeKey and GetPublicKey are read-only events: plain ENABLED never sees them.
            state: "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
            tags,
        }, { parent: this });
        new cloudwatch.EventTarget(`${name}-${CROSS_ACCOUNT_ID}-target`, {
            rule: rule.name,
            targetId: "kms-security-topic",
            arn: args.securityTopicArn,
            inputTransformer: crossAccountTransformer(),
        }, { parent: this });

        const trail = args.cloudTrailLogGroupName;
        if (trail !== undefined) {
            for (const keyName of args.keyNames ?? []) {
                const arns = mappingEntry(args.mapping, keyName).apply((e) => [e.keyArn, ...Object.values(e.generations)].filter((a, i, all) => all.indexOf(a) === i));
                for (const [suffix, metric, errors, dim] of [["ops", OPERATIONS_METRIC, false, "Operation"], ["errors", ERRORS_METRIC, true, "ErrorCode"]] as const) {
                    new cloudwatch.LogMetricFilter(`${name}-${keySlug(keyName)}-${suffix}`, {
                        name: boundedName([prefix, "key-usage", suffix, keySlug(keyName)], 512),
                        logGroupName: trail,
                        pattern: arns.apply((a) => keyFilterPattern(ctx, a, errors)),
                        metricTransformation: {
                            name: metric, namespace: USAGE_NAMESPACE, value: "1", unit: "Count",
                            dimensions: { KeyArn: "$.resources[0].ARN", [dim]: errors ? "$.errorCode" : "$.eventName" },
                        },
                    }, { parent: this });
                }
            }
            new cloudwatch.LogMetricFilter(`${name}-${FAILED_OPERATIONS_ID}`, {
                name: failedOperationsAlarmName(prefix),
                logGroupName: trail,
                pattern: failedOperationsPattern(ctx),
                metricTransformation: { name: FAILED_METRIC, namespace: USAGE_NAMESPACE, value: "1", unit: "Count" },
            }, { parent: this });
            const threshold = args.failedOperationsThreshold ?? 10;
            new cloudwatch.MetricAlarm(`${name}-${FAILED_OPERATIONS_ID}-alarm`, {
                name: failedOperationsAlarmName(prefix),
                alarmDescription: `${threshold} or more failed KMS calls on keys of ${ctx.accountId} in 5 minutes (any errorCode; log group ${trail}). Runbook: ${RUNBOOK}#${FAILED_OPERATIONS_ID}`,
                namespace: USAGE_NAMESPACE,
                metricName: FAILED_METRIC,
                statistic: "Sum",
                period: 300,
                evaluationPeriods: 1,
                threshold,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                treatMissingData: "notBreaching",
                alarmActions: [args.securityTopicArn],
                tags,
            }, { parent: this });
        }
        this.registerOutputs({});
    }
}

/** The cross-account notification (Chatbot custom notification, like detections.ts). */
export function crossAccountTransformer(): { inputPaths: Record<string, string>; inputTemplate: string } {
    return {
        inputPaths: {
            actor: "$.detail.userIdentity.arn",
            callerAccount: "$.detail.userIdentity.accountId",
            event: "$.detail.eventName",
            eventId: "$.detail.eventID",
            key: "$.detail.resources[0].ARN",
            region: "$.region",
            time: "$.time",
        },
        inputTemplate: chatbotNotice({
            title: "[kms-security] Cross-account KMS key use: <event> on <key>",
            description: "Account <callerAccount> (<actor>) called <event> on <key> at <time> (<region>), CloudTrail event <eventId>.",
            nextSteps: [`Runbook: ${RUNBOOK}#${CROSS_ACCOUNT_ID}`],
            threadId: CROSS_ACCOUNT_ID,
            summary: "Cross-account KMS key use: <event> on <key>",
        }),
    };
}
