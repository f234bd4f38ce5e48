import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { keyMappingSchema } from "./key-mapping";

/**
 * The stack outputs other teams consume, as one schema. Removing, renaming or retyping an output is a
 * breaking change: bump the major `CONTRACT_VERSION` (the snapshot test enforces it). Adding is a minor
 * bump. No output may carry a secret.
 *
 * Consumers parse with this schema, so it tolerates additions (zod's default strips unknown keys): a
 * stack on a newer minor version never breaks an older consumer. The producer's exactness is checked
 * by `strictSchema` (contract/snapshot.ts) in the tests only. This file and consumer.ts are the
 * published package `@ledger-mind/kms-observability-contract` (contract/package.json): they import
 * nothing but zod and @pulumi/pulumi.
 */
export const CONTRACT_VERSION = "1.1.0";

const arn = (service: string) => z.string().regex(new RegExp(`^arn:aws:${service}:`), { error: `must be an ${service} ARN` });
const byName = <T extends z.ZodType>(v: T) => z.record(z.string(), v);

export const stackOutputsSchema = z.object({
    contractVersion: z.string().regex(/^\d+\.\d+\.\d+$/).describe("Semantic version of this contract; consumers check the major."),
    environment: z.enum(["staging", "prod"]).describe("Which deployment the stack is."),
    aws: z.object({
        region: z.string().describe("AWS region of the keys, roles and topics."),
        accountId: z.string().regex(/^\d{12}$/).describe("AWS account id."),
        keyArns: byName(arn("kms")).describe("KMS key ARN by configured key name."),
        aliases: byName(z.string().startsWith("alias/")).describe("KMS alias (alias/<name>) by key name."),
        roleArns: z.object({
            admin: arn("iam").describe("KeyManagementAdmin role (MFA)."),
            emergency: arn("iam").describe("EmergencyKeyAdmin break-glass role (MFA within 5 minutes, 1 h sessions)."),
            recovery: arn("iam").describe("KeyRecoveryAdmin role (CancelKeyDeletion, EnableKey)."),
        }),
        topicArns: byName(arn("sns")).describe("Key-event SNS topic ARN by receiver (kms-critical, kms-security)."),
        topicKeyArn: arn("kms").describe("KMS key encrypting the alert topics (grant kms:Decrypt to subscribers that need it)."),
        keyMapping: keyMappingSchema.describe("CEK↔CMK mapping by key name: kind, spec, rotation, team and the SQL Server keys each KMS key protects (contract/key-mapping.ts)."),
        rotationNoticeTopicArns: byName(arn("sns")).describe("Key-rotation notice SNS topic ARN by team."),
        emergencySecretArn: arn("secretsmanager").optional().describe("Secrets Manager secret with the emergency contacts and procedures (break-glass roles only); present when kms-observability:aws.emergency is set."),
    }),
    gcp: z.object({
        auditDataset: z.string().regex(/^[a-z][a-z0-9-]+:\w+$/).describe("Audit BigQuery dataset as project:dataset."),
        datasetId: z.string().describe("Audit BigQuery dataset id."),
        bucketName: z.string().describe("GCS archive bucket of the audit logs."),
        bucketUrl: z.string().startsWith("gs://").describe("gs:// URL of the archive bucket."),
        sinkNames: z.object({ bigquery: z.string(), storage: z.string() }).describe("Log sink names by destination."),
        sinkWriterIdentities: z.object({ bigquery: z.string(), storage: z.string() })
            .describe("Writer identity (serviceAccount:...) of each sink."),
        logMetricNames: byName(z.string()).describe("Log-based metric names by event kind."),
    }),
    alerting: z.object({
        amp: z.object({
            workspaceId: z.string().describe("Amazon Managed Prometheus workspace id."),
            workspaceArn: arn("aps").describe("Workspace ARN."),
            remoteWriteUrl: z.url().describe("remote_write URL (SigV4, service aps)."),
            queryUrl: z.url().describe("Prometheus query API URL."),
            writerRoleArn: arn("iam").describe("Role with aps:RemoteWrite that teams shipping metrics assume."),
            topicArns: byName(arn("sns")).describe("SNS topic ARN by Alertmanager receiver."),
        }).optional().describe("Present when kms-observability:amp.enabled."),
        grafana: z.object({
            contactPoints: z.array(z.string()).describe("Grafana contact point names (one per receiver)."),
            muteTiming: z.string().describe("Maintenance mute timing name."),
            templateName: z.string().describe("Notification template name."),
        }).optional().describe("Present when kms-observability:grafanaAlerting.enabled."),
    }),
    grafana: z.object({
        folderUid: z.string().describe("Folder holding the dashboards."),
        dashboardUrls: byName(z.url()).describe("Dashboard URL by dashboard uid."),
        dataSourceUids: byName(z.string()).describe("Data source uid by role (prometheus, audit...)."),
    }),
    github: z.object({
        environments: byName(z.array(z.string())).describe("Environment names by repository."),
        roleArns: byName(byName(arn("iam"))).describe("OIDC deploy/rotation role ARN by repository and environment."),
    }),
});

/** The stack outputs as consumers read them. */
export type StackOutputs = z.infer<typeof stackOutputsSchema>;

/** Each leaf may still be an Output inside the program; the shape is the contract's. */
export type Outputs<T> = T extends string | number | boolean | null | undefined
    ? pulumi.Input<T>
    : T extends readonly (infer U)[] ? pulumi.Input<Outputs<U>[]>
    : pulumi.Input<{ [K in keyof T]: Outputs<T[K]> }>;

/** What the program returns: exactly the contract's top-level keys. */
export type ProgramOutputs = { [K in keyof StackOutputs]-?: Outputs<StackOutputs[K]> };
