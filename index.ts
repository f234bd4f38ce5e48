import * as pulumi from "@pulumi/pulumi";
import { KmsAuditLogging } from "./components/gcp/kms-audit-logging";
import { Alerting } from "./components/alerting/alerting";
import { KeyGovernance } from "./components/aws/governance";
import { KmsKeys } from "./components/aws/kms";
import { keyMappingOf } from "./components/aws/key-kinds";
import { autoRotates } from "./config/key-lifecycle";
import { RotationNotices } from "./components/aws/rotation-notices";
import { KeyUsageAudit } from "./components/aws/key-usage";
import { EmergencyMaterial } from "./components/aws/emergency";
import { arnContext } from "./components/aws/policies/document";
import { CiIdentities } from "./components/ci/identities";
import { EnvironmentProtections } from "./components/github/environments";
import { DriftNotifier } from "./components/github/drift-notifier";
import { ActionsOidc } from "./components/github/oidc";
import { KmsDashboards } from "./components/grafana/dashboards";
import { ciDeployRoleName } from "./config/github";
import { loadSettings } from "./config/pulumi";
import { alertingArgs, keyGovernanceArgs, keyUsageAuditArgs, kmsAuditLoggingArgs, rotationNoticesArgs } from "./config/to-args";
import { CONTRACT_VERSION, ProgramOutputs } from "./contract/outputs";
import { adoptExisting } from "./components/adoption";

/**
 * The whole program: validated settings in, components composed, typed stack outputs out. Pulumi
 * calls the exported function and publishes what it returns as the stack outputs, whose shape is the
 * contract in contract/outputs.ts.
 */
export = function kmsObservability(): ProgramOutputs {
    const settings = loadSettings();
    // Before the first resource: resources listed under kms-observability:adopt are imported, not created.
    adoptExisting(settings);
    const awsCtx = arnContext(settings.providers["aws:region"], settings.aws.accountId);
    const keyGovernance = new KeyGovernance("aws-kms-governance", keyGovernanceArgs(settings));
    const awsKeys = new KmsKeys("aws-kms-keys", {
        keys: settings.aws.keys, ctx: awsCtx, deployers: settings.aws.deployers, roles: keyGovernance.roles,
        protect: settings.protectStateful, tags: settings.labels,
    });
    // The CEK↔CMK mapping: published, and named in every rotation notice.
    const keyMapping = pulumi.all([awsKeys.keyArns, awsKeys.generationArns])
        .apply(([arns, generations]) => keyMappingOf(settings.aws.keys, arns, generations));
    const rotationNotices = new RotationNotices("aws-key-rotation-notices", rotationNoticesArgs(settings, keyMapping, {
        adminRoleArn: keyGovernance.roles.admin.arn, recoveryRoleArn: keyGovernance.roles.recovery.arn,
    }));
    new KeyUsageAudit("aws-key-usage", keyUsageAuditArgs(settings, keyMapping, keyGovernance.topicArns.apply((t) => t["kms-security"])));
    const emergency = settings.aws.emergency && new EmergencyMaterial("aws-emergency", {
        settings: settings.aws.emergency, environment: settings.environment, namePrefix: settings.aws.namePrefix, ctx: awsCtx,
        emergencyRoleArn: keyGovernance.roles.emergency.arn, recoveryRoleArn: keyGovernance.roles.recovery.arn,
        adminRoleArn: keyGovernance.roles.admin.arn, deployers: settings.aws.deployers,
        aliases: settings.aws.keys.map((k) => `alias/${k.name}`), protect: settings.protectStateful, tags: settings.labels,
    });
    const autoRotated = new Set(settings.aws.keys.filter((k) => autoRotates(k.kind)).map((k) => k.name));
    const autoRotatedOnly = (byName: Record<string, string>) => Object.fromEntries(Object.entries(byName).filter(([n]) => autoRotated.has(n)));
    const gcpAudit = new KmsAuditLogging("kms-audit", kmsAuditLoggingArgs(settings));
    const githubEnvironments = new EnvironmentProtections("github", {
        owner: settings.providers["github:owner"],
        repositories: settings.github.repositories,
        protectStateful: settings.protectStateful,
    });
    const githubOidc = new ActionsOidc("github-oidc", {
        owner: settings.providers["github:owner"],
        repositories: settings.github.repositories,
        environments: githubEnvironments,
        oidcProviderArn: settings.github.oidcProviderArn,
        namePrefix: settings.aws.namePrefix,
        // The kms-rotate workflow rotates on demand: only keys AWS can rotate (sign/mac keys rotate by generations).
        keyArns: awsKeys.keyArns.apply(autoRotatedOnly),
        keyAliases: awsKeys.aliases.apply(autoRotatedOnly),
        region: settings.providers["aws:region"],
        auditDataset: gcpAudit.auditDataset,
        tags: settings.labels,
        protectStateful: settings.protectStateful,
    });
    // The scheduled drift workflow of this repository reports to kms-security through this role.
    new DriftNotifier("drift-notifier", {
        owner: settings.providers["github:owner"],
        repository: pulumi.getProject(),
        stackEnvironment: settings.environment,
        oidcProviderArn: githubOidc.providerArn,
        namePrefix: settings.aws.namePrefix,
        ctx: awsCtx,
        tags: settings.labels,
    });
    const ci = settings.github.ci;
    if (ci) {
        // The config layer checked that the CI repository declares exactly one environment: this stack's deploy environment.
        const ciRepo = settings.github.repositories.find((r) => r.name === ci.repository);
        new CiIdentities("ci", {
            owner: settings.providers["github:owner"],
            repository: ci.repository,
            deployEnvironment: ciRepo?.environments.production ? "production" : "staging",
            environments: githubEnvironments,
            variableSuffix: settings.environment.toUpperCase(),
            pulumiStack: `${ci.pulumiOrganization ?? settings.providers["github:owner"]}/${settings.stack}`,
            oidcProviderArn: githubOidc.providerArn,
            namePrefix: settings.aws.namePrefix,
            deployRoleName: ciDeployRoleName(ci, settings.aws.namePrefix),
            deployPolicyArns: ci.deployPolicyArns,
            keyArns: awsKeys.keyArns,
            region: settings.providers["aws:region"],
            gcpProject: settings.providers["gcp:project"],
            tags: settings.labels,
            protectStateful: settings.protectStateful,
        });
    }
    // AMP reuses the KMS key-event topics for the receivers they stand for.
    const alerting = new Alerting("alerting", alertingArgs(settings, {
        "kms-critical": keyGovernance.topicArns.apply((t) => t["kms-critical"]),
        "kms-security": keyGovernance.topicArns.apply((t) => t["kms-security"]),
    }, keyGovernance.roles));
    const dashboards = new KmsDashboards("kms-dashboards", {
        settings: settings.grafana,
        awsRegion: settings.providers["aws:region"],
        ampQueryEndpoint: alerting.outputs.amp?.queryUrl,
        audit: {
            project: settings.providers["gcp:project"],
            dataset: gcpAudit.datasetId,
            location: settings.gcp.dataset.location,
            logMetricNames: gcpAudit.logMetricNames,
        },
        auditServiceAccountKey: settings.grafanaAuditServiceAccountKey?.output(),
    });
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
            keyMapping,
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
