import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { EnvironmentProtections } from "../../../components/github/environments";
import { ActionsOidc } from "../../../components/github/oidc";
import { RepositoryEnvironments } from "../../../components/github/repositories";
import { StackRun } from "../../harness";
import { assertNamesDerived, child, children, component, runAlone } from "../alone";

const KEY = "arn:aws:kms:eu-west-1:210987654321:key/k1";

describe("github: EnvironmentProtections and ActionsOidc alone (components/github/environments.ts, oidc.ts)", () => {
    // Like staging's: ai-finance-agent-oss (its workflows rotate the keys) and kms-observability (protections only).
    const repositories: RepositoryEnvironments[] = [
        { name: "ai-finance-agent-oss", environments: [{ name: "staging", branches: ["main"] }] },
        { name: "kms-observability", environments: [{ name: "staging", branches: ["main"], tags: ["v1.2.0"], waitTimer: 5 }] },
    ];
    let run: StackRun;

    before(async () => {
        run = await runAlone(() => {
            const envs = new EnvironmentProtections("gh", { owner: "ledger-mind", repositories });
            const oidc = new ActionsOidc("oidc", {
                owner: "ledger-mind", repositories: [repositories[0]], environments: envs, namePrefix: "acme",
                keyArns: { "app/data": KEY }, keyAliases: { "app/data": "alias/app/data" }, region: "eu-west-1",
                auditDataset: pulumi.output("acme-sec:kms_audit"),
            });
            return { environments: envs.environments, providerArn: oidc.providerArn, roleArns: oidc.roleArns };
        });
    });

    it("EnvironmentProtections: one environment per repository and environment, each with its branch policy, admins not exempt", () => {
        const c = component(run, "kms-observability:github:EnvironmentProtections", "gh");
        const kids = children(run, c).filter((k) => k.startsWith("github:index/repositoryEnvironment"));
        assert.deepStrictEqual(kids, [
            "github:index/repositoryEnvironment:RepositoryEnvironment gh-ai-finance-agent-oss-staging",
            "github:index/repositoryEnvironment:RepositoryEnvironment gh-kms-observability-staging",
            "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy gh-ai-finance-agent-oss-staging-branch-main",
            "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy gh-kms-observability-staging-branch-main",
            "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy gh-kms-observability-staging-tag-v1.2.0",
        ]);
        const env = child(run, c, "github:index/repositoryEnvironment:RepositoryEnvironment", "gh-ai-finance-agent-oss-staging");
        assert.deepStrictEqual([env.inputs.canAdminsBypass, env.protect, env.inputs.waitTimer, env.inputs.reviewers], [false, false, 0, undefined], "defaults: no wait, no reviewers");
        const timed = child(run, c, "github:index/repositoryEnvironment:RepositoryEnvironment", "gh-kms-observability-staging");
        assert.strictEqual(timed.inputs.waitTimer, 5);
        assertNamesDerived(run, c);
        assert.deepStrictEqual(run.outputs.environments, { "ai-finance-agent-oss": ["staging"], "kms-observability": ["staging"] });
    });

    it("ActionsOidc without an existing provider: creates it; a role, its rotation policy and the workflow variables for the rotating repository only", () => {
        const c = component(run, "kms-observability:github:ActionsOidc", "oidc");
        const kids = children(run, c);
        assert.ok(kids.includes("aws:iam/openIdConnectProvider:OpenIdConnectProvider oidc-provider"), kids.join(", "));
        assert.ok(kids.includes("aws:iam/role:Role oidc-ai-finance-agent-oss-staging"));
        assert.ok(kids.includes("aws:iam/rolePolicy:RolePolicy oidc-ai-finance-agent-oss-staging-kms-rotation"));
        assert.deepStrictEqual(kids.filter((k) => k.includes("kms-observability")), [], "a repository not listed gets nothing");
        const policy = child(run, c, "aws:iam/rolePolicy:RolePolicy", "oidc-ai-finance-agent-oss-staging-kms-rotation");
        assert.ok(String(policy.inputs.policy).includes(KEY), "the role acts on the given keys");
        assertNamesDerived(run, c);
    });

    it("ActionsOidc outputs the provider and a role ARN per repository and environment", () => {
        assert.match(String(run.outputs.providerArn), /oidc-provider\/token.actions.githubusercontent.com$/);
        const roles = run.outputs.roleArns as Record<string, Record<string, string>>;
        assert.deepStrictEqual(Object.keys(roles), ["ai-finance-agent-oss"]);
        assert.match(roles["ai-finance-agent-oss"].staging, /^arn:aws:iam::210987654321:role\//);
    });
});
