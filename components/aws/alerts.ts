import { slug, topicName as receiverTopic } from "../../shared/limits";
import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as kms from "@pulumi/aws/kms";
import * as sns from "@pulumi/aws/sns";
import { AWS_RECEIVERS, AwsReceiver, DETECTIONS, RUNBOOK, TRAIL_ALARMS, TRAIL_METRIC_NAMESPACE, inputTransformer } from "../../documents/aws/detections";
import { DRIFT_RULE_ID, driftEventPattern, driftRuleName } from "../../documents/aws/drift-events";
import { ArnContext, regionalArn } from "../../documents/aws/document";
import { topicKeyBase, topicKeyPolicy, topicPolicy } from "../../documents/aws/topics";

export type TopicArns = Record<AwsReceiver, string>;

/** EventBridge rules and CloudWatch alarms of other components that publish to a topic (ARNs known before apply). */
export interface ExtraPublishers {
    readonly eventRuleArns?: readonly string[];
    readonly alarmArns?: readonly string[];
}

/** The key-event topics as KeyGovernance and KeyEventAlerts build them. */
export interface KeyEventTopicsArgs {
    /** Partition, region and account the ARNs are built in. */
    readonly ctx: ArnContext;
    /**
     * Prefix of every name: topics `<prefix>-kms-critical` / `<prefix>-kms-security`, rules
     * `<prefix>-kms-<detection>`, key alias `alias/<prefix>-kms-alert-topics`.
     */
    readonly namePrefix: string;
    /** Principals that run `pulumi up`: exempt from the MFA deny of the topic key's policy. */
    readonly deployers: readonly string[];
    /** Email subscribers per receiver. Default none. */
    readonly alertEmails?: Readonly<Partial<Record<AwsReceiver, readonly string[]>>>;
    /** Rotation period and deletion window of the topic key, in days. */
    readonly topicKey: { readonly rotationDays: number; readonly deletionWindowDays: number };
    /**
     * Name of the CloudTrail log group in this account and region: adds the metric filters and alarms
     * of TRAIL_ALARMS. Default: none, EventBridge detections only.
     */
    readonly cloudTrailLogGroupName?: string;
    /** Let AMP workspaces of the account publish to the topics (and use their key). Default false. */
    readonly allowAmpPublish?: boolean;
    /** Rules and alarms created elsewhere (planned ARNs) that publish to a receiver's topic. Default none. */
    readonly extraPublishers?: Partial<Record<AwsReceiver, ExtraPublishers>>;
    /** `protect` and `retainOnDelete` of the topic key. Default false. */
    readonly protect?: boolean;
    /** Tags for every resource. Default none. */
    readonly tags?: Readonly<Record<string, string>>;
}

export interface KeyEventAlertsArgs extends KeyEventTopicsArgs {
    /** The KeyManagementAdmin role: administers the topic key. */
    readonly adminRoleArn: pulumi.Input<string>;
    /** The KeyRecoveryAdmin role: may cancel deletion of / re-enable the topic key. */
    readonly recoveryRoleArn: pulumi.Input<string>;
    /** The EmergencyKeyAdmin role, whose AssumeRole is a detection. */
    readonly emergencyRoleArn: pulumi.Input<string>;
}

/** SNS topic name of a receiver in a stack: `<prefix>-kms-critical`. */
export const topicName = (prefix: string, receiver: AwsReceiver): string => receiverTopic(prefix, receiver);


/**
 * Key-event alerting: one SNS topic per receiver encrypted with a dedicated KMS key, an EventBridge
 * rule + target per detection, email subscriptions, and, with a CloudTrail log group, metric filters
 * and alarms. Topic policies admit exactly the rules and alarms that target each topic.
 */
export class KeyEventAlerts extends pulumi.ComponentResource {
    /** Topic ARN per receiver (the AMP Alertmanager reuses them for the same receivers). */
    public readonly topicArns: pulumi.Output<TopicArns>;
    /** The key that encrypts the topics. */
    public readonly topicKeyArn: pulumi.Output<string>;
    /** `alias/<prefix>-kms-alert-topics`. */
    public readonly topicKeyAliasArn: pulumi.Output<string>;
    /** EventBridge rule ARN per detection id. */
    public readonly ruleArns: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: KeyEventAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kms-observability:aws:KeyEventAlerts", name, {}, opts);
        const { ctx } = args;
        const tags = { ...(args.tags ?? {}) };
        const prefix = args.namePrefix;
        const trail = args.cloudTrailLogGroupName;
        const plannedTopicArns = AWS_RECEIVERS.map((r) => regionalArn(ctx, "sns", topicName(prefix, r)));

        const topicKey = new kms.Key(`${name}-topic-key`, {
            ...topicKeyBase(`Encrypts the ${prefix} KMS alert topics (${AWS_RECEIVERS.join(", ")})`, args.topicKey),
            // Topic ARNs are known before the topics exist (name + account + region): the key comes first.
            policy: pulumi.all([args.adminRoleArn, args.recoveryRoleArn]).apply(([admin, recovery]) => JSON.stringify(topicKeyPolicy({
                ctx, topicArns: plannedTopicArns, administrators: [admin], recovery: [recovery], deployers: args.deployers,
                cloudWatchAlarms: trail !== undefined, allowAmpPublish: args.allowAmpPublish ?? false,
            }))),
            tags,
        }, { parent: this, protect: args.protect ?? false, retainOnDelete: args.protect ?? false });
        const topicKeyAlias = new kms.Alias(`${name}-topic-key-alias`, {
            name: `alias/${prefix}-kms-alert-topics`,
            targetKeyId: topicKey.keyId,
        }, { parent: this });

        const topics = Object.fromEntries(AWS_RECEIVERS.map((receiver) => [receiver, new sns.Topic(`${name}-${receiver}`, {
            name: topicName(prefix, receiver),
            displayName: `${prefix} ${receiver}`,
            kmsMasterKeyId: topicKey.arn,
            tags,
        }, { parent: this })])) as Record<AwsReceiver, sns.Topic>;

        for (const receiver of AWS_RECEIVERS) {
            for (const address of args.alertEmails?.[receiver] ?? []) {
                new sns.TopicSubscription(`${name}-${receiver}-${slug(address)}`, {
                    topic: topics[receiver].arn,
                    protocol: "email",
                    endpoint: address,
                }, { parent: this });
            }
        }

        const publishers: Record<AwsReceiver, { rules: pulumi.Output<string>[]; alarms: pulumi.Output<string>[] }> = {
            "kms-critical": { rules: [], alarms: [] },
            "kms-security": { rules: [], alarms: [] },
        };
        const ruleArns: Record<string, pulumi.Output<string>> = {};
        for (const d of DETECTIONS) {
            const rule = new cloudwatch.EventRule(`${name}-${d.id}`, {
                name: `${prefix}-kms-${d.id}`,
                description: `${d.title}; notifies ${topicName(prefix, d.receiver)}. Runbook: ${RUNBOOK}#${d.id}`,
                eventPattern: pulumi.output(args.emergencyRoleArn).apply((emergencyRoleArn) => JSON.stringify(d.pattern({ emergencyRoleArn }))),
                state: d.state,
                tags,
            }, { parent: this });
            new cloudwatch.EventTarget(`${name}-${d.id}-target`, {
                rule: rule.name,
                targetId: `${d.receiver}-topic`,
                arn: topics[d.receiver].arn,
                inputTransformer: inputTransformer(d),
            }, { parent: this });
            publishers[d.receiver].rules.push(rule.arn);
            ruleArns[d.id] = rule.arn;
        }

        // Drift reports of the scheduled drift workflow (documents/aws/drift-events.ts): the event's
        // detail is already a Chatbot custom notification, forwarded as is.
        const driftRule = new cloudwatch.EventRule(`${name}-${DRIFT_RULE_ID}`, {
            name: driftRuleName(prefix),
            description: `Drift reports of the drift workflow; notifies ${topicName(prefix, "kms-security")}. Runbook: docs/runbooks/drift.md`,
            eventPattern: JSON.stringify(driftEventPattern()),
            state: "ENABLED",
            tags,
        }, { parent: this });
        new cloudwatch.EventTarget(`${name}-${DRIFT_RULE_ID}-target`, {
            rule: driftRule.name,
            targetId: "kms-security-topic",
            arn: topics["kms-security"].arn,
            inputPath: "$.detail",
        }, { parent: this });
        publishers["kms-security"].rules.push(driftRule.arn);

        if (trail !== undefined) {
            // Looked up at preview: a group that does not exist in this account and region fails the
            // preview with the group's name, instead of every metric filter failing at apply
            // (PutMetricFilter: ResourceNotFoundException).
            const group = cloudwatch.getLogGroupOutput({ name: trail }, { parent: this });
            for (const a of TRAIL_ALARMS) {
                new cloudwatch.LogMetricFilter(`${name}-${a.id}-filter`, {
                    name: `${prefix}-${a.id}`,
                    logGroupName: group.name,
                    pattern: a.filterPattern,
                    metricTransformation: { name: a.metricName, namespace: TRAIL_METRIC_NAMESPACE, value: "1" },
                }, { parent: this });
                const alarm = new cloudwatch.MetricAlarm(`${name}-${a.id}-alarm`, {
                    name: `${prefix}-${a.id}`,
                    alarmDescription: `${a.title} (log group ${trail}). Runbook: ${RUNBOOK}#${a.id}`,
                    namespace: TRAIL_METRIC_NAMESPACE,
                    metricName: a.metricName,
                    statistic: "Sum",
                    period: 300,
                    evaluationPeriods: 1,
                    threshold: 1,
                    comparisonOperator: "GreaterThanOrEqualToThreshold",
                    // No matching record in a period is the normal case, not missing data.
                    treatMissingData: "notBreaching",
                    alarmActions: [topics[a.receiver].arn],
                    tags,
                }, { parent: this });
                publishers[a.receiver].alarms.push(alarm.arn);
            }
        }

        for (const receiver of AWS_RECEIVERS) {
            const topic = topics[receiver];
            new sns.TopicPolicy(`${name}-${receiver}-policy`, {
                arn: topic.arn,
                policy: pulumi.all([topic.arn, pulumi.all(publishers[receiver].rules), pulumi.all(publishers[receiver].alarms)])
                    .apply(([topicArn, eventRuleArns, alarmArns]) => JSON.stringify(topicPolicy({
                        ctx, topicArn, allowAmpPublish: args.allowAmpPublish ?? false,
                        eventRuleArns: [...eventRuleArns, ...(args.extraPublishers?.[receiver]?.eventRuleArns ?? [])],
                        alarmArns: [...alarmArns, ...(args.extraPublishers?.[receiver]?.alarmArns ?? [])],
                    }))),
            }, { parent: this });
        }

        this.topicArns = pulumi.output({ "kms-critical": topics["kms-critical"].arn, "kms-security": topics["kms-security"].arn });
        this.topicKeyArn = topicKey.arn;
        this.topicKeyAliasArn = topicKeyAlias.arn;
        this.ruleArns = pulumi.all({ ...ruleArns, [DRIFT_RULE_ID]: driftRule.arn });
        this.registerOutputs({ topicArns: this.topicArns, topicKeyArn: this.topicKeyArn, ruleArns: this.ruleArns });
    }
}
