/**
 * CI identities: who can reach an identity that changes something. GitHub issues OIDC tokens whose
 * `sub` is `repo:OWNER/REPO:pull_request` to pull-request jobs, whose code the pull request controls,
 * and `repo:OWNER/REPO:environment:ENV` only to jobs that passed ENV's protection rules (GitHub docs,
 * "OpenID Connect reference" and "Managing environments for deployment"). So:
 * - an identity a pull request can reach holds read actions only, named one by one;
 * - an identity that can write is reachable only from a protected environment of this stack.
 * Identities: AWS roles trusting GitHub's OIDC provider, and GCP service accounts whose
 * roles/iam.workloadIdentityUser members are workload identity pool subjects.
 */
import { GITHUB_OIDC_HOST, IAM_ROLE, IAM_ROLE_POLICY, IAM_ROLE_POLICY_ATTACHMENT } from "./aws-iam";
import { GH_DEPLOYMENT_POLICY, GH_ENVIRONMENT, GH_ENV_VARIABLE } from "./github";
import { Statement, conditionValues, parseDocument } from "./iam-document";
import { Finding, PolicyResource, Rule, resourceRule, stackRule } from "./rule";
import { asArray, asObject, isTrue, show } from "./values";

export const GCP_SERVICE_ACCOUNT = "gcp:serviceaccount/account:Account";
export const GCP_SA_IAM_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember";
export const GCP_PROJECT_IAM_MEMBER = "gcp:projects/iAMMember:IAMMember";
export const GCP_WIF_PROVIDER = "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider";

/** Verbs of read actions. An action named with a wildcard is not provably read-only (`s3:Get*` includes GetObject). */
const READ_VERB = /^[a-z0-9-]+:(Get|List|Describe|BatchGet|View)[A-Za-z0-9]*$/;
/** Reads that return secrets, credentials or data rather than configuration. */
const SENSITIVE_READ = /:(GetSecretValue|GetParameters?|GetParametersByPath|GetObject\w*|Get\w*Token\w*|Get\w*Credentials?\w*|GetPasswordData|GetParametersForImport|GetQueryResults|GetLogEvents|GetRecords)$/i;
/** GCP roles that read configuration, not data. */
const GCP_READ_ROLE = /^roles\/([\w.]+\.)?(viewer|[a-zA-Z]*Viewer|securityReviewer|browser)$/;
const GCP_DATA_READ_ROLE = /\.(dataViewer|objectViewer|privateLogViewer|secretAccessor)$|^roles\/viewer$/;

/** Why an action is not read-only, or undefined when it is. */
export function notReadOnly(action: string): string | undefined {
    if (action.includes("*") || action.includes("?")) return `${action} (a wildcard: not provably read-only)`;
    if (!READ_VERB.test(action)) return action;
    if (SENSITIVE_READ.test(action)) return `${action} (reads a secret, credential or data)`;
    return undefined;
}

/** Why a GCP role is not read-only, or undefined. */
export function gcpRoleNotReadOnly(role: string): string | undefined {
    if (!GCP_READ_ROLE.test(role)) return role;
    if (GCP_DATA_READ_ROLE.test(role)) return `${role} (reads data)`;
    return undefined;
}

const PR_SUB = /^repo:[^:]+:pull_request$/;
const ENV_SUB = /^repo:[^/]+\/([^:]+):environment:(.+)$/;

/** The GitHub subjects a trust statement admits: exact values, or `*` when it does not pin one. */
function githubSubjects(st: Statement): string[] {
    if (!st.principals.federated.some((f) => f.includes(GITHUB_OIDC_HOST))) return [];
    const like = conditionValues(st, "StringLike", `${GITHUB_OIDC_HOST}:sub`);
    const exact = conditionValues(st, "StringEquals", `${GITHUB_OIDC_HOST}:sub`);
    if (like?.length) return like.map((p) => (p.includes("*") || p.includes("?") ? "*" : p));
    return exact?.length ? [...exact] : ["*"];
}

/** A CI identity as the rules see it: who may use it and what it may do. */
interface Identity {
    readonly resource: PolicyResource;
    readonly label: string;
    /** GitHub OIDC subjects admitted; `*` stands for "not pinned". */
    readonly subjects: string[];
    /** Reasons it is not provably read-only (none: read-only). */
    readonly writes: string[];
}

const linked = (r: PolicyResource, target: PolicyResource, byName?: unknown) =>
    r.dependsOn.includes(target.urn) || (byName !== undefined && byName === (target.props.name ?? target.name));

function awsIdentities(resources: readonly PolicyResource[]): Identity[] {
    return resources.filter((r) => r.type === IAM_ROLE).flatMap((role): Identity[] => {
        const trust = parseDocument(role.props.assumeRolePolicy);
        const subjects = trust.ok ? trust.statements.filter((s) => s.effect === "Allow").flatMap(githubSubjects) : [];
        if (!subjects.length) return [];
        const writes: string[] = [];
        const docs = [
            ...asArray(role.props.inlinePolicies).map((p) => asObject(p).policy),
            ...resources.filter((p) => p.type === IAM_ROLE_POLICY && linked(p, role, p.props.role)).map((p) => p.props.policy),
        ];
        for (const doc of docs) {
            const parsed = parseDocument(doc);
            if (!parsed.ok) { writes.push(`a policy that ${parsed.error}`); continue; }
            for (const st of parsed.statements.filter((s) => s.effect === "Allow")) {
                if (st.notAction) writes.push(`NotAction in statement ${st.id}`);
                for (const a of st.actions) {
                    const why = notReadOnly(a);
                    if (why) writes.push(why);
                }
            }
        }
        const attached = [...asArray(role.props.managedPolicyArns).map(String),
            ...resources.filter((p) => p.type === IAM_ROLE_POLICY_ATTACHMENT && linked(p, role, p.props.role)).map((p) => String(p.props.policyArn))];
        writes.push(...attached.map((a) => `managed policy ${a} (its actions are not in the plan)`));
        return [{ resource: role, label: `role ${show(role.props.name ?? role.name)}`, subjects, writes }];
    });
}

function gcpIdentities(resources: readonly PolicyResource[]): Identity[] {
    return resources.filter((r) => r.type === GCP_SERVICE_ACCOUNT).flatMap((sa): Identity[] => {
        const email = `${String(sa.props.accountId)}@`;
        const saPath = `/${email}`;
        const users = resources.filter((m) => m.type === GCP_SA_IAM_MEMBER && String(m.props.role) === "roles/iam.workloadIdentityUser" &&
            (m.dependsOn.includes(sa.urn) || String(m.props.serviceAccountId ?? "").includes(saPath)));
        const subjects = users.map((m) => {
            const member = String(m.props.member ?? "");
            const sub = /^principal:\/\/iam\.googleapis\.com\/projects\/[^/]+\/locations\/global\/workloadIdentityPools\/[^/]+\/subject\/(.+)$/.exec(member)?.[1];
            return sub ?? "*";
        });
        if (!subjects.length) return [];
        const roles = resources.filter((m) => m.type === GCP_PROJECT_IAM_MEMBER &&
            (m.dependsOn.includes(sa.urn) || String(m.props.member ?? "") === `serviceAccount:${email}${String(sa.props.project)}.iam.gserviceaccount.com`))
            .map((m) => String(m.props.role));
        const writes = roles.map(gcpRoleNotReadOnly).filter((w): w is string => w !== undefined);
        return [{ resource: sa, label: `service account ${show(sa.props.accountId)}`, subjects, writes }];
    });
}

const identities = (resources: readonly PolicyResource[]) => [...awsIdentities(resources), ...gcpIdentities(resources)];

/** Deployment policy patterns of one environment. */
function patternsOf(resources: readonly PolicyResource[], env: PolicyResource): string[] {
    return resources.filter((p) => p.type === GH_DEPLOYMENT_POLICY && (p.dependsOn.includes(env.urn) ||
        (p.props.repository === env.props.repository && p.props.environment === env.props.environment)))
        .map((p) => String(p.props.branchPattern ?? p.props.tagPattern ?? ""));
}

/** Why `repository`/`environment` is not a protected environment of this stack, or undefined. */
function unprotected(resources: readonly PolicyResource[], repository: string, environment: string): string | undefined {
    const env = resources.find((r) => r.type === GH_ENVIRONMENT && r.props.repository === repository && r.props.environment === environment);
    if (!env) return `environment ${repository}/${environment} is not managed by this stack, so nothing here shows it is protected`;
    if (!(env.props.canAdminsBypass === false || env.props.canAdminsBypass === "false")) return `${repository}/${environment} lets admins bypass its rules`;
    const reviewers = asArray(env.props.reviewers).map(asObject).flatMap((x) => [...asArray(x.teams), ...asArray(x.users)]);
    if (reviewers.length && isTrue(env.props.preventSelfReview)) return undefined;
    const policy = asObject(env.props.deploymentBranchPolicy);
    if (isTrue(policy.protectedBranches)) return undefined;
    if (!isTrue(policy.customBranchPolicies)) return `${repository}/${environment} has no reviewers and no branch policy: any branch can enter it`;
    const wild = patternsOf(resources, env).filter((p) => /[*?[\]]/.test(p));
    return wild.length ? `${repository}/${environment} has no reviewers and admits branch/tag patterns ${show(wild)}: anyone who can push a matching ref enters it` : undefined;
}

export const ciRules: Rule[] = [
    resourceRule({
        name: "gcp-wif-github-repository-condition",
        description: "A workload identity provider for GitHub's issuer admits one repository: its attributeCondition requires assertion.repository (or repository_id) == a literal. Without it every GitHub repository's workflows can present tokens to the pool.",
        types: [GCP_WIF_PROVIDER],
        check: (r) => {
            if (!String(asObject(r.props.oidc).issuerUri ?? "").includes(GITHUB_OIDC_HOST)) return [];
            const cond = String(r.props.attributeCondition ?? "");
            return /assertion\.repository(_id)?\s*==\s*['"][^'"*]+['"]/.test(cond) && !/\|\|\s*assertion\.repository/.test(cond) ? []
                : [`provider ${show(r.props.workloadIdentityPoolProviderId)} has attributeCondition ${show(r.props.attributeCondition)}: require assertion.repository == 'OWNER/REPO'`];
        },
    }),
    stackRule({
        name: "stack-ci-pr-identity-read-only",
        description: "An identity a pull request can reach (GitHub OIDC sub repo:OWNER/REPO:pull_request, or any sub not pinned) holds read actions only, named one by one: no write, no wildcard, no secret or data read, no managed policy.",
        types: [IAM_ROLE, IAM_ROLE_POLICY, IAM_ROLE_POLICY_ATTACHMENT, GCP_SERVICE_ACCOUNT, GCP_SA_IAM_MEMBER, GCP_PROJECT_IAM_MEMBER],
        check: (resources): Finding[] => identities(resources)
            .filter((id) => id.subjects.some((s) => s === "*" || PR_SUB.test(s)) && id.writes.length)
            .map((id) => ({ urn: id.resource.urn, message: `${id.label} is reachable from pull requests (${id.subjects.filter((s) => s === "*" || PR_SUB.test(s)).join(", ")}) but may ${id.writes.join(", ")}` })),
    }),
    stackRule({
        name: "stack-ci-deploy-identity-protected-environment",
        description: "An identity that can change anything is reachable only through GitHub deployment environments of this stack that are protected: admins cannot bypass, and required reviewers (no self-review) or branch policies without wildcards.",
        types: [IAM_ROLE, GCP_SERVICE_ACCOUNT, GH_ENVIRONMENT, GH_DEPLOYMENT_POLICY],
        check: (resources): Finding[] => identities(resources).filter((id) => id.writes.length).flatMap((id) => id.subjects.flatMap((sub) => {
            const m = ENV_SUB.exec(sub);
            const why = !m ? `admits ${sub === "*" ? "tokens whose subject is not pinned" : sub}, which is not a deployment environment`
                : unprotected(resources, m[1], m[2]);
            return why ? [{ urn: id.resource.urn, message: `${id.label} is not read-only (${id.writes.slice(0, 3).join(", ")}${id.writes.length > 3 ? ", …" : ""}) and ${why}` }] : [];
        })),
    }),
    stackRule({
        name: "github-rotation-environment-exact-refs",
        description: "An environment whose workflows get a key-rotating role (it holds KMS_ROTATION_ROLE_ARN) admits exact branch and tag names only: a wildcard lets anyone who can push a matching ref run the rotation.",
        types: [GH_ENV_VARIABLE, GH_DEPLOYMENT_POLICY],
        check: (resources): Finding[] => {
            const rotating = new Set(resources.filter((r) => r.type === GH_ENV_VARIABLE && r.props.variableName === "KMS_ROTATION_ROLE_ARN")
                .map((r) => `${show(r.props.repository)}/${show(r.props.environment)}`));
            return resources.filter((p) => p.type === GH_DEPLOYMENT_POLICY && rotating.has(`${show(p.props.repository)}/${show(p.props.environment)}`))
                .filter((p) => /[*?[\]]/.test(String(p.props.branchPattern ?? p.props.tagPattern ?? "")))
                .map((p) => ({ urn: p.urn, message: `${show(p.props.repository)}/${show(p.props.environment)} has a key-rotating role and admits ${show(p.props.branchPattern ?? p.props.tagPattern)}: name exact, protected branches` }));
        },
    }),
];
