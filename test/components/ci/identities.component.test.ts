import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { CiIdentities } from "../../../components/ci/identities";
import { StackRun } from "../../harness";
import { assertNamesDerived, child, children, component, runAlone } from "../alone";

const PROVIDER = "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com";

describe("ci: CiIdentities alone (components/ci/identities.ts)", () => {
    let run: StackRun;

    before(async () => {
        run = await runAlone(() => {
            const environments = new pulumi.ComponentResource("test:index:Environments", "envs");
            const ci = new CiIdentities("ci", {
                owner: "acme", repository: "infra", deployEnvironment: "staging", environments, variableSuffix: "STAGING",
                pulumiStack: "acme/staging", oidcProviderArn: PROVIDER, namePrefix: "acme", deployRoleName: "acme-ci-deploy",
                deployPolicyArns: ["arn:aws:iam::210987654321:policy/acme-deployer"], keyArns: { k: "arn:aws:kms:eu-west-1:210987654321:key/k1" },
                region: "eu-west-1", gcpProject: "acme-sec",
            });
            return {
                readonlyRoleArn: ci.readonlyRoleArn, deployRoleArn: ci.deployRoleArn, workloadIdentityProvider: ci.workloadIdentityProvider,
                readonlyServiceAccount: ci.readonlyServiceAccount, deployServiceAccount: ci.deployServiceAccount,
            };
        });
    });

    it("registers both AWS roles, the GCP pool, provider and service accounts, the read-only environment and the variables, under the component", () => {
        const c = component(run, "kms-observability:ci:CiIdentities", "ci");
        const kids = children(run, c);
        for (const k of [
            "aws:iam/role:Role ci-aws-readonly",
            "aws:iam/rolePolicy:RolePolicy ci-aws-readonly-read",
            "aws:iam/role:Role ci-aws-deploy",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment ci-aws-deploy-policy-0",
            "gcp:iam/workloadIdentityPool:WorkloadIdentityPool ci-gcp-pool",
            "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider ci-gcp-provider",
            "gcp:serviceaccount/account:Account ci-gcp-readonly",
            "gcp:serviceaccount/account:Account ci-gcp-deploy",
            "github:index/repositoryEnvironment:RepositoryEnvironment ci-readonly-staging",
            "github:index/actionsVariable:ActionsVariable ci-AWS_READONLY_ROLE_ARN_STAGING",
        ]) assert.ok(kids.includes(k), `${k} in ${kids.join(", ")}`);
        assertNamesDerived(run, c);
        assert.strictEqual(child(run, c, "aws:iam/role:Role", "ci-aws-deploy").inputs.name, "acme-ci-deploy");
        assert.strictEqual(child(run, c, "aws:iam/role:Role", "ci-aws-readonly").inputs.name, "acme-ci-readonly");
        assert.ok(String(child(run, c, "aws:iam/rolePolicy:RolePolicy", "ci-aws-readonly-read").inputs.policy).includes("key/k1"));
    });

    it("outputs both roles, the workload identity provider and both service accounts", () => {
        assert.strictEqual(run.outputs.deployRoleArn, "arn:aws:iam::210987654321:role/acme-ci-deploy");
        assert.strictEqual(run.outputs.readonlyRoleArn, "arn:aws:iam::210987654321:role/acme-ci-readonly");
        assert.match(String(run.outputs.workloadIdentityProvider), /^projects\/.+\/locations\/global\/workloadIdentityPools\//);
        assert.match(String(run.outputs.readonlyServiceAccount), /@acme-sec\.iam\.gserviceaccount\.com$/);
        assert.match(String(run.outputs.deployServiceAccount), /@acme-sec\.iam\.gserviceaccount\.com$/);
    });
});
