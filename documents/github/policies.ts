import { createHash } from "crypto";
import type * as iam from "@pulumi/aws/iam";
import { PolicyDocument, policyDocument, uniqueSorted } from "../aws/document";

/** GitHub Actions' OIDC issuer, as IAM names it in condition keys (host, no scheme). */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** The issuer URL the IAM OIDC provider is registered with. */
export const GITHUB_OIDC_URL = `https://${GITHUB_OIDC_HOST}`;
/** The audience aws-actions/configure-aws-credentials requests: the only client id the provider accepts. */
export const STS_AUDIENCE = "sts.amazonaws.com";

/** Exactly what the rotation workflow calls: resolve an alias, check rotation, rotate. */
export const ROTATION_ACTIONS = ["kms:DescribeKey", "kms:GetKeyRotationStatus", "kms:RotateKeyOnDemand"] as const;

/**
 * The `sub` claim of a job that runs in a deployment environment. GitHub puts the environment in
 * the subject only for jobs that declare `environment:`, and only after its protection rules
 * (reviewers, branch policy) passed: pinning it is what makes the protections guard the role.
 */
export const environmentSubject = (owner: string, repository: string, environment: string): string =>
    `repo:${owner}/${repository}:environment:${environment}`;

/** A trust policy for web identity federation (the Principal shape differs from AWS/Service principals). */
export interface WebIdentityTrustPolicy extends iam.PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: [{
        readonly Sid: string;
        readonly Effect: "Allow";
        readonly Principal: { readonly Federated: string };
        readonly Action: "sts:AssumeRoleWithWebIdentity";
        readonly Condition: { readonly StringEquals: Record<string, string> };
    }];
}

/**
 * Who may assume an environment's role: GitHub's OIDC provider, for tokens minted for STS and for
 * jobs of exactly one repository and environment. StringEquals, never StringLike: a wildcard
 * would let a fork, a pull request or another environment of the repository in.
 */
export function githubTrustPolicy(providerArn: string, owner: string, repository: string, environment: string): WebIdentityTrustPolicy {
    return {
        Version: "2012-10-17",
        Statement: [{
            Sid: "GitHubActionsEnvironment",
            Effect: "Allow",
            Principal: { Federated: providerArn },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
                StringEquals: {
                    [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE,
                    [`${GITHUB_OIDC_HOST}:sub`]: environmentSubject(owner, repository, environment),
                },
            },
        }],
    };
}

/**
 * The rotation role's permissions: the three rotation actions on this stack's keys, by key ARN
 * (KMS authorizes calls made through an alias against the key, so aliases need no statement).
 */
export function rotationPolicy(keyArns: readonly string[]): PolicyDocument {
    if (keyArns.length === 0) throw new Error("no KMS key ARNs: the rotation role would have nothing to rotate");
    return policyDocument({
        Sid: "RotateThisStacksKeys",
        Effect: "Allow",
        Action: [...ROTATION_ACTIONS],
        Resource: uniqueSorted(keyArns),
    });
}

/** IAM role names are at most 64 characters. */
const ROLE_NAME_MAX = 64;

/**
 * `<prefix>-gh-<repository>-<environment>`, deterministic. A name over IAM's 64 characters is cut
 * to 55 and ends in an 8-hex digest of the full name, so two long names that share a start stay distinct.
 */
export function roleName(prefix: string, repository: string, environment: string): string {
    const full = `${prefix}-gh-${repository}-${environment}`;
    if (full.length <= ROLE_NAME_MAX) return full;
    const digest = createHash("sha256").update(full).digest("hex").slice(0, 8);
    return `${full.slice(0, ROLE_NAME_MAX - digest.length - 1)}-${digest}`;
}
