import { PolicyViolation } from "./plan";

/**
 * Where in the stack file a policy violation comes from: the config key that produced the resource
 * (the program derives every resource from one section). Rules with a more precise source name it;
 * otherwise the resource type's section. Undefined when no config key drives the resource.
 */
const BY_RULE: Readonly<Record<string, string>> = {
    "aws-kms-key-rotation": "kms-observability:aws.keys[].rotationDays",
    "aws-kms-deletion-window-prod": "kms-observability:aws.keys[].deletionWindowDays",
    "aws-kms-policy-root-own-account": "kms-observability:aws.accountId / kms-observability:aws.deployers",
    "aws-kms-policy-mfa-deny-exempts-deployer": "kms-observability:aws.deployers",
    "aws-iam-emergency-role-mfa": "kms-observability:aws.trustedPrincipals",
    "aws-iam-emergency-role-session": "kms-observability:aws.trustedPrincipals",
    "aws-iam-github-oidc-sub-own-owner": "github:owner / kms-observability:github.repositories",
    "github-production-branch-pattern-pinned": "kms-observability:github.repositories[].environments.production.branches",
    "github-production-reviewers": "kms-observability:github.repositories[].environments.production.reviewers",
    "grafana-folder-permission-role-ceiling": "kms-observability:grafana.permissions",
    "gcp-bucket-retention-prod": "kms-observability:gcp.bucket.retentionDays",
    "gcp-bucket-lifecycle-keeps-retention": "kms-observability:gcp.bucket.lifecycle",
    "stack-stateful-protected": "kms-observability:protectStateful",
    "stack-stateful-retained": "kms-observability:protectStateful",
};

/** The config section behind each resource type (first match of the type token's prefix). */
const BY_TYPE: readonly [RegExp, string][] = [
    [/^aws:(kms|iam)\//, "kms-observability:aws"],
    [/^aws:(amp|chatbot|sns)\//, "kms-observability:amp / kms-observability:alerting"],
    [/^aws:cloudwatch\//, "kms-observability:aws"],
    [/^gcp:/, "kms-observability:gcp"],
    [/^github:/, "kms-observability:github"],
    [/^grafana:alerting\//, "kms-observability:grafanaAlerting / kms-observability:alerting"],
    [/^grafana:/, "kms-observability:grafana"],
];

/** "Pulumi.prod.yaml: kms-observability:aws.keys[].rotationDays" for a violation, or undefined. */
export function violationSource(file: string, v: PolicyViolation, type: string | undefined): string | undefined {
    const key = BY_RULE[v.policy] ?? (type ? BY_TYPE.find(([re]) => re.test(type))?.[1] : undefined);
    return key ? `${file}: ${key}` : undefined;
}
