import * as pulumi from "@pulumi/pulumi";
import { KmsAuditLogging } from "./components/gcp/kms-audit-logging";
import { Alerting } from "./components/alerting/alerting";
import { KeyGovernance } from "./components/aws/governance";
import { KmsKeys } from "./components/aws/kms";
import { RotationNotices } from "./components/aws/rotation-notices";
import { KeyUsageAudit } from "./components/aws/key-usage";
import { EmergencyMaterial } from "./components/aws/emergency";
import { CiIdentities } from "./components/ci/identities";
import { EnvironmentProtections } from "./components/github/environments";
import { DriftNotifier } from "./components/github/drift-notifier";
import { ActionsOidc } from "./components/github/oidc";
import { KmsDashboards } from "./components/grafana/dashboards";
import { loadSettings } from "./config/pulumi";
import {
    actionsOidcArgs, adoptExisting, alertingArgs, ciIdentitiesArgs, dashboardsArgs, driftNotifierArgs, emergencyMaterialArgs, environmentProtectionsArgs,
    keyGovernanceArgs, keyMappingInput, keyUsageAuditArgs, kmsAuditLoggingArgs, kmsKeysArgs, rotationNoticesArgs,
} from "./config/to-args";
import { CONTRACT_VERSION, ProgramOutputs } from "./contract/outputs";

/**
 * The whole program: validated settings in, components composed, typed stack outputs out. Pulumi
 * calls the exported function and publishes what it returns as the stack outputs, whose shape is the
 * contract in contract/outputs.ts.
 */
export = function kmsObservability(): ProgramOutputs {
    const settings = loadSettings();
    // Before the first resource: resources listed under kms-observability:adopt are imported, not created.
    adoptExisting(settings);
    const keyGovernance = new KeyGovernance("aws-kms-governance", keyGovernanceArgs(settings));
    const roles = keyGovernance.roles;
    const awsKeys = new KmsKeys("aws-kms-keys", kmsKeysArgs(settings, roles));
    // The CEK↔CMK mapping: published, and named in every rotation notice.
    const keyMapping = keyMappingInput(settings, awsKeys.byKey);
    const rotationNotices = new RotationNotices("aws-key-rotation-notices",
        rotationNoticesArgs(settings, keyMapping, { adminRoleArn: roles.admin.arn, recoveryRoleArn: roles.recovery.arn }));
    new KeyUsageAudit("aws-key-usage", keyUsageAuditArgs(settings, keyMapping, keyGovernance.topicArns.apply((t) => t["kms-security"])));
    const emergencyArgs = emergencyMaterialArgs(settings, roles);
    const emergency = emergencyArgs && new EmergencyMaterial("aws-emergency", emergencyArgs);
    const gcpAudit = new KmsAuditLogging("kms-audit", kmsAuditLoggingArgs(settings));
    const githubEnvironments = new EnvironmentProtections("github", environmentProtectionsArgs(settings));
    const githubOidc = new ActionsOidc("github-oidc", actionsOidcArgs(settings, githubEnvironments, awsKeys, gcpAudit.auditDataset));
    // The scheduled drift workflow of this repository reports to kms-security through this role.
    new DriftNotifier("drift-notifier", driftNotifierArgs(settings, githubOidc.providerArn));
    const ciArgs = ciIdentitiesArgs(settings, githubEnvironments, githubOidc.providerArn, awsKeys.keyArns);
    if (ciArgs) new CiIdentities("ci", ciArgs);
    // AMP reuses the KMS key-event topics for the receivers they stand for.
    const alerting = new Alerting("alerting", alertingArgs(settings, {
        "kms-critical": keyGovernance.topicArns.apply((t) => t["kms-critical"]),
        "kms-security": keyGovernance.topicArns.apply((t) => t["kms-security"]),
    }, roles));
    const dashboards = new KmsDashboards("kms-dashboards", dashboardsArgs(settings, alerting.outputs.amp?.queryUrl, {
        dataset: gcpAudit.datasetId, logMetricNames: gcpAudit.logMetricNames,
    }));
    return {
        contractVersion: CONTRACT_VERSION,
        environment: settings.environment,
        aws: {
            region: settings.providers["aws:region"],
            accountId: settings.aws.accountId,
            keyArns: awsKeys.keyArns,
            aliases: awsKeys.aliases,
            roleArns: keyGovernance.roleArns,
            topicArns: keyGovernance.topicArns,
            topicKeyArn: keyGovernance.topicKeyArn,
            keyMapping: pulumi.all(keyMapping),
            rotationNoticeTopicArns: rotationNotices.topicArns,
            ...(emergency ? { emergencySecretArn: emergency.secretArn } : {}),
        },
        alerting: alerting.outputs,
        github: {
            environments: githubEnvironments.environments,
            roleArns: githubOidc.roleArns,
        },
        gcp: {
            auditDataset: gcpAudit.auditDataset,
            datasetId: gcpAudit.datasetId,
            bucketName: gcpAudit.bucketName,
            bucketUrl: gcpAudit.bucketUrl,
            sinkNames: gcpAudit.sinkNames,
            sinkWriterIdentities: gcpAudit.sinkWriterIdentities,
            logMetricNames: gcpAudit.logMetricNames,
        },
        grafana: {
            folderUid: dashboards.folderUid,
            dashboardUrls: dashboards.dashboardUrls,
            dataSourceUids: dashboards.dataSourceUids,
        },
    };
};
