import { ArnContext, PolicyDocument, accountRoot, policyDocument, regionalArn, uniqueSorted } from "./document";
import { SERVICE_ENVELOPE_ACTIONS, keyPolicy } from "./key-policy";
import { AMP_SERVICE, TOPIC_OWNER_ACTIONS, ampWorkspaceArnPattern, denyForgedPublish } from "./topics";

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

/** What a principal needs on the workspace key to read or write the encrypted workspace through AMP. */
export const AMP_DATA_KEY_ACTIONS = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"];

export interface AmpKeyPolicyInput {
    readonly ctx: ArnContext;
    /** Topics this component creates and encrypts with the key (AMP publishes to them). */
    readonly topicArns: readonly string[];
    /** Principals that run `pulumi up`, exempt from the MFA deny (config `aws.deployers`). */
    readonly deployers: readonly string[];
    /** Key administrators: the KeyManagementAdmin role. */
    readonly administrators: readonly string[];
    /** The KeyRecoveryAdmin role: cancels a scheduled deletion, re-enables the key. */
    readonly recovery: readonly string[];
    /** Who queries or writes the workspace (Grafana's query role, the metrics-writer role). */
    readonly workspaceUsers: readonly string[];
}

/**
 * Policy of the key that encrypts the workspace and the topics this component creates, governed
 * like the data keys (root delegation, KeyManagementAdmin administers, KeyRecoveryAdmin can cancel a
 * deletion, MFA deny with the deployers exempt; no emergency revocation: disabling it would silence
 * the AMP alert path) plus:
 * - `AmpWorkspaceUsersViaAps`: the query and writer roles may Decrypt / GenerateDataKey /
 *   DescribeKey only through AMP (`kms:ViaService = aps.<region>.amazonaws.com`). AMP's encryption
 *   at rest guide: data of a workspace with a customer managed key is readable only by principals
 *   allowed to use that key through the service
 *   (https://docs.aws.amazon.com/prometheus/latest/userguide/encryption-at-rest-Amazon-Service-Prometheus.html;
 *   kms:ViaService: https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
 *   Without it Grafana's queries fail although its role has `aps:QueryMetrics`.
 * - envelope encryption for AMP publishing to these topics only (SNS encryption context): an
 *   encrypted topic silently drops what a publisher that cannot call GenerateDataKey sends. The
 *   workspace is named by pattern, not ARN: it is created with this key, so its ARN cannot be in the
 *   key's policy; the topic policies pin the exact workspace.
 */
export function ampKeyPolicy(input: AmpKeyPolicyInput): PolicyDocument {
    const { ctx } = input;
    const base = keyPolicy({
        partition: ctx.partition,
        accountId: ctx.accountId,
        administrators: input.administrators,
        users: [],
        emergency: [],
        recovery: input.recovery,
        deployers: input.deployers,
        services: input.topicArns.length === 0 ? [] : [{
            sid: "AmpPublishesToEncryptedTopics",
            service: AMP_SERVICE,
            actions: SERVICE_ENVELOPE_ACTIONS,
            conditions: {
                StringEquals: { "aws:SourceAccount": ctx.accountId, "kms:EncryptionContext:aws:sns:topicArn": uniqueSorted(input.topicArns) },
                ArnLike: { "aws:SourceArn": ampWorkspaceArnPattern(ctx) },
            },
        }],
    });
    if (input.workspaceUsers.length === 0) return base;
    // Before the MFA deny, which stays the last statement.
    const deny = base.Statement[base.Statement.length - 1];
    return policyDocument(...base.Statement.slice(0, -1), {
        Sid: "AmpWorkspaceUsersViaAps",
        Effect: "Allow",
        Principal: { AWS: uniqueSorted(input.workspaceUsers) },
        Action: AMP_DATA_KEY_ACTIONS,
        Resource: "*",
        Condition: { StringEquals: { "kms:ViaService": `aps.${ctx.region}.amazonaws.com` } },
    }, deny);
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
