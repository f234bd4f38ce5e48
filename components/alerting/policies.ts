import { ArnContext, PolicyDocument, accountRoot, policyDocument, regionalArn, uniqueSorted } from "../aws/policies/document";
import { SERVICE_ENVELOPE_ACTIONS, keyPolicy } from "../aws/policies/key-policy";
import { AMP_SERVICE, TOPIC_OWNER_ACTIONS, ampWorkspaceArnPattern, denyForgedPublish } from "../aws/policies/topics";

/**
 * IAM documents of the AMP alerting path, as pure functions of plain strings (document types and
 * the key policy builder are the AWS KMS component's): the SNS topic policy and KMS key policy that
 * let the workspace publish encrypted alerts; the metrics-writer role; the Chatbot role.
 */

/** ARN of a topic of this account and region, from its name (known before the topic exists). */
export const topicArnOf = (ctx: ArnContext, name: string): string => regionalArn(ctx, "sns", name);

/**
 * Topic policy: the account manages the topic, everyone but AMP is explicitly denied `sns:Publish`
 * (an alert cannot be forged by hand: see `denyForgedPublish`) and the one workspace publishes,
 * pinned by `aws:SourceArn` and `aws:SourceAccount` (AWS's
 * confused-deputy guard for AMP). AMP reads the topic's attributes before publishing.
 */
export function ampTopicPolicy(ctx: ArnContext, topicArn: string, workspaceArn: string): PolicyDocument {
    return policyDocument(
        { Sid: "TopicOwnerManagement", Effect: "Allow", Principal: { AWS: [accountRoot(ctx)] }, Action: TOPIC_OWNER_ACTIONS, Resource: topicArn },
        {
            Sid: "AmpWorkspacePublishes",
            Effect: "Allow",
            Principal: { Service: [AMP_SERVICE] },
            Action: ["sns:GetTopicAttributes", "sns:Publish"],
            Resource: topicArn,
            Condition: { ArnEquals: { "aws:SourceArn": workspaceArn }, StringEquals: { "aws:SourceAccount": ctx.accountId } },
        },
        denyForgedPublish(topicArn, [AMP_SERVICE]),
    );
}

/**
 * Policy of the key that encrypts the workspace and the topics this component creates: the
 * project's key policy (root delegates to IAM, so the deployer can let AMP create its grants; MFA
 * deny with the deployers exempt) plus envelope encryption for AMP publishing to these topics only
 * (SNS encryption context). An encrypted topic silently drops what a publisher that cannot call
 * GenerateDataKey sends. The workspace is named by pattern, not ARN: the workspace is created with
 * this key, so its ARN cannot be in the key's policy; the topic policies pin the exact workspace.
 */
export function ampKeyPolicy(ctx: ArnContext, topicArns: readonly string[], deployers: readonly string[]): PolicyDocument {
    return keyPolicy({
        partition: ctx.partition,
        accountId: ctx.accountId,
        administrators: [],
        users: [],
        emergency: [],
        recovery: [],
        deployers,
        services: topicArns.length === 0 ? [] : [{
            sid: "AmpPublishesToEncryptedTopics",
            service: AMP_SERVICE,
            actions: SERVICE_ENVELOPE_ACTIONS,
            conditions: {
                StringEquals: { "aws:SourceAccount": ctx.accountId, "kms:EncryptionContext:aws:sns:topicArn": uniqueSorted(topicArns) },
                ArnLike: { "aws:SourceArn": ampWorkspaceArnPattern(ctx) },
            },
        }],
    });
}

/** Who may assume the metrics-writer role. */
export function writerTrustPolicy(principals: readonly string[]): PolicyDocument {
    return policyDocument({ Sid: "MetricShippersAssume", Effect: "Allow", Principal: { AWS: uniqueSorted(principals) }, Action: ["sts:AssumeRole"] });
}

/** What the metrics-writer role may do: remote-write into this workspace, nothing else. */
export function writerPolicy(workspaceArn: string): PolicyDocument {
    return policyDocument({ Sid: "RemoteWrite", Effect: "Allow", Action: ["aps:RemoteWrite"], Resource: workspaceArn });
}

/** AWS Chatbot assumes its channel role. */
export function chatbotTrustPolicy(): PolicyDocument {
    return policyDocument({ Sid: "ChatbotAssumes", Effect: "Allow", Principal: { Service: ["chatbot.amazonaws.com"] }, Action: ["sts:AssumeRole"] });
}

/**
 * The Chatbot channel role only reads CloudWatch (the console's "notification permissions"
 * template): the channel relays alerts and renders alarm graphs, it runs no commands.
 */
export function chatbotPolicy(): PolicyDocument {
    return policyDocument({
        Sid: "ReadAlarmContext", Effect: "Allow", Action: ["cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*"], Resource: "*",
    });
}
