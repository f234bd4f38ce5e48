import * as assert from "assert";
import { READONLY_ACCOUNT_ACTIONS, READONLY_KEY_ACTIONS } from "../../../documents/ci/policies";
import { ciRules } from "../../../policy/ci";
import { evaluatePolicies, offlineContext } from "../../../policy/evaluate";
import { PlanResource } from "../../../tools/engine";
import { StackRun, stackRun } from "../../harness";
import { evaluate, evaluateIdentity } from "../aws/iam-eval";
import { awsOut } from "../aws/stack";

const T = {
    component: "kms-observability:ci:CiIdentities",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    provider: "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider",
    saMember: "gcp:serviceaccount/iAMMember:IAMMember",
    projectMember: "gcp:projects/iAMMember:IAMMember",
    environment: "github:index/repositoryEnvironment:RepositoryEnvironment",
    deploymentPolicy: "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
    envVariable: "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable",
    repoVariable: "github:index/actionsVariable:ActionsVariable",
};
const REPO = "repo:ledger-mind/kms-observability";
const PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

/**
 * Calls a pull request's code could try with the read-only role: every one changes something, or
 * reads a secret or data. Each must be implicitly denied, on any resource and on this stack's keys.
 */
const WRITES_AND_SECRET_READS = [
    "kms:RotateKeyOnDemand", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:Decrypt", "kms:Encrypt",
    "kms:GenerateDataKey", "kms:CreateGrant", "kms:TagResource", "kms:UpdateAlias", "kms:CreateKey",
    "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:CreateRole", "iam:PassRole", "iam:DeleteRole",
    "sts:AssumeRole", "sns:Publish", "sns:SetTopicAttributes", "sns:Subscribe", "sns:DeleteTopic",
    "events:PutRule", "events:DisableRule", "events:RemoveTargets", "cloudwatch:DeleteAlarms", "cloudwatch:DisableAlarmActions",
    "logs:DeleteMetricFilter", "logs:PutMetricFilter", "aps:PutAlertManagerDefinition", "aps:DeleteWorkspace", "aps:PutRuleGroupsNamespace",
    "chatbot:DeleteSlackChannelConfiguration", "secretsmanager:GetSecretValue", "ssm:GetParameter", "s3:GetObject", "s3:PutObject",
];

describe("ci: CiIdentities (components/ci/identities.ts)", () => {
    let prod: StackRun;
    let staging: StackRun;
    before(async () => {
        prod = await stackRun("prod");
        staging = await stackRun("staging");
    });
    const role = (run: StackRun, name: string): PlanResource => run.one(T.role, name);
    const trustOf = (r: PlanResource) => String(r.inputs.assumeRolePolicy);
    /** Whether a GitHub OIDC token with `sub` may assume the role (IAM simulation of the trust policy). */
    const admits = (r: PlanResource, sub: string, provider = PROVIDER) => evaluate(trustOf(r), {
        principal: provider, action: "sts:AssumeRoleWithWebIdentity",
        context: { "token.actions.githubusercontent.com:sub": sub, "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
    }) === "Allow";

    it("IAM simulation: the role pull requests can assume is denied every write and secret read, and allowed exactly its reads", () => {
        const ro = role(prod, "ci-aws-readonly");
        assert.strictEqual(ro.inputs.name, "ledgermind-prod-ci-readonly");
        const policies = prod.ofType(T.rolePolicy).filter((p) => p.inputs.role === "ledgermind-prod-ci-readonly");
        assert.strictEqual(policies.length, 1);
        assert.strictEqual(prod.ofType(T.attachment).filter((a) => a.inputs.role === "ledgermind-prod-ci-readonly").length, 0, "no managed policy");
        const doc = String(policies[0].inputs.policy);
        const keys = Object.values(awsOut(prod).keyArns);
        for (const action of WRITES_AND_SECRET_READS) {
            for (const resource of ["*", ...keys]) assert.strictEqual(evaluateIdentity(doc, action, resource), "ImplicitDeny", `${action} on ${resource}`);
        }
        for (const action of READONLY_ACCOUNT_ACTIONS) assert.strictEqual(evaluateIdentity(doc, action, "*"), "Allow", action);
        for (const action of READONLY_KEY_ACTIONS) {
            for (const k of keys) assert.strictEqual(evaluateIdentity(doc, action, k), "Allow", `${action} on ${k}`);
            assert.strictEqual(evaluateIdentity(doc, action, "arn:aws:kms:us-east-1:123456789012:key/another-stacks-key"), "ImplicitDeny", `${action} elsewhere`);
        }
    });

    it("IAM simulation of the trusts: pull requests and readonly-production reach the read-only role only; production alone reaches the deploy role", () => {
        const ro = role(prod, "ci-aws-readonly");
        const deploy = role(prod, "ci-aws-deploy");
        assert.strictEqual(deploy.inputs.name, "ledger-mind-pulumi-deployer", "the role aws.deployers exempts from the MFA deny");
        const cases: [string, boolean, boolean][] = [
            [`${REPO}:pull_request`, true, false],
            [`${REPO}:environment:readonly-production`, true, false],
            [`${REPO}:environment:production`, false, true],
            [`${REPO}:environment:staging`, false, false],
            [`${REPO}:ref:refs/heads/main`, false, false],
            ["repo:ledger-mind/ai-finance-agent-oss:environment:production", false, false],
            ["repo:someone-else/kms-observability:pull_request", false, false],
        ];
        for (const [sub, readonly, write] of cases) {
            assert.deepStrictEqual([admits(ro, sub), admits(deploy, sub)], [readonly, write], sub);
        }
        // A token minted for another audience is refused too.
        assert.strictEqual(evaluate(trustOf(deploy), { principal: PROVIDER, action: "sts:AssumeRoleWithWebIdentity",
            context: { "token.actions.githubusercontent.com:sub": `${REPO}:environment:production`, "token.actions.githubusercontent.com:aud": "sigstore" } }), "ImplicitDeny");
        assert.deepStrictEqual(prod.ofType(T.attachment).filter((a) => a.inputs.role === "ledger-mind-pulumi-deployer").map((a) => a.inputs.policyArn),
            ["arn:aws:iam::123456789012:policy/ledger-mind-pulumi-deployer"]);
    });

    it("staging: the same identities, bound to the staging and readonly-staging environments of staging's account", () => {
        const deploy = role(staging, "ci-aws-deploy");
        const provider = "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com";
        assert.ok(admits(deploy, `${REPO}:environment:staging`, provider));
        assert.ok(!admits(deploy, `${REPO}:environment:production`, provider));
        assert.ok(!admits(deploy, `${REPO}:environment:staging`), "prod's provider is not staging's");
        assert.ok(admits(role(staging, "ci-aws-readonly"), `${REPO}:environment:readonly-staging`, provider));
    });

    it("GCP: the provider accepts this repository's pull requests and environments only; each service account's users are exact subjects", () => {
        const p = prod.one(T.provider);
        assert.strictEqual(p.inputs.attributeCondition,
            "assertion.repository == 'ledger-mind/kms-observability' && (assertion.event_name == 'pull_request' || (has(assertion.environment) && assertion.environment in ['production', 'readonly-production']))");
        assert.deepStrictEqual(p.inputs.oidc, { issuerUri: "https://token.actions.githubusercontent.com" });
        const users = (accountId: string) => prod.ofType(T.saMember).filter((m) => String(m.inputs.serviceAccountId).includes(`/${accountId}@`))
            .map((m) => [m.inputs.role, String(m.inputs.member).replace(/^principal:\/\/iam\.googleapis\.com\/projects\/\d+\/locations\/global\/workloadIdentityPools\/github-actions\/subject\//, "")]);
        assert.deepStrictEqual(users("kms-obs-ci-readonly"), [
            ["roles/iam.workloadIdentityUser", `${REPO}:pull_request`], ["roles/iam.workloadIdentityUser", `${REPO}:environment:readonly-production`]]);
        assert.deepStrictEqual(users("kms-obs-ci-deploy"), [["roles/iam.workloadIdentityUser", `${REPO}:environment:production`]]);
        const roles = (email: string) => prod.ofType(T.projectMember).filter((m) => m.inputs.member === `serviceAccount:${email}`).map((m) => String(m.inputs.role));
        const ro = roles("kms-obs-ci-readonly@ledgermind-prod.iam.gserviceaccount.com");
        assert.ok(ro.length > 0 && ro.every((r) => /^roles\/[\w.]*(viewer|Viewer|securityReviewer)$/.test(r) && !/\.(dataViewer|objectViewer)$/.test(r)), ro.join(", "));
        assert.ok(roles("kms-obs-ci-deploy@ledgermind-prod.iam.gserviceaccount.com").includes("projects/ledgermind-prod/roles/kmsObservabilityCiDeploy"));
    });

    it("GitHub: readonly-production admits main only; variables tell each audience its identity", () => {
        const env = prod.ofType(T.environment).find((e) => e.inputs.environment === "readonly-production");
        assert.ok(env);
        assert.deepStrictEqual([env.inputs.canAdminsBypass, env.inputs.deploymentBranchPolicy], [false, { protectedBranches: false, customBranchPolicies: true }]);
        assert.deepStrictEqual(prod.ofType(T.deploymentPolicy).filter((p) => p.inputs.environment === "readonly-production").map((p) => p.inputs.branchPattern), ["main"]);
        const vars = (environment: string) => Object.fromEntries(prod.ofType(T.envVariable)
            .filter((v) => v.inputs.repository === "kms-observability" && v.inputs.environment === environment).map((v) => [v.inputs.variableName, v.inputs.value]));
        const wip = "projects/428613029457/locations/global/workloadIdentityPools/github-actions/providers/kms-observability";
        assert.deepStrictEqual(vars("production"), {
            AWS_REGION: "us-east-1", GCP_WORKLOAD_IDENTITY_PROVIDER: vars("production").GCP_WORKLOAD_IDENTITY_PROVIDER, PULUMI_STACK: "ledger-mind/prod",
            AWS_DEPLOY_ROLE_ARN: "arn:aws:iam::123456789012:role/ledger-mind-pulumi-deployer",
            GCP_DEPLOY_SERVICE_ACCOUNT: "kms-obs-ci-deploy@ledgermind-prod.iam.gserviceaccount.com",
        });
        assert.match(String(vars("production").GCP_WORKLOAD_IDENTITY_PROVIDER), /^projects\/\d+\/locations\/global\/workloadIdentityPools\/github-actions\/providers\/kms-observability$/);
        assert.ok(wip.endsWith("/providers/kms-observability"));
        assert.deepStrictEqual(Object.keys(vars("readonly-production")).sort(),
            ["AWS_READONLY_ROLE_ARN", "AWS_REGION", "GCP_READONLY_SERVICE_ACCOUNT", "GCP_WORKLOAD_IDENTITY_PROVIDER", "PULUMI_STACK"]);
        assert.deepStrictEqual(prod.ofType(T.repoVariable).map((v) => v.inputs.variableName).sort(),
            ["AWS_DRIFT_NOTIFY_ROLE_ARN_PROD", "AWS_READONLY_ROLE_ARN_PROD", "GCP_READONLY_SERVICE_ACCOUNT_PROD", "GCP_WORKLOAD_IDENTITY_PROVIDER_PROD"]);
        assert.deepStrictEqual(staging.ofType(T.repoVariable).map((v) => v.inputs.variableName).sort(),
            ["AWS_DRIFT_NOTIFY_ROLE_ARN_STAGING", "AWS_READONLY_ROLE_ARN_STAGING", "GCP_READONLY_SERVICE_ACCOUNT_STAGING", "GCP_WORKLOAD_IDENTITY_PROVIDER_STAGING"]);
    });

    it("the policy pack passes the stacks' CI identities and fails the read-only role given a write action", () => {
        for (const [run, stack] of [[prod, "prod"], [staging, "staging"]] as const) {
            assert.deepStrictEqual(evaluatePolicies(run.resources, offlineContext(stack), ciRules), [], stack);
        }
        const widened = prod.resources.map((r) => (r.type === T.rolePolicy && r.inputs.role === "ledgermind-prod-ci-readonly"
            ? { ...r, inputs: { ...r.inputs, policy: String(r.inputs.policy).replace('"kms:ListKeys"', '"kms:ListKeys","kms:RotateKeyOnDemand"') } } : r));
        const found = evaluatePolicies(widened, offlineContext("prod"), ciRules).map((v) => v.policy);
        assert.deepStrictEqual([...new Set(found)].sort(), ["stack-ci-deploy-identity-protected-environment", "stack-ci-pr-identity-read-only"]);
    });
});
