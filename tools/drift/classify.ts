/**
 * What a drift means, by resource type and property: `critical` when it changes a control the
 * security team must prove stayed in place (who may decrypt, who approves production deployments,
 * what is audited and where alerts go), `warning` when it is cosmetic (descriptions, tags, titles).
 * Every resource type the program creates has an entry; a test walks the staging and prod plans.
 */

export type DriftClass = "critical" | "warning";

export interface TypeClass {
    /** What the resource controls, in the words of the report. */
    readonly control: string;
    /** The class of a property not listed below, and of the resource appearing or vanishing. */
    readonly class: DriftClass;
    /** Properties (first path segment) that are cosmetic on this type, beyond COSMETIC. */
    readonly cosmetic?: readonly string[];
    /** Properties that are critical on this type even though COSMETIC or `class` say otherwise. */
    readonly critical?: readonly string[];
}

/** Cosmetic on every type: they name or describe, they grant and route nothing. */
export const COSMETIC: readonly string[] = [
    "description", "tags", "tagsAll", "labels", "effectiveLabels", "terraformLabels", "pulumiLabels",
    "displayName", "friendlyName", "alarmDescription",
];

const c = (control: string, more: Omit<TypeClass, "control" | "class"> = {}): TypeClass => ({ control, class: "critical", ...more });
const w = (control: string, more: Omit<TypeClass, "control" | "class"> = {}): TypeClass => ({ control, class: "warning", ...more });

/** By Pulumi type token. Types a stack may add later (GCP keys, branch protection) are listed too. */
export const TYPE_CLASSES: Readonly<Record<string, TypeClass>> = {
    // GitHub: who may deploy to which environment, and what the deploying workflows run.
    "github:index/repositoryEnvironment:RepositoryEnvironment": c("deployment protection (required reviewers, self-review, admin bypass, branch policy)"),
    "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy": c("branches allowed to deploy to an environment"),
    "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable": c("role, region and keys the rotation workflow acts on"),
    "github:index/actionsVariable:ActionsVariable": c("a role a workflow of this repository assumes"),
    "github:index/repositoryFile:RepositoryFile": c("a workflow this program commits (what CI runs)", { cosmetic: ["commitMessage", "commitAuthor", "commitEmail"] }),
    "github:index/branch:Branch": c("the branch that carries the rotation workflow proposed for review"),
    "github:index/repositoryPullRequest:RepositoryPullRequest": w("the pull request proposing the rotation workflow", { critical: ["baseRef", "headRef"] }),
    "github:index/branchProtection:BranchProtection": c("branch protection (reviews, status checks)"),
    "github:index/repositoryRuleset:RepositoryRuleset": c("repository ruleset"),
    // AWS KMS: the keys and who may use them.
    "aws:kms/key:Key": c("key policy, state, rotation and deletion window"),
    "aws:kms/alias:Alias": c("the alias applications resolve to a key"),
    "aws:kms/keyPolicy:KeyPolicy": c("key policy"),
    "aws:kms/grant:Grant": c("a grant on a key"),
    "aws:secretsmanager/secret:Secret": c("the emergency-contacts secret: its key and recovery window"),
    "aws:secretsmanager/secretPolicy:SecretPolicy": c("who may read the emergency contacts (break-glass roles only)"),
    "aws:secretsmanager/secretVersion:SecretVersion": c("the emergency contacts and procedures themselves"),
    "aws:scheduler/schedule:Schedule": c("the rotation-due notice for keys rotated by generations"),
    "aws:lambda/function:Function": c("the forwarder that pages PagerDuty and pings the dead man's switch", { cosmetic: ["description"] }),
    "aws:lambda/permission:Permission": c("who may invoke an alert forwarder"),
    "aws:cloudwatch/logGroup:LogGroup": c("an alert forwarder's log retention"),
    // AWS IAM: who may assume what, and with which permissions.
    "aws:iam/role:Role": c("IAM role trust and session limits", { cosmetic: ["path"] }),
    "aws:iam/rolePolicy:RolePolicy": c("IAM role permissions"),
    "aws:iam/policy:Policy": c("IAM managed policy"),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": c("IAM role permissions"),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": c("which OIDC issuer and audiences AWS trusts"),
    // AWS alerting path: detections, topics, subscriptions, Slack.
    "aws:sns/topic:Topic": c("alert topic (encryption, delivery)"),
    "aws:sns/topicPolicy:TopicPolicy": c("who may publish to an alert topic"),
    "aws:sns/topicSubscription:TopicSubscription": c("who receives an alert topic"),
    "aws:cloudwatch/eventRule:EventRule": c("a key-event detection (pattern, enabled state)"),
    "aws:cloudwatch/eventTarget:EventTarget": c("where a detection is delivered"),
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": c("a CloudTrail log detection"),
    "aws:cloudwatch/metricAlarm:MetricAlarm": c("a CloudTrail alarm and its actions"),
    "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration": c("Slack delivery of alert topics", { cosmetic: ["configurationName", "loggingLevel"] }),
    "aws:cloudtrail/trail:Trail": c("audit trail"),
    // AMP: alert rules and the Alertmanager definition (routing).
    "aws:amp/workspace:Workspace": c("Prometheus workspace (encryption)", { cosmetic: ["alias"] }),
    "aws:amp/ruleGroupNamespace:RuleGroupNamespace": c("alert rules"),
    "aws:amp/alertManagerDefinition:AlertManagerDefinition": c("Alertmanager routing and receivers"),
    // GCP: audit configuration, sinks, the audit dataset/bucket and their access.
    "gcp:projects/iAMAuditConfig:IAMAuditConfig": c("Cloud KMS data-access audit logging"),
    "gcp:logging/projectSink:ProjectSink": c("where audit logs are exported"),
    "gcp:logging/organizationSink:OrganizationSink": c("where audit logs are exported"),
    "gcp:logging/folderSink:FolderSink": c("where audit logs are exported"),
    "gcp:logging/metric:Metric": c("a log-based metric the alerts evaluate"),
    "gcp:bigquery/dataset:Dataset": c("the audit dataset (location, expiry, access)"),
    "gcp:bigquery/datasetIamMember:DatasetIamMember": c("access to the audit dataset"),
    "gcp:bigquery/datasetIamBinding:DatasetIamBinding": c("access to the audit dataset"),
    "gcp:storage/bucket:Bucket": c("the audit archive (retention, versioning, public access)"),
    "gcp:storage/bucketIAMMember:BucketIAMMember": c("access to the audit archive"),
    "gcp:storage/bucketIAMBinding:BucketIAMBinding": c("access to the audit archive"),
    "gcp:projects/iAMMember:IAMMember": c("project IAM grant"),
    "gcp:projects/iAMCustomRole:IAMCustomRole": c("a custom IAM role's permissions", { cosmetic: ["title"] }),
    // GCP CI identities: who may impersonate the CI service accounts, and what those may do.
    "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": c("which external identities GCP trusts (workload identity pool)"),
    "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": c("which OIDC issuer, claims and condition GCP trusts"),
    "gcp:serviceaccount/account:Account": c("a service account (enabled or disabled)"),
    "gcp:serviceaccount/iAMMember:IAMMember": c("who may impersonate a service account"),
    "gcp:projects/iAMBinding:IAMBinding": c("project IAM grant"),
    "gcp:kms/keyRing:KeyRing": c("Cloud KMS key ring"),
    "gcp:kms/cryptoKey:CryptoKey": c("Cloud KMS key (rotation, protection level, destroy schedule)"),
    "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": c("who may use a Cloud KMS key"),
    "gcp:kms/cryptoKeyIAMBinding:CryptoKeyIAMBinding": c("who may use a Cloud KMS key"),
    "gcp:kms/keyRingIAMMember:KeyRingIAMMember": c("who may use a Cloud KMS key ring"),
    "gcp:monitoring/alertPolicy:AlertPolicy": c("a Cloud Monitoring alert", { cosmetic: ["documentation"] }),
    "gcp:monitoring/notificationChannel:NotificationChannel": c("where a Cloud Monitoring alert goes"),
    // Grafana: routing, contact points, access to folders, data sources.
    "grafana:alerting/contactPoint:ContactPoint": c("alert contact point (where notifications go)"),
    "grafana:alerting/notificationPolicy:NotificationPolicy": c("alert routing tree"),
    "grafana:alerting/muteTiming:MuteTiming": c("when alerts are muted"),
    "grafana:alerting/messageTemplate:MessageTemplate": c("notification template (what a page says)"),
    "grafana:alerting/ruleGroup:RuleGroup": c("Grafana alert rules"),
    "grafana:oss/dataSource:DataSource": c("a data source dashboards and alerts query", { cosmetic: ["isDefault"] }),
    "grafana:oss/folder:Folder": c("dashboard folder", { cosmetic: ["title"] }),
    "grafana:oss/folderPermission:FolderPermission": c("who may view or edit a folder"),
    "grafana:oss/dashboardPermission:DashboardPermission": c("who may view or edit a dashboard"),
    // A dashboard is visibility, not a control: its content and title are cosmetic; moving it to
    // another folder changes who can see it.
    "grafana:oss/dashboard:Dashboard": w("a dashboard", { cosmetic: ["message"], critical: ["folder"] }),
};

/** Resources with no state in a cloud: the refresh does not read them, so they cannot drift. */
export const STATELESS_TYPE = /^(pulumi:pulumi:Stack|pulumi:providers:.+|kms-observability:[\w-]+:\w+)$/;

export interface Verdict {
    class: DriftClass;
    control: string;
    /** False when the type is unknown here: reported as critical until it is classified. */
    known: boolean;
}

/** The class of a drift on `type` at property `property` (the path's first key; none = the whole resource). */
export function classify(type: string, property?: string): Verdict {
    const t = TYPE_CLASSES[type];
    if (!t) return { class: "critical", control: "unclassified resource type", known: false };
    if (property === undefined) return { class: t.class, control: t.control, known: true };
    if (t.critical?.includes(property)) return { class: "critical", control: t.control, known: true };
    if (COSMETIC.includes(property) || t.cosmetic?.includes(property)) return { class: "warning", control: t.control, known: true };
    return { class: t.class, control: t.control, known: true };
}

/** Whether a type token has a classification (or cannot drift). */
export const isClassified = (type: string): boolean => STATELESS_TYPE.test(type) || type in TYPE_CLASSES;

export const worst = (classes: readonly DriftClass[]): DriftClass => classes.includes("critical") ? "critical" : "warning";
