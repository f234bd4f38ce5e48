import { IAM_ROLE, IAM_ROLE_POLICY, IAM_ROLE_POLICY_ATTACHMENT } from "../../../policy/aws-iam";
import { GCP_PROJECT_IAM_MEMBER, GCP_SA_IAM_MEMBER, GCP_SERVICE_ACCOUNT, GCP_WIF_PROVIDER } from "../../../policy/ci";
import { GH_DEPLOYMENT_POLICY, GH_ENVIRONMENT, GH_ENV_VARIABLE } from "../../../policy/github";
import { ACCOUNT } from "./aws-kms";
import { CaseTable, FixtureResource, one, res } from "./types";

const OIDC_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const REPO = "repo:ledger-mind/kms-observability";
const POOL = "projects/428613029457/locations/global/workloadIdentityPools/github-actions";
const trust = (...subs: string[]) => JSON.stringify({
    Version: "2012-10-17",
    Statement: subs.map((sub, i) => ({
        Sid: `GitHubActions${i}`, Effect: "Allow", Principal: { Federated: OIDC_ARN }, Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": sub } },
    })),
});
const role = (name: string, ...subs: string[]) => res(IAM_ROLE, { name, assumeRolePolicy: trust(...subs), maxSessionDuration: 3600 }, { name });
const policy = (roleName: string, actions: string[], resource: string | string[] = "*") => res(IAM_ROLE_POLICY, {
    role: roleName, name: "p", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "S", Effect: "Allow", Action: actions, Resource: resource }] }),
}, { name: `${roleName}-policy`, dependsOn: [roleName] });
const attach = (roleName: string) => res(IAM_ROLE_POLICY_ATTACHMENT, { role: roleName, policyArn: `arn:aws:iam::${ACCOUNT}:policy/deployer` }, { name: `${roleName}-attach`, dependsOn: [roleName] });
const environment = (repository: string, environment: string, props: Record<string, unknown> = {}) => res(GH_ENVIRONMENT, {
    repository, environment, canAdminsBypass: false, deploymentBranchPolicy: { customBranchPolicies: true, protectedBranches: false }, ...props,
}, { name: `${repository}-${environment}` });
/** A deployment policy; `withEnv` when the case holds its environment (it depends on it). */
const branch = (repository: string, env: string, branchPattern: string, withEnv = false) =>
    res(GH_DEPLOYMENT_POLICY, { repository, environment: env, branchPattern }, { name: `${repository}-${env}-${branchPattern}`, dependsOn: withEnv ? [`${repository}-${env}`] : [] });
const REVIEWED = { reviewers: [{ teams: [4812734], users: [] }], preventSelfReview: true };

/** A service account, its workload identity users (one per subject) and project roles. */
function serviceAccount(accountId: string, subjects: string[], roles: string[]): FixtureResource[] {
    return [
        res(GCP_SERVICE_ACCOUNT, { accountId, project: "ledgermind-prod" }, { name: accountId }),
        ...subjects.map((s, i) => res(GCP_SA_IAM_MEMBER, {
            serviceAccountId: `projects/ledgermind-prod/serviceAccounts/${accountId}@ledgermind-prod.iam.gserviceaccount.com`,
            role: "roles/iam.workloadIdentityUser", member: s === "*" ? `principalSet://iam.googleapis.com/${POOL}/*` : `principal://iam.googleapis.com/${POOL}/subject/${s}`,
        }, { name: `${accountId}-wif-${i}`, dependsOn: [accountId] })),
        ...roles.map((role) => res(GCP_PROJECT_IAM_MEMBER, { project: "ledgermind-prod", role, member: `serviceAccount:${accountId}@ledgermind-prod.iam.gserviceaccount.com` },
            { name: `${accountId}-${role}`, dependsOn: [accountId] })),
    ];
}

const readonlyRole = [role("ci-readonly", `${REPO}:pull_request`), policy("ci-readonly", ["iam:GetRole", "kms:ListAliases", "sns:GetTopicAttributes"])];
const prodEnv = environment("kms-observability", "production", REVIEWED);

const wif = (attributeCondition?: string, issuerUri = "https://token.actions.githubusercontent.com") =>
    res(GCP_WIF_PROVIDER, { workloadIdentityPoolId: "github-actions", workloadIdentityPoolProviderId: "kms-observability", oidc: { issuerUri }, attributeCondition });

export const ciCases: CaseTable = {
    "gcp-wif-github-repository-condition": {
        pass: [
            one("one repository", wif("assertion.repository == 'ledger-mind/kms-observability' && assertion.event_name == 'pull_request'")),
            one("another issuer is out of scope", wif(undefined, "https://accounts.google.com")),
        ],
        fail: [
            one("no condition", wif(undefined), { expect: /require assertion\.repository == 'OWNER\/REPO'/ }),
            one("owner only", wif("assertion.repository_owner == 'ledger-mind'")),
            one("or another repository", wif("assertion.environment == 'production' || assertion.repository == 'ledger-mind/x'")),
        ],
    },
    "stack-ci-pr-identity-read-only": {
        pass: [
            { title: "PR role with named read actions", resources: readonlyRole },
            { title: "PR service account with viewer roles", resources: serviceAccount("ci-ro", [`${REPO}:pull_request`], ["roles/iam.securityReviewer", "roles/bigquery.metadataViewer"]) },
            { title: "an environment-only role may write", resources: [role("ci-deploy", `${REPO}:environment:production`), attach("ci-deploy")] },
        ],
        fail: [
            { title: "PR role that can rotate keys", resources: [role("ci-readonly", `${REPO}:pull_request`), policy("ci-readonly", ["kms:DescribeKey", "kms:RotateKeyOnDemand"])], expect: /reachable from pull requests .* but may kms:RotateKeyOnDemand/ },
            { title: "PR role with a wildcard read (s3:Get* includes GetObject)", resources: [role("ci-readonly", `${REPO}:pull_request`), policy("ci-readonly", ["s3:Get*"])], expect: /wildcard/ },
            { title: "PR role reading a secret", resources: [role("ci-readonly", `${REPO}:pull_request`), policy("ci-readonly", ["secretsmanager:GetSecretValue"])], expect: /reads a secret/ },
            { title: "PR role with a managed policy", resources: [role("ci-readonly", `${REPO}:pull_request`), attach("ci-readonly")], expect: /managed policy/ },
            { title: "PR service account that reads audit data", resources: serviceAccount("ci-ro", [`${REPO}:pull_request`], ["roles/bigquery.dataViewer"]), expect: /reads data/ },
            { title: "any-subject service account with a writer role", resources: serviceAccount("ci-ro", ["*"], ["roles/logging.configWriter"]), expect: /roles\/logging\.configWriter/ },
        ],
    },
    "stack-ci-deploy-identity-protected-environment": {
        pass: [
            { title: "deploy role for a reviewed environment", resources: [role("ci-deploy", `${REPO}:environment:production`), attach("ci-deploy"), prodEnv] },
            { title: "deploy role for a main-only environment", resources: [role("ci-deploy", `${REPO}:environment:staging`), attach("ci-deploy"), environment("kms-observability", "staging"), branch("kms-observability", "staging", "main", true)] },
            { title: "read-only identities are out of scope", resources: readonlyRole },
        ],
        fail: [
            { title: "deploy role trusted by pull requests", resources: [role("ci-deploy", `${REPO}:pull_request`), attach("ci-deploy")], expect: /pull_request, which is not a deployment environment/ },
            { title: "deploy role for an environment this stack does not manage", resources: [role("ci-deploy", `${REPO}:environment:production`), attach("ci-deploy")], expect: /not managed by this stack/ },
            { title: "deploy role for an environment admins may bypass", resources: [role("ci-deploy", `${REPO}:environment:production`), attach("ci-deploy"), environment("kms-observability", "production", { ...REVIEWED, canAdminsBypass: true })], expect: /admins bypass/ },
            { title: "deploy role for release/* without reviewers", resources: [role("ci-deploy", `${REPO}:environment:staging`), attach("ci-deploy"), environment("kms-observability", "staging"), branch("kms-observability", "staging", "release/*", true)], expect: /release\/\*/ },
            { title: "deploy service account for any branch", resources: [...serviceAccount("ci-deploy", [`${REPO}:environment:staging`], ["roles/logging.configWriter"]), environment("kms-observability", "staging", { deploymentBranchPolicy: undefined })], expect: /any branch can enter it/ },
        ],
    },
    "github-rotation-environment-exact-refs": {
        pass: [
            { title: "main only", resources: [res(GH_ENV_VARIABLE, { repository: "app", environment: "staging", variableName: "KMS_ROTATION_ROLE_ARN", value: "arn" }), branch("app", "staging", "main")] },
            { title: "wildcards where no rotation role waits", resources: [branch("app", "staging", "release/*")] },
        ],
        fail: [
            { title: "release/* on a rotation environment", resources: [res(GH_ENV_VARIABLE, { repository: "app", environment: "staging", variableName: "KMS_ROTATION_ROLE_ARN", value: "arn" }), branch("app", "staging", "release/*")], expect: /key-rotating role and admits "release\/\*"/ },
        ],
    },
};
