import { MAX_MFA_AGE_SECONDS, MAX_SESSION_SECONDS } from "../shared/limits";
import { Statement, checkDocument, conditionValues, describePrincipals, grantsAll, isRootPrincipal } from "./iam-document";
import { PolicyResource, Rule, resourceRule } from "./rule";
import { asArray, asNumber, asObject, show } from "./values";

export const IAM_ROLE = "aws:iam/role:Role";
export const IAM_ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
export const IAM_POLICY = "aws:iam/policy:Policy";
export const IAM_ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
export const IAM_OIDC_PROVIDER = "aws:iam/openIdConnectProvider:OpenIdConnectProvider";

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** The audience GitHub's OIDC tokens carry for AWS (aws-actions/configure-aws-credentials). */
export const STS_AUDIENCE = "sts.amazonaws.com";
/** Break-glass and admin sessions end within the hour (seed 004; shared/limits.ts). */
export const EMERGENCY_MAX_SESSION_SECONDS = MAX_SESSION_SECONDS;
/** MFA for a break-glass or admin role must be fresh: within the last 5 minutes (seed 004; shared/limits.ts). */
export const EMERGENCY_MAX_MFA_AGE_SECONDS = MAX_MFA_AGE_SECONDS;

/** The actions a trust policy may allow: assuming the role and tagging the session. */
const TRUST_ACTIONS = ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML", "sts:TagSession", "sts:SetSourceIdentity"];
/** KMS actions that only exist at account level, so `Resource: "*"` is their only form. */
const ACCOUNT_LEVEL_KMS = ["kms:ListKeys", "kms:ListAliases", "kms:CreateKey", "kms:GenerateRandom", "kms:DescribeCustomKeyStores"];
/** AWS managed policies that make a role an administrator. */
const BROAD_MANAGED = /:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess|AWSKeyManagementServicePowerUser)$/;
/**
 * `repo:OWNER/REPO:environment:ENV` or `repo:OWNER/REPO:pull_request`, with no wildcard anywhere. A
 * pull-request subject is pinned too (one repository, one event); what such a role may do is the
 * stack-ci-pr-identity-read-only rule's business.
 */
const PINNED_SUB = /^repo:[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+:(environment:[^*?]+|pull_request)$/;

/** Runs `check` over the Allow statements of a role's trust policy. */
const onTrust = (r: PolicyResource, check: (allows: Statement[]) => string[]) =>
    checkDocument(r.props.assumeRolePolicy, "assumeRolePolicy", (sts) => check(sts.filter((st) => st.effect === "Allow")));

/** Identity policies a resource carries: `policy` of a (role) policy, or a role's inline policies. */
function identityPolicies(r: PolicyResource): { label: string; doc: unknown }[] {
    if (r.type === IAM_ROLE) {
        return asArray(r.props.inlinePolicies).map((p, i) => ({ label: `inline policy ${show(asObject(p).name ?? i)}`, doc: asObject(p).policy }));
    }
    return [{ label: "policy", doc: r.props.policy }];
}

function onIdentityPolicies(r: PolicyResource, check: (st: Statement, label: string) => string[]): string[] {
    return identityPolicies(r).flatMap(({ label, doc }) =>
        checkDocument(doc, label, (sts) => sts.filter((st) => st.effect === "Allow").flatMap((st) => check(st, label))));
}

const roleName = (r: PolicyResource): string => String(r.props.name ?? r.props.namePrefix ?? r.name);
/** Roles named as people's roles: break-glass and every admin role (EmergencyKeyAdmin, KeyManagementAdmin, KeyRecoveryAdmin). */
const HUMAN_ROLE_NAME = /emergency|break-?glass|admin|recovery/i;
/** A principal that is a person, or an account (whose root can delegate to any of its people). */
const isHumanPrincipal = (p: string) => p === "*" || isRootPrincipal(p) || /^arn:aws[a-z-]*:iam::\d{12}:user\//.test(p);
/**
 * Roles people assume: named as break-glass/admin roles, or trusting an IAM user or an account
 * root. Such roles need fresh MFA and short sessions whatever they are called; roles assumed by
 * services, other roles or OIDC are machine roles.
 */
const isEmergencyRole = (r: PolicyResource): boolean => {
    let human = false;
    onTrust(r, (sts) => {
        // By name only where an AWS principal may assume it: OIDC and service roles cannot do MFA.
        human = sts.some((st) => st.principals.aws.some(isHumanPrincipal) || (st.principals.aws.length > 0 && HUMAN_ROLE_NAME.test(roleName(r))));
        return [];
    });
    return human;
};

export const awsIamRules: Rule[] = [
    resourceRule({
        name: "aws-iam-trust-no-wildcard-principal",
        description: "Role trust policies name who may assume the role: no `*` principal, no NotPrincipal.",
        types: [IAM_ROLE],
        check: (r) => onTrust(r, (sts) => sts.filter((st) => st.principals.wildcard || st.notPrincipal)
            .map((st) => `trust statement ${st.id} lets ${st.notPrincipal ? "everyone but NotPrincipal" : `a wildcard principal (${describePrincipals(st)})`} assume the role`)),
    }),
    resourceRule({
        name: "aws-iam-trust-actions-explicit",
        description: `Role trust policies allow only ${TRUST_ACTIONS.join(", ")}, named explicitly (no wildcards, no NotAction).`,
        types: [IAM_ROLE],
        check: (r) => onTrust(r, (sts) => sts.flatMap((st) => {
            if (st.notAction) return [`trust statement ${st.id} uses NotAction`];
            const bad = st.actions.filter((a) => !TRUST_ACTIONS.some((t) => t.toLowerCase() === a.toLowerCase()));
            return bad.length ? [`trust statement ${st.id} allows ${bad.join(", ")}; allowed: ${TRUST_ACTIONS.join(", ")}`] : [];
        })),
    }),
    resourceRule({
        name: "aws-iam-github-oidc-sub-pinned",
        description: `Roles trusted by GitHub OIDC require StringEquals ${GITHUB_OIDC_HOST}:sub = repo:OWNER/REPO:environment:ENV or repo:OWNER/REPO:pull_request (one repository and environment or event, no wildcards) and :aud = ${STS_AUDIENCE}.`,
        types: [IAM_ROLE],
        check: (r) => onTrust(r, (sts) => sts.filter((st) => st.principals.federated.some((f) => f.includes(GITHUB_OIDC_HOST))).flatMap((st) => {
            const out: string[] = [];
            const sub = conditionValues(st, "StringEquals", `${GITHUB_OIDC_HOST}:sub`) ?? [];
            if (conditionValues(st, "StringLike", `${GITHUB_OIDC_HOST}:sub`)) out.push(`trust statement ${st.id} matches :sub with StringLike; pin it with StringEquals`);
            if (sub.length !== 1 || !PINNED_SUB.test(sub[0])) {
                out.push(`trust statement ${st.id} has :sub ${show(sub)}; must be exactly one repo:OWNER/REPO:environment:ENV or repo:OWNER/REPO:pull_request`);
            }
            const aud = conditionValues(st, "StringEquals", `${GITHUB_OIDC_HOST}:aud`) ?? [];
            if (aud.length !== 1 || aud[0] !== STS_AUDIENCE) out.push(`trust statement ${st.id} has :aud ${show(aud)}; must be ${STS_AUDIENCE}`);
            return out;
        })),
    }),
    resourceRule({
        name: "aws-iam-github-oidc-sub-own-owner",
        description: "GitHub OIDC trust names repositories of the stack's own GitHub owner (github:owner) only: another organization's workflow must never assume the role.",
        types: [IAM_ROLE],
        requires: ["identity"],
        check: (r, ctx) => onTrust(r, (sts) => sts.filter((st) => st.principals.federated.some((f) => f.includes(GITHUB_OIDC_HOST))).flatMap((st) =>
            ["StringEquals", "StringLike"].flatMap((op) => conditionValues(st, op, `${GITHUB_OIDC_HOST}:sub`) ?? [])
                .filter((sub) => (/^repo:([^/]+)\//.exec(sub)?.[1] ?? "").toLowerCase() !== ctx.identity?.githubOwner.toLowerCase())
                .map((sub) => `trust statement ${st.id} trusts ${JSON.stringify(sub)}, not a repository of ${ctx.identity?.githubOwner}`))),
    }),
    resourceRule({
        name: "aws-iam-emergency-role-mfa",
        description: `Break-glass and admin roles (named Emergency/Admin/Recovery, or trusting IAM users or an account root) require MFA in every trust statement: aws:MultiFactorAuthPresent = true and aws:MultiFactorAuthAge ≤ ${EMERGENCY_MAX_MFA_AGE_SECONDS} s.`,
        types: [IAM_ROLE],
        check: (r) => (!isEmergencyRole(r) ? [] : onTrust(r, (sts) => sts.flatMap((st) => {
            const out: string[] = [];
            if (!(conditionValues(st, "Bool", "aws:MultiFactorAuthPresent") ?? []).includes("true")) out.push(`trust statement ${st.id} of ${roleName(r)} does not require aws:MultiFactorAuthPresent = true`);
            const ages = ["NumericLessThan", "NumericLessThanEquals"].flatMap((op) => conditionValues(st, op, "aws:MultiFactorAuthAge") ?? []).map(Number);
            if (!ages.length || ages.some((a) => !(a <= EMERGENCY_MAX_MFA_AGE_SECONDS))) {
                out.push(`trust statement ${st.id} of ${roleName(r)} does not bound aws:MultiFactorAuthAge to ${EMERGENCY_MAX_MFA_AGE_SECONDS} s or less (found ${show(ages)})`);
            }
            return out;
        }))),
    }),
    resourceRule({
        name: "aws-iam-emergency-role-session",
        description: `Break-glass and admin roles (as above) have maxSessionDuration ≤ ${EMERGENCY_MAX_SESSION_SECONDS} s (1 hour).`,
        types: [IAM_ROLE],
        check: (r) => {
            // AWS's default maximum session is one hour.
            const max = asNumber(r.props.maxSessionDuration) ?? EMERGENCY_MAX_SESSION_SECONDS;
            return isEmergencyRole(r) && max > EMERGENCY_MAX_SESSION_SECONDS
                ? [`${roleName(r)} allows sessions of ${max} s; break-glass and admin sessions must end within ${EMERGENCY_MAX_SESSION_SECONDS} s`] : [];
        },
    }),
    resourceRule({
        name: "aws-iam-policy-no-kms-star",
        description: "Identity policies (role inline, role policies, managed policies) never grant `kms:*`, `*` or NotAction.",
        types: [IAM_ROLE, IAM_ROLE_POLICY, IAM_POLICY],
        check: (r) => onIdentityPolicies(r, (st, label) => (grantsAll(st, "kms")
            ? [`${label} statement ${st.id} grants ${st.notAction ? "NotAction" : st.actions.join(", ")}; list the KMS actions the role needs`] : [])),
    }),
    resourceRule({
        name: "aws-iam-kms-scoped-to-keys",
        description: "Identity policies grant key-level KMS actions on key ARNs only, never on `*` or wildcard ARNs.",
        types: [IAM_ROLE, IAM_ROLE_POLICY, IAM_POLICY],
        check: (r) => onIdentityPolicies(r, (st, label) => {
            const keyLevel = st.actions.filter((a) => (a === "*" || a.toLowerCase().startsWith("kms:")) &&
                !ACCOUNT_LEVEL_KMS.some((x) => x.toLowerCase() === a.toLowerCase()));
            const broad = st.resources.filter((res) => res.includes("*"));
            return keyLevel.length && broad.length ? [`${label} statement ${st.id} grants ${keyLevel.join(", ")} on ${broad.join(", ")}; scope it to this stack's key ARNs`] : [];
        }),
    }),
    resourceRule({
        name: "aws-iam-no-admin-managed-policies",
        description: "Roles never carry administrator-level AWS managed policies (AdministratorAccess, PowerUserAccess, IAMFullAccess, AWSKeyManagementServicePowerUser).",
        types: [IAM_ROLE, IAM_ROLE_POLICY_ATTACHMENT],
        check: (r) => [...asArray(r.props.managedPolicyArns), r.props.policyArn].filter((a): a is string => typeof a === "string" && BROAD_MANAGED.test(a))
            .map((a) => `attaches ${a}; grant the specific actions instead`),
    }),
    resourceRule({
        name: "aws-iam-github-oidc-provider-audience",
        description: `The GitHub OIDC provider accepts only the audience ${STS_AUDIENCE}.`,
        types: [IAM_OIDC_PROVIDER],
        check: (r) => {
            const url = String(r.props.url ?? "");
            if (!url.includes(GITHUB_OIDC_HOST)) return [];
            const aud = asArray(r.props.clientIdLists).map(String);
            const out = url === `https://${GITHUB_OIDC_HOST}` ? [] : [`url ${show(url)} must be https://${GITHUB_OIDC_HOST}`];
            return aud.length === 1 && aud[0] === STS_AUDIENCE ? out : [...out, `clientIdLists = ${show(aud)}; must be exactly ["${STS_AUDIENCE}"]`];
        },
    }),
];

