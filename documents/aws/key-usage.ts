import { EventPattern, RUNBOOK } from "./detections";
import { chatbotNotice } from "./chatbot";
import { ArnContext, regionalArn } from "./document";

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
