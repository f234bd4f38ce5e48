import { ArnContext, PolicyDocument, PolicyStatement, accountRoot, policyDocument, regionalArn, uniqueSorted } from "./document";
import { KeyPolicyInput, SERVICE_ENVELOPE_ACTIONS, ServiceKeyUse, keyPolicy } from "./key-policy";

/**
 * Policies of the alert topics and of the KMS key that encrypts them. The classic gotcha: an SNS
 * topic encrypted with a customer managed key silently drops what EventBridge (or CloudWatch, or
 * AMP) publishes unless the KEY policy lets that service principal generate data keys and decrypt;
 * the topic policy alone is not enough.
 */

export const EVENTS_SERVICE = "events.amazonaws.com";
export const CLOUDWATCH_SERVICE = "cloudwatch.amazonaws.com";
export const AMP_SERVICE = "aps.amazonaws.com";

/** Topic management for the owning account; publishing is left to the named AWS services. */
export const TOPIC_OWNER_ACTIONS = [
    "sns:AddPermission", "sns:DeleteTopic", "sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic",
    "sns:RemovePermission", "sns:SetTopicAttributes", "sns:Subscribe",
];

/** Any AMP workspace of this account and region (the workspace is another stack's or comes later). */
export const ampWorkspaceArnPattern = (ctx: ArnContext): string => regionalArn(ctx, "aps", "workspace/*");

/** `aws:SourceAccount` + `aws:SourceArn` pinning AMP to this account's workspaces (confused-deputy guard). */
const ampConditions = (ctx: ArnContext) => ({
    StringEquals: { "aws:SourceAccount": ctx.accountId },
    ArnLike: { "aws:SourceArn": ampWorkspaceArnPattern(ctx) },
});

/**
 * "An alert cannot be forged by hand", enforced: inside one account an identity policy alone can
 * allow `sns:Publish` on a topic whatever the topic policy omits ("If either the identity-based
 * policy or the resource-based policy within the same account allows the request ... the request is
 * still allowed"), while "an explicit deny in any of the policies overrides the allow"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html).
 * So the topic policy denies Publish to every principal whose request is not made by one of the
 * alert services. `aws:PrincipalServiceName` "is present in the request when the call is made by an
 * AWS service principal" and absent for IAM users and role sessions, and a negated operator matches
 * a missing key (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalservicename):
 * the deny applies to every person and role, and to any other service. Each service stays limited
 * to its own sources by the Allow statements' `aws:SourceArn`.
 */
export function denyForgedPublish(topicArn: string, services: readonly string[], roles: readonly string[] = []): PolicyStatement {
    // Conditions are ANDed: the deny applies to a caller that is none of the services and none of the roles.
    const condition = {
        ...(services.length > 0 ? { StringNotEquals: { "aws:PrincipalServiceName": uniqueSorted(services) } } : {}),
        ...(roles.length > 0 ? { ArnNotEquals: { "aws:PrincipalArn": uniqueSorted(roles) } } : {}),
    };
    return {
        Sid: "DenyPublishExceptAlertServices",
        Effect: "Deny",
        Principal: { AWS: ["*"] },
        Action: ["sns:Publish"],
        Resource: topicArn,
        ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
    };
}

export interface TopicPolicyInput {
    readonly ctx: ArnContext;
    readonly topicArn: string;
    /** EventBridge rules that target the topic: the only rules allowed to publish. */
    readonly eventRuleArns: readonly string[];
    /** CloudWatch alarms whose actions publish to the topic. */
    readonly alarmArns: readonly string[];
    /** Let Amazon Managed Service for Prometheus workspaces of this account publish. Default false. */
    readonly allowAmpPublish?: boolean;
    /** Roles of this program that publish as themselves (EventBridge Scheduler's role): exempt from the deny. Default none. */
    readonly publisherRoleArns?: readonly string[];
}

/**
 * Topic policy: the account manages the topic; EventBridge and CloudWatch publish only from the
 * listed rules and alarms (`aws:SourceArn`); AMP only from this account's workspaces. Everyone
 * else is denied `sns:Publish` explicitly ({@link denyForgedPublish}): nobody can forge an alert by
 * hand, whatever their IAM policies allow.
 */
export function topicPolicy(input: TopicPolicyInput): PolicyDocument {
    const { ctx, topicArn } = input;
    const publisher = (sid: string, service: string, arns: readonly string[], extra: PolicyStatement["Condition"] = {}): PolicyStatement | undefined =>
        arns.length === 0 ? undefined : {
            Sid: sid, Effect: "Allow", Principal: { Service: [service] }, Action: ["sns:Publish"], Resource: topicArn,
            Condition: { ArnEquals: { "aws:SourceArn": uniqueSorted(arns) }, ...extra },
        };
    return policyDocument(
        { Sid: "TopicOwnerManagement", Effect: "Allow", Principal: { AWS: [accountRoot(ctx)] }, Action: TOPIC_OWNER_ACTIONS, Resource: topicArn },
        publisher("EventBridgeRulesPublish", EVENTS_SERVICE, input.eventRuleArns),
        publisher("CloudWatchAlarmsPublish", CLOUDWATCH_SERVICE, input.alarmArns, { StringEquals: { "aws:SourceAccount": ctx.accountId } }),
        input.allowAmpPublish ? {
            Sid: "AmpAlertManagerPublish",
            Effect: "Allow",
            Principal: { Service: [AMP_SERVICE] },
            // AMP reads the topic's attributes before it publishes (AMP user guide, SNS receiver).
            Action: ["sns:GetTopicAttributes", "sns:Publish"],
            Resource: topicArn,
            Condition: ampConditions(ctx),
        } : undefined,
        denyForgedPublish(topicArn, [
            ...(input.eventRuleArns.length > 0 ? [EVENTS_SERVICE] : []),
            ...(input.alarmArns.length > 0 ? [CLOUDWATCH_SERVICE] : []),
            ...(input.allowAmpPublish ? [AMP_SERVICE] : []),
        ], input.publisherRoleArns ?? []),
    );
}

export interface TopicKeyPolicyInput extends Omit<KeyPolicyInput, "users" | "emergency" | "services" | "partition" | "accountId"> {
    readonly ctx: ArnContext;
    /** The topics the key encrypts: service use is limited to them through the SNS encryption context. */
    readonly topicArns: readonly string[];
    /** CloudWatch alarms publish to the topics (a CloudTrail log group is configured). Default false. */
    readonly cloudWatchAlarms?: boolean;
    /** AMP publishes to the topics. Default false. */
    readonly allowAmpPublish?: boolean;
}

/**
 * Policy of the key that encrypts the alert topics: the usual administrator/recovery/MFA-deny
 * statements (no emergency revocation: disabling this key would silence the alerts about it) plus
 * envelope encryption for the publishing services, each limited with
 * `kms:EncryptionContext:aws:sns:topicArn` to our topics.
 */
export function topicKeyPolicy(input: TopicKeyPolicyInput): PolicyDocument {
    const { ctx } = input;
    const forTopics = { StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": uniqueSorted(input.topicArns) } };
    const use = (sid: string, service: string, extra: ServiceKeyUse["conditions"] = {}): ServiceKeyUse => ({
        sid, service, actions: SERVICE_ENVELOPE_ACTIONS,
        conditions: { ...extra, StringEquals: { ...forTopics.StringEquals, ...(extra.StringEquals ?? {}) } },
    });
    const services: ServiceKeyUse[] = [use("EventBridgePublishesToEncryptedTopics", EVENTS_SERVICE)];
    if (input.cloudWatchAlarms) services.push(use("CloudWatchAlarmsPublishToEncryptedTopics", CLOUDWATCH_SERVICE));
    if (input.allowAmpPublish) services.push(use("AmpPublishesToEncryptedTopics", AMP_SERVICE, ampConditions(ctx)));
    return keyPolicy({
        partition: ctx.partition,
        accountId: ctx.accountId,
        administrators: input.administrators,
        users: [],
        emergency: [],
        recovery: input.recovery,
        deployers: input.deployers,
        services,
    });
}

/**
 * The inputs every key that encrypts SNS topics shares: symmetric (SNS server-side encryption needs it:
 * https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html), rotated on the stack's
 * cadence, and KMS's lockout safety check left on (CreateKey/PutKeyPolicy refuse a policy that would
 * lock the caller out: https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html,
 * `BypassPolicyLockoutSafetyCheck`).
 */
export function topicKeyBase(description: string, key: { readonly rotationDays: number; readonly deletionWindowDays: number }) {
    return {
        description,
        keyUsage: "ENCRYPT_DECRYPT",
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        enableKeyRotation: true,
        rotationPeriodInDays: key.rotationDays,
        deletionWindowInDays: key.deletionWindowDays,
        bypassPolicyLockoutSafetyCheck: false,
    } as const;
}
