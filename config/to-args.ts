import * as pulumi from "@pulumi/pulumi";
import { alertLinks } from "../alerts/artifacts";
import { RoutingModel, buildRouting } from "../alerts/routing";
import type { AlertingArgs } from "../components/alerting/alerting";
import type { GovernanceRoleRefs } from "../components/aws/governance";
import { usagePublishers } from "../components/aws/key-usage";
import type { GrafanaCredentialKey } from "../components/alerting/grafana";
import type { KeyGovernanceArgs } from "../components/aws/governance";
import type { EmergencyMaterialArgs } from "../components/aws/emergency";
import type { KmsKeysArgs } from "../components/aws/kms";
import type { CiIdentitiesArgs } from "../components/ci/identities";
import type { DriftNotifierArgs } from "../components/github/drift-notifier";
import type { EnvironmentProtectionsArgs } from "../components/github/environments";
import type { ActionsOidcArgs } from "../components/github/oidc";
import type { AuditInputs, KmsDashboardsArgs } from "../components/grafana/dashboards";
import { RepositorySettings, ciDeployRoleName, declaredEnvironments } from "./github";
import type { RepositoryEnvironments } from "../components/github/repositories";
import { autoRotates } from "../shared/key-kinds";
import type { KeyUsageAuditArgs } from "../components/aws/key-usage";
import type { RotationNoticesArgs } from "../components/aws/rotation-notices";
import type { KmsAuditLoggingArgs } from "../components/gcp/kms-audit-logging";
import { ArnContext, arnContext } from "../documents/aws/document";
import { parseLogGroupArn } from "./aws";
import { DEFAULT_TEAM } from "./key-lifecycle";
import type { KeyMapping } from "../contract/key-mapping";
import { ampRuleNamespaceData } from "../alerts/render-amp";
import { Settings } from "./schema";

/**
 * The one place validated settings become component Args: index.ts reads config, calls these, and
 * composes the components; no component sees the config schema. Values other components produce
 * (roles, topic ARNs, key ARNs) come in as parameters.
 */

/**
 * Who queries the AMP workspace: `amp.queryPrincipals` and the role Grafana's SigV4 data source
 * assumes (`grafana.prometheus.sigV4.assumeRoleArn`), de-duplicated.
 */
export function ampQueryPrincipals(settings: Pick<Settings, "amp" | "grafana">): string[] {
    const grafanaRole = settings.grafana.prometheus.sigV4.assumeRoleArn;
    return [...new Set([...settings.amp.queryPrincipals, ...(grafanaRole ? [grafanaRole] : [])])].sort();
}

/**
 * The config secrets the routing's contact-point integrations name (each Slack channel's webhook,
 * PagerDuty's key): taken by key, so a contact point gets exactly the secret its integration names.
 */
function grafanaCredentials(routing: RoutingModel): GrafanaCredentialKey[] {
    return [...new Set(routing.receivers.flatMap((r) => r.integrations.flatMap((i) => (i.kind === "email" ? [] : [i.credential]))))];
}

/**
 * Alerting: AMP when `amp.enabled`, the Grafana mirror when `grafanaAlerting.enabled` (the config
 * layer requires its `maintenance` then). `existingTopicArns` are the KeyGovernance topics AMP reuses
 * for the receivers they stand for, so KMS key events and Prometheus alerts of one severity reach the
 * same subscribers.
 */
export function alertingArgs(
    settings: Settings,
    existingTopicArns: Readonly<Record<string, pulumi.Input<string>>>,
    keyRoles: Pick<GovernanceRoleRefs, "admin" | "recovery">,
): AlertingArgs {
    const routing = buildRouting(settings.alerting);
    const { amp, grafanaAlerting } = settings;
    return {
        routing,
        amp: amp.enabled ? {
            ctx: arnContext(settings.providers["aws:region"], settings.aws.accountId),
            workspaceAlias: amp.workspaceAlias,
            ruleNamespace: amp.ruleNamespace,
            rules: ampRuleNamespaceData(alertLinks(settings)),
            existingTopicArns,
            namePrefix: settings.aws.namePrefix,
            keyDeployers: settings.aws.deployers,
            writerPrincipals: amp.writerPrincipals,
            keyRoles,
            queryPrincipals: ampQueryPrincipals(settings),
            heartbeatPingUrl: settings.heartbeatPingUrl?.output(),
            pagerdutyRoutingKey: settings.pagerdutyRoutingKey?.output(),
            chatbot: amp.chatbot,
            protectStateful: settings.protectStateful,
            tags: settings.labels,
        } : undefined,
        grafana: grafanaAlerting.enabled && grafanaAlerting.maintenance ? {
            templateName: grafanaAlerting.templateName,
            maintenance: grafanaAlerting.maintenance,
            secrets: Object.fromEntries(grafanaCredentials(routing).flatMap((k) => {
                const v = settings[k];
                return v ? [[k, v.output()]] : [];
            })),
        } : undefined,
    };
}

/** Cloud KMS audit logging in `gcp:project`, labelled with the stack's labels plus `gcp.labels`. */
export function kmsAuditLoggingArgs(settings: Settings): KmsAuditLoggingArgs {
    const { gcp } = settings;
    return {
        project: settings.providers["gcp:project"],
        dataset: gcp.dataset,
        bucket: gcp.bucket,
        extraAuditedServices: gcp.extraAuditedServices,
        organizationId: gcp.organizationId,
        folderId: gcp.folderId,
        labels: { ...settings.labels, ...gcp.labels },
        protectStateful: settings.protectStateful,
    };
}

/** Partition, region and account of the stack's AWS resources. */
export const awsContext = (settings: Settings): ArnContext => arnContext(settings.providers["aws:region"], settings.aws.accountId);

/** The CloudTrail log group's name (`aws.cloudTrailLogGroupArn`), when configured. */
const trailGroupName = (settings: Settings): string | undefined =>
    settings.aws.cloudTrailLogGroupArn === undefined ? undefined : parseLogGroupArn(settings.aws.cloudTrailLogGroupArn).name;

/**
 * Key governance: the roles trusted as `aws.trustedPrincipals` says, the key-event topics; AMP may
 * publish to them when `amp.enabled`, and KeyUsageAudit's rule and alarm publish to kms-security.
 */
export function keyGovernanceArgs(settings: Settings): KeyGovernanceArgs {
    const { aws } = settings;
    const ctx = awsContext(settings);
    return {
        ctx,
        namePrefix: aws.namePrefix,
        deployers: aws.deployers,
        trustedPrincipals: {
            admin: aws.trustedPrincipals.keyManagementAdmin,
            emergency: aws.trustedPrincipals.emergencyKeyAdmin,
            recovery: aws.trustedPrincipals.keyRecoveryAdmin,
        },
        alertEmails: aws.alertEmails,
        topicKey: aws.topicKey,
        cloudTrailLogGroupName: trailGroupName(settings),
        allowAmpPublish: settings.amp.enabled,
        extraPublishers: { "kms-security": usagePublishers(ctx, aws.namePrefix, trailGroupName(settings)) },
        protect: settings.protectStateful,
        tags: settings.labels,
    };
}

/** The KMS-governance roles the notice topics' key names. */
type NoticeKeyRoles = { readonly adminRoleArn: pulumi.Input<string>; readonly recoveryRoleArn: pulumi.Input<string> };

/**
 * Rotation notices for every key of `aws.keys`. Subscribers per team: `aws.teams.<team>.emails`; the
 * platform team without its own entry falls back to the kms-security addresses; a team a key names
 * but config does not list gets a topic without subscribers.
 */
export function rotationNoticesArgs(settings: Settings, mapping: pulumi.Input<KeyMapping>, roles: NoticeKeyRoles): RotationNoticesArgs {
    const { aws } = settings;
    const teams = [...new Set([...Object.keys(aws.teams), ...aws.keys.map((k) => k.team)])].sort();
    const emails = (team: string) => aws.teams[team]?.emails ?? (team === DEFAULT_TEAM ? aws.alertEmails["kms-security"] : []);
    return {
        ctx: awsContext(settings),
        namePrefix: aws.namePrefix,
        keys: aws.keys,
        teamEmails: Object.fromEntries(teams.map((t) => [t, emails(t)])),
        deployers: aws.deployers,
        topicKey: aws.topicKey,
        mapping,
        ...roles,
        protect: settings.protectStateful,
        tags: settings.labels,
    };
}

/** Key-usage audit of every key of `aws.keys`, counted from the CloudTrail log group when configured. */
export function keyUsageAuditArgs(settings: Settings, mapping: pulumi.Input<KeyMapping>, securityTopicArn: pulumi.Input<string>): KeyUsageAuditArgs {
    return {
        ctx: awsContext(settings),
        namePrefix: settings.aws.namePrefix,
        keyNames: settings.aws.keys.map((k) => k.name),
        mapping,
        securityTopicArn,
        cloudTrailLogGroupName: trailGroupName(settings),
        failedOperationsThreshold: settings.aws.failedKeyOperationsThreshold,
        tags: settings.labels,
    };
}

/** The stack's data keys (`aws.keys`), governed by the KeyGovernance roles. */
export function kmsKeysArgs(settings: Settings, roles: GovernanceRoleRefs): KmsKeysArgs {
    return {
        keys: settings.aws.keys, ctx: awsContext(settings), deployers: settings.aws.deployers, roles,
        protect: settings.protectStateful, tags: settings.labels,
    };
}

/** The emergency material when `aws.emergency` is set: its document lists every key's stable alias. */
export function emergencyMaterialArgs(settings: Settings, roles: GovernanceRoleRefs): EmergencyMaterialArgs | undefined {
    const { aws } = settings;
    return aws.emergency && {
        contacts: aws.emergency.contacts, recoveryWindowDays: aws.emergency.recoveryWindowDays, environment: settings.environment, namePrefix: aws.namePrefix, ctx: awsContext(settings),
        emergencyRoleArn: roles.emergency.arn, recoveryRoleArn: roles.recovery.arn, adminRoleArn: roles.admin.arn,
        deployers: aws.deployers, aliases: aws.keys.map((k) => `alias/${k.name}`), protect: settings.protectStateful, tags: settings.labels,
    };
}

/** `github.repositories` with their environments, named by their place in the stack config for messages. */
export function githubRepositories(repositories: readonly RepositorySettings[]): RepositoryEnvironments[] {
    return repositories.map((r, i) => ({
        name: r.name,
        configPath: `github.repositories[${i}]`,
        environments: declaredEnvironments(r, i).map((e) => ({
            name: e.environment, configPath: e.configPath, waitTimer: e.waitTimer, branches: e.branches, tags: e.tags, reviewers: e.reviewers,
        })),
    }));
}

/** The environments of `github.repositories` in `github:owner`. */
export function environmentProtectionsArgs(settings: Settings): EnvironmentProtectionsArgs {
    return { owner: settings.providers["github:owner"], repositories: githubRepositories(settings.github.repositories), protectStateful: settings.protectStateful };
}

/**
 * The rotation roles and workflow. The kms-rotate workflow rotates on demand, so it gets only the
 * keys AWS can rotate (sign and mac keys rotate by generations, through the stack file).
 */
export function actionsOidcArgs(
    settings: Settings,
    environments: ActionsOidcArgs["environments"],
    keys: { readonly keyArns: pulumi.Output<Record<string, string>>; readonly aliases: pulumi.Output<Record<string, string>> },
    auditDataset: pulumi.Input<string>,
): ActionsOidcArgs {
    const autoRotated = new Set(settings.aws.keys.filter((k) => autoRotates(k.kind)).map((k) => k.name));
    const autoRotatedOnly = (byName: Record<string, string>) => Object.fromEntries(Object.entries(byName).filter(([n]) => autoRotated.has(n)));
    const repos = settings.github.repositories;
    return {
        owner: settings.providers["github:owner"],
        // Roles for the repositories with `kmsRotation`; the workflow proposed where `commitRotationWorkflow`.
        repositories: githubRepositories(repos).flatMap((r, i) => repos[i].kmsRotation ? [{ ...r, proposeRotationWorkflow: repos[i].commitRotationWorkflow }] : []),
        environments,
        oidcProviderArn: settings.github.oidcProviderArn,
        namePrefix: settings.aws.namePrefix,
        keyArns: keys.keyArns.apply(autoRotatedOnly),
        keyAliases: keys.aliases.apply(autoRotatedOnly),
        region: settings.providers["aws:region"],
        auditDataset,
        tags: settings.labels,
        protectStateful: settings.protectStateful,
    };
}

/** The drift notifier of this program's own repository (named like the Pulumi project). */
export function driftNotifierArgs(settings: Settings, oidcProviderArn: pulumi.Input<string>): DriftNotifierArgs {
    return {
        owner: settings.providers["github:owner"], repository: pulumi.getProject(), stackEnvironment: settings.environment,
        oidcProviderArn, namePrefix: settings.aws.namePrefix, ctx: awsContext(settings), tags: settings.labels,
    };
}

/**
 * The CI identities when `github.ci` is set. The config layer checked that the CI repository declares
 * exactly one environment: this stack's deploy environment.
 */
export function ciIdentitiesArgs(
    settings: Settings,
    environments: CiIdentitiesArgs["environments"],
    oidcProviderArn: pulumi.Input<string>,
    keyArns: pulumi.Input<Record<string, string>>,
): CiIdentitiesArgs | undefined {
    const ci = settings.github.ci;
    if (!ci) return undefined;
    const owner = settings.providers["github:owner"];
    const repo = settings.github.repositories.find((r) => r.name === ci.repository);
    return {
        owner,
        repository: ci.repository,
        deployEnvironment: repo?.environments.production ? "production" : "staging",
        environments,
        variableSuffix: settings.environment.toUpperCase(),
        pulumiStack: `${ci.pulumiOrganization ?? owner}/${settings.stack}`,
        oidcProviderArn,
        namePrefix: settings.aws.namePrefix,
        deployRoleName: ciDeployRoleName(ci, settings.aws.namePrefix),
        deployPolicyArns: ci.deployPolicyArns,
        keyArns,
        region: settings.providers["aws:region"],
        gcpProject: settings.providers["gcp:project"],
        tags: settings.labels,
        protectStateful: settings.protectStateful,
    };
}

/** The dashboards folder: Prometheus through AMP when it is enabled, the audit data of KmsAuditLogging. */
export function dashboardsArgs(settings: Settings, ampQueryEndpoint: pulumi.Input<string> | undefined, audit: Omit<AuditInputs, "project" | "location">): KmsDashboardsArgs {
    const { grafana } = settings;
    return {
        folder: grafana.folder,
        permissions: grafana.permissions,
        dashboardInput: { dashboards: grafana.dashboards, prometheus: grafana.prometheus, cloudWatch: grafana.cloudWatch, audit: grafana.audit },
        awsRegion: settings.providers["aws:region"],
        ampQueryEndpoint,
        audit: { ...audit, project: settings.providers["gcp:project"], location: settings.gcp.dataset.location },
        auditServiceAccountKey: settings.grafanaAuditServiceAccountKey?.output(),
    };
}
