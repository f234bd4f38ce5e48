import { isPinnedRefPattern } from "../shared/limits";
import { PolicyResource, Rule, SECRET, resourceRule, stackRule } from "./rule";
import { asArray, asObject, isTrue, show } from "./values";

export const GH_ENVIRONMENT = "github:index/repositoryEnvironment:RepositoryEnvironment";
export const GH_DEPLOYMENT_POLICY = "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy";
export const GH_ENV_VARIABLE = "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable";

/** GitHub accepts at most 6 required reviewers per environment. */
export const MAX_REVIEWERS = 6;

/** Shapes of credentials that must never sit in a plain (readable) Actions variable. */
const CREDENTIAL_SHAPES: { what: string; re: RegExp }[] = [
    { what: "an AWS access key id", re: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
    { what: "a GitHub token", re: /\b(ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}/ },
    { what: "a Slack token or webhook", re: /xox[abposr]-[A-Za-z0-9-]+|hooks\.slack\.com\/services\// },
    { what: "a Grafana service account token", re: /\bglsa_[A-Za-z0-9_]{20,}/ },
    { what: "a Google API key", re: /\bAIza[0-9A-Za-z_-]{35}\b/ },
    { what: "a private key", re: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
];

/** The GitHub environment that gates production deploys (`production`, `prod`). */
const isProductionEnv = (r: PolicyResource) => /^prod(uction)?$/i.test(String(r.props.environment ?? ""));
const reviewerIds = (r: PolicyResource) => asArray(r.props.reviewers).map(asObject).flatMap((x) => [...asArray(x.teams), ...asArray(x.users)]);
const label = (r: PolicyResource) => `${show(r.props.repository)}/${show(r.props.environment)}`;

/** A resource rule that applies to production GitHub environments only. */
const productionEnvRule = (name: string, description: string, check: (r: PolicyResource) => string[]) =>
    resourceRule({ name, description, types: [GH_ENVIRONMENT], check: (r) => (isProductionEnv(r) ? check(r) : []) });

export const githubRules: Rule[] = [
    productionEnvRule("github-production-reviewers",
        "Production environments require at least one reviewer (team or user).",
        (r) => (reviewerIds(r).length ? [] : [`${label(r)} has no required reviewers: anyone with write access could deploy`])),
    productionEnvRule("github-production-prevent-self-review",
        "Production environments prevent self-review (preventSelfReview = true): who triggers a deploy cannot approve it.",
        (r) => (isTrue(r.props.preventSelfReview) ? [] : [`${label(r)} has preventSelfReview = ${show(r.props.preventSelfReview)}: must be true`])),
    productionEnvRule("github-production-no-admin-bypass",
        "Production environments do not let admins bypass protections (canAdminsBypass = false; the provider's default is true).",
        (r) => (r.props.canAdminsBypass === false || r.props.canAdminsBypass === "false" ? []
            : [`${label(r)} has canAdminsBypass = ${show(r.props.canAdminsBypass)}: set it to false (unset means true)`])),
    productionEnvRule("github-production-custom-branch-policy",
        "Production environments deploy only from custom branch policies (customBranchPolicies = true, protectedBranches = false).",
        (r) => {
            const p = asObject(r.props.deploymentBranchPolicy);
            return isTrue(p.customBranchPolicies) && !isTrue(p.protectedBranches) ? []
                : [`${label(r)} has deploymentBranchPolicy = ${show(r.props.deploymentBranchPolicy)}: must be { customBranchPolicies: true, protectedBranches: false }`];
        }),
    resourceRule({
        name: "github-reviewers-within-limit",
        description: `Environments list at most ${MAX_REVIEWERS} reviewers (GitHub's limit; more fails at apply).`,
        types: [GH_ENVIRONMENT],
        check: (r) => (reviewerIds(r).length > MAX_REVIEWERS ? [`${label(r)} lists ${reviewerIds(r).length} reviewers; GitHub accepts ${MAX_REVIEWERS}`] : []),
    }),
    resourceRule({
        name: "github-production-branch-pattern-pinned",
        description: "Deployment policies of production environments name branches or tags: a literal name, or a literal directory then a wildcard (`release/*`); `*`, `**`, `?*`, `[a-z]*`, `{main,*}` would let (nearly) any branch deploy.",
        types: [GH_DEPLOYMENT_POLICY],
        check: (r) => {
            if (!isProductionEnv(r)) return [];
            const pattern = String(r.props.branchPattern ?? r.props.tagPattern ?? "");
            return isPinnedRefPattern(pattern) ? [] : [`${label(r)} allows the pattern ${show(pattern)}, which is not a literal ref or a literal directory then a wildcard: it matches branches nobody reviewed`];
        },
    }),
    resourceRule({
        name: "github-variable-no-credentials",
        description: "Actions environment variables (readable by anyone with repository read access) carry no secret value or credential.",
        types: [GH_ENV_VARIABLE],
        check: (r) => {
            const value = String(r.props.value ?? "");
            if (value === SECRET) return [`variable ${show(r.props.variableName)} gets a secret value: use an Actions environment secret`];
            return CREDENTIAL_SHAPES.filter((c) => c.re.test(value)).map((c) => `variable ${show(r.props.variableName)} holds what looks like ${c.what}`);
        },
    }),
    stackRule({
        name: "github-production-has-branch-policies",
        description: "A production environment with custom branch policies has at least one deployment policy (otherwise nothing can deploy).",
        types: [GH_ENVIRONMENT, GH_DEPLOYMENT_POLICY],
        check: (resources) => {
            const covered = new Set(resources.filter((r) => r.type === GH_DEPLOYMENT_POLICY).flatMap((r) => r.dependsOn));
            return resources.filter((r) => r.type === GH_ENVIRONMENT && isProductionEnv(r) &&
                isTrue(asObject(r.props.deploymentBranchPolicy).customBranchPolicies) && !covered.has(r.urn))
                .map((r) => ({ urn: r.urn, message: `${label(r)} uses custom branch policies but has no ${GH_DEPLOYMENT_POLICY}` }));
        },
    }),
];
