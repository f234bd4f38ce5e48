import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import { KeyMappingInput, mappingEntry } from "./key-mapping-input";
import { ERRORS_METRIC, FAILED_METRIC, OPERATIONS_METRIC, USAGE_NAMESPACE } from "../../metrics/aws-key-usage";
import { keySlug } from "../../shared/limits";
import { boundedName } from "../../documents/aws/notices";
import { RUNBOOK } from "../../documents/aws/detections";
import { ArnContext } from "../../documents/aws/document";
import {
    CROSS_ACCOUNT_ID, FAILED_OPERATIONS_ID, crossAccountPattern, crossAccountRuleName, crossAccountTransformer, failedOperationsAlarmName,
    failedOperationsPattern, keyFilterPattern,
} from "../../documents/aws/key-usage";

/**
 * Audit of key use: the cross-account detection and the per-key usage filters of
 * documents/aws/key-usage.ts, wired to the security topic.
 */

export interface KeyUsageAuditArgs {
    /** Partition, region and account: the detection watches this account's keys. */
    readonly ctx: ArnContext;
    /** Prefix of every name: rule `<prefix>-kms-cross-account-use`, filters `<prefix>-key-usage-…`, alarm `<prefix>-…`. */
    readonly namePrefix: string;
    /** The CEK↔CMK mapping with the keys' ARNs (every generation), an entry per key: each key's operations and errors are counted. */
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
            for (const keyName of Object.keys(args.mapping)) {
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
