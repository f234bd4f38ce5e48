/**
 * The documents of this repository's CI identities, as plain data (components/ci/identities.ts wires
 * them). Sources:
 * - GitHub's OIDC subject claims: `repo:OWNER/REPO:pull_request` for a `pull_request` job,
 *   `repo:OWNER/REPO:environment:NAME` for a job in a deployment environment (GitHub docs, "OpenID
 *   Connect reference", subject claims; "About security hardening with OpenID Connect").
 * - AWS: AssumeRoleWithWebIdentity trust with `token.actions.githubusercontent.com:aud` =
 *   sts.amazonaws.com and `:sub` (AWS IAM User Guide, "Configuring a role for GitHub OIDC identity provider").
 * - GCP: workload identity federation with deployment pipelines (cloud.google.com/iam/docs/
 *   workload-identity-federation-with-deployment-pipelines): attribute mapping from assertion claims,
 *   an attribute condition on the repository, `principal://…/subject/<sub>` members.
 */
import { PolicyDocument, policyDocument, uniqueSorted } from "../aws/document";
import { GITHUB_OIDC_HOST, STS_AUDIENCE } from "../github/policies";

/** The GitHub OIDC subject of a pull-request job of `owner/repository`. */
export const pullRequestSubject = (owner: string, repository: string): string => `repo:${owner}/${repository}:pull_request`;
/** The GitHub OIDC subject of a job in deployment environment `environment`. */
export const environmentSubjectOf = (owner: string, repository: string, environment: string): string =>
    `repo:${owner}/${repository}:environment:${environment}`;
/** The read-only environment paired with a deploy environment (`readonly-production`). */
export const readonlyEnvironment = (environment: string): string => `readonly-${environment}`;

/** Trust for GitHub OIDC tokens with exactly these subjects: one statement per subject, StringEquals only. */
export function githubSubjectsTrust(providerArn: string, subjects: readonly string[]) {
    return {
        Version: "2012-10-17" as const,
        Statement: subjects.map((sub, i) => ({
            Sid: `GitHubActions${i}`,
            Effect: "Allow" as const,
            Principal: { Federated: providerArn },
            Action: "sts:AssumeRoleWithWebIdentity" as const,
            Condition: { StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE, [`${GITHUB_OIDC_HOST}:sub`]: sub } },
        })),
    };
}

/**
 * What `pulumi preview`/`refresh` of this program reads in AWS, named action by action (no
 * wildcards: `Get*` would include data reads such as `s3:GetObject`). No `kms:Decrypt`, no secret
 * reads, nothing that writes.
 */
export const READONLY_ACCOUNT_ACTIONS = [
    "kms:ListKeys", "kms:ListAliases",
    "iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListRoleTags",
    "iam:GetPolicy", "iam:GetPolicyVersion", "iam:GetOpenIDConnectProvider", "iam:ListOpenIDConnectProviders",
    "sns:GetTopicAttributes", "sns:GetSubscriptionAttributes", "sns:ListSubscriptionsByTopic", "sns:ListTagsForResource",
    "events:DescribeRule", "events:ListTargetsByRule", "events:ListTagsForResource",
    "cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource",
    "logs:DescribeLogGroups", "logs:DescribeMetricFilters",
    "aps:DescribeWorkspace", "aps:DescribeRuleGroupsNamespace", "aps:DescribeAlertManagerDefinition", "aps:ListTagsForResource",
    "chatbot:DescribeSlackChannelConfigurations",
] as const;
/** Key-level reads, on this stack's keys only (the pack refuses key-level KMS actions on `*`). */
export const READONLY_KEY_ACTIONS = ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"] as const;

/** The read-only role's permissions. */
export function readonlyPolicy(keyArns: readonly string[]): PolicyDocument {
    return policyDocument(
        { Sid: "ReadAccount", Effect: "Allow", Action: [...READONLY_ACCOUNT_ACTIONS], Resource: "*" },
        keyArns.length ? { Sid: "ReadThisStacksKeys", Effect: "Allow", Action: [...READONLY_KEY_ACTIONS], Resource: uniqueSorted(keyArns) } : undefined,
    );
}

/**
 * GCP roles of the read-only service account: metadata and IAM policies, never data (no
 * bigquery.dataViewer, storage.objectViewer or logging.privateLogViewer: the audit logs are data).
 */
export const GCP_READONLY_ROLES = [
    "roles/iam.securityReviewer", "roles/logging.viewer", "roles/bigquery.metadataViewer", "roles/storage.bucketViewer",
    "roles/monitoring.viewer", "roles/cloudkms.viewer", "roles/iam.workloadIdentityPoolViewer",
] as const;

/** Predefined GCP roles of the deploy service account: what the program manages in the project, no Owner/Editor. */
export const GCP_DEPLOY_ROLES = [
    "roles/logging.configWriter", "roles/bigquery.dataOwner", "roles/resourcemanager.projectIamAdmin",
    "roles/monitoring.editor", "roles/iam.serviceAccountAdmin", "roles/iam.workloadIdentityPoolAdmin",
] as const;

/**
 * Permissions no narrow predefined role carries (roles/storage.admin and roles/cloudkms.admin, which
 * would, include object data and key use): the archive bucket's lifecycle and IAM, and the IAM of the
 * CMEK keys the sinks' service agents encrypt with. Granted through a custom role of the project.
 */
export const GCP_DEPLOY_CUSTOM_PERMISSIONS = [
    "storage.buckets.create", "storage.buckets.delete", "storage.buckets.get", "storage.buckets.list", "storage.buckets.update",
    "storage.buckets.getIamPolicy", "storage.buckets.setIamPolicy",
    "cloudkms.cryptoKeys.get", "cloudkms.cryptoKeys.getIamPolicy", "cloudkms.cryptoKeys.setIamPolicy",
] as const;

/** `principal://` member for one exact subject of a workload identity pool (`projects/N/locations/global/workloadIdentityPools/P`). */
export const poolSubjectMember = (poolName: string, subject: string): string => `principal://iam.googleapis.com/${poolName}/subject/${subject}`;

/**
 * The provider's attribute condition: tokens of one repository only, and only for pull requests or
 * the named environments. A CEL expression (GCP evaluates it on every token exchange).
 */
export function attributeCondition(owner: string, repository: string, environments: readonly string[]): string {
    const envs = uniqueSorted(environments).map((e) => `'${e}'`).join(", ");
    return `assertion.repository == '${owner}/${repository}' && (assertion.event_name == 'pull_request' || (has(assertion.environment) && assertion.environment in [${envs}]))`;
}

/** How the provider maps claims: the subject is the exact `sub`, the rest for conditions and audit logs. */
export const ATTRIBUTE_MAPPING: Readonly<Record<string, string>> = {
    "google.subject": "assertion.sub",
    "attribute.repository": "assertion.repository",
    "attribute.event_name": "assertion.event_name",
    "attribute.environment": "assertion.environment",
    "attribute.ref": "assertion.ref",
};
