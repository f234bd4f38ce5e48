import * as assert from "assert";
import { RawConfig, parseSettings } from "../../config/load";
import { editSection, stackConfig, rejects } from "../harness";

type Edit = Parameters<typeof editSection>[2];
type Json = Parameters<Edit>[0][string];
type Obj = Record<string, Json>;

const PROD = "Pulumi.prod.yaml: kms-observability:github";
const STAGING = "Pulumi.staging.yaml: kms-observability:github";

/** A stack file with one edit to the github section. */
const withGithub = (stack: "prod" | "staging", edit: Edit): RawConfig => editSection(stackConfig(stack), "github", edit);
const repo = (s: Obj, i: number) => (s.repositories as Obj[])[i];
const production = (s: Obj, i = 0) => (repo(s, i).environments as Obj).production as Obj;

describe("config: github section (config/github.ts)", () => {
    it("reads prod: production environments with reviewers, the rotation workflow committed to the app repository", () => {
        const g = parseSettings(stackConfig("prod")).github;
        assert.deepStrictEqual(g.repositories.map((r) => r.name), ["ai-finance-agent-oss", "kms-observability"]);
        const [app, self] = g.repositories;
        assert.deepStrictEqual(app.environments.production, {
            reviewers: { teams: ["security-ops"], users: ["leok974"] }, waitTimer: 0, branches: ["main"], tags: [],
        });
        assert.strictEqual(app.environments.staging, undefined, "prod manages production only");
        assert.deepStrictEqual([app.kmsRotation, app.commitRotationWorkflow], [true, true]);
        assert.deepStrictEqual([self.kmsRotation, self.commitRotationWorkflow], [false, false]);
        // Prod's CI already federates through the account's provider: IAM holds one per URL, a second is EntityAlreadyExists.
        assert.strictEqual(g.oidcProviderArn, "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com");
        assert.deepStrictEqual(g.ci, {
            repository: "kms-observability", deployRoleName: "ledger-mind-pulumi-deployer",
            deployPolicyArns: ["arn:aws:iam::123456789012:policy/ledger-mind-pulumi-deployer"],
        });
    });

    it("reads staging: staging environments without reviewers, the account's existing OIDC provider", () => {
        const g = parseSettings(stackConfig("staging")).github;
        for (const r of g.repositories) {
            assert.strictEqual(r.environments.production, undefined, "staging manages staging only");
            assert.ok(r.environments.staging);
            assert.ok(!("reviewers" in r.environments.staging));
        }
        assert.deepStrictEqual(g.repositories[0].environments.staging?.branches, ["main"]);
        assert.strictEqual(g.oidcProviderArn, "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com");
    });

    it("defaults: branch main, no tags, no wait timer, rotation on, workflow not committed", () => {
        const raw = withGithub("prod", (s) => {
            s.repositories = [{ name: "svc", environments: { production: { reviewers: { users: ["octocat"] } } } }];
            delete s.ci;
        });
        const [r] = parseSettings(raw).github.repositories;
        assert.deepStrictEqual(r.environments.production, {
            reviewers: { teams: [], users: ["octocat"] }, waitTimer: 0, branches: ["main"], tags: [],
        });
        assert.deepStrictEqual([r.kmsRotation, r.commitRotationWorkflow], [true, false]);
    });

    it("rejects 7 reviewers: GitHub allows 6, teams and users together", () => {
        rejects(withGithub("prod", (s) => {
            production(s).reviewers = { teams: ["a", "b", "c", "d"], users: ["u1", "u2", "u3"] };
        }), `${PROD}.repositories[0].environments.production.reviewers = {"teams":["a","b","c","d"],"users":["u1","u2","u3"]}`,
        "lists 7 reviewers", "at most 6");
        // Six is the limit, not an error.
        const six = withGithub("prod", (s) => { production(s).reviewers = { teams: ["a", "b", "c"], users: ["u1", "u2", "u3"] }; });
        assert.strictEqual(parseSettings(six).github.repositories[0].environments.production?.reviewers.users.length, 3);
    });

    it("rejects production without reviewers (empty lists, or none at all)", () => {
        rejects(withGithub("prod", (s) => { production(s).reviewers = { teams: [], users: [] }; }),
            `${PROD}.repositories[0].environments.production.reviewers = {"teams":[],"users":[]}`, "at least one required reviewer");
        rejects(withGithub("prod", (s) => { delete production(s).reviewers; }),
            `${PROD}.repositories[0].environments.production.reviewers = (missing): is required`);
    });

    it("rejects a wildcard branch or tag on production, accepts it on staging", () => {
        rejects(withGithub("prod", (s) => { production(s).branches = ["main", "*"]; }),
            `${PROD}.repositories[0].environments.production.branches[1] = "*"`, "wildcard pattern");
        rejects(withGithub("prod", (s) => { production(s).tags = ["**"]; }),
            `${PROD}.repositories[0].environments.production.tags[0] = "**"`, "wildcard pattern");
        // Repository 1 (kms-observability) has no key-rotating role.
        const staging = withGithub("staging", (s) => {
            ((repo(s, 1).environments as Obj).staging as Obj).branches = ["*"];
        });
        assert.deepStrictEqual(parseSettings(staging).github.repositories[1].environments.staging?.branches, ["*"]);
    });

    it("rejects any wildcard branch or tag on an environment with a key-rotating role (staging's former release/*)", () => {
        rejects(withGithub("staging", (s) => { ((repo(s, 0).environments as Obj).staging as Obj).branches = ["main", "release/*"]; }),
            `${STAGING}.repositories[0].environments.staging.branches[1] = "release/*"`, "key-rotating role", "exact, protected branches");
        rejects(withGithub("prod", (s) => { production(s).tags = ["v*"]; }),
            `${PROD}.repositories[0].environments.production.tags[0] = "v*"`, "wildcard pattern");
        const exact = withGithub("prod", (s) => { production(s).tags = ["v1.0.0"]; });
        assert.deepStrictEqual(parseSettings(exact).github.repositories[0].environments.production?.tags, ["v1.0.0"]);
    });

    it("github.ci: the CI repository deploys through exactly one environment, its deploy role is an exempt deployer", () => {
        rejects(withGithub("prod", (s) => { (s.ci as Obj).repository = "elsewhere"; }),
            `${PROD}.ci.repository = "elsewhere"`, "must be listed in github.repositories");
        rejects(withGithub("prod", (s) => { (s.ci as Obj).deployRoleName = "someone-else"; }),
            `${PROD}.ci.deployRoleName = "someone-else"`, "not in aws.deployers", "arn:aws:iam::123456789012:role/someone-else");
        rejects(withGithub("prod", (s) => { (s.ci as Obj).deployPolicyArns = []; }),
            `${PROD}.ci.deployPolicyArns = []`, "at least one policy");
        rejects(withGithub("prod", (s) => { (s.ci as Obj).deployPolicyArns = ["arn:aws:iam::aws:policy/AdministratorAccess"]; }),
            `${PROD}.ci.deployPolicyArns[0] = "arn:aws:iam::aws:policy/AdministratorAccess"`, "customer managed policy");
    });

    it("rejects an invalid repository name, e.g. with the owner in it", () => {
        rejects(withGithub("prod", (s) => { repo(s, 0).name = "ledger-mind/ai-finance-agent-oss"; }),
            `${PROD}.repositories[0].name = "ledger-mind/ai-finance-agent-oss"`, "without the owner");
        rejects(withGithub("prod", (s) => { repo(s, 0).name = "app.git"; }), `${PROD}.repositories[0].name = "app.git"`);
    });

    it("rejects a wait timer over 43200 minutes (30 days) or negative", () => {
        rejects(withGithub("prod", (s) => { production(s).waitTimer = 43201; }),
            `${PROD}.repositories[0].environments.production.waitTimer = 43201`, "from 0 to 43200");
        rejects(withGithub("prod", (s) => { production(s).waitTimer = -1; }),
            `${PROD}.repositories[0].environments.production.waitTimer = -1`, "from 0 to 43200");
        const max = withGithub("prod", (s) => { production(s).waitTimer = 43200; });
        assert.strictEqual(parseSettings(max).github.repositories[0].environments.production?.waitTimer, 43200);
    });

    it("rejects reviewers on staging, unknown environments and repositories without environments", () => {
        rejects(withGithub("staging", (s) => {
            ((repo(s, 0).environments as Obj).staging as Obj).reviewers = { users: ["octocat"] };
        }), `${STAGING}.repositories[0].environments.staging.reviewers = (not shown): unknown key`);
        rejects(withGithub("prod", (s) => { (repo(s, 0).environments as Obj).qa = {}; }),
            `${PROD}.repositories[0].environments.qa = (not shown): unknown key`, "production, staging");
        rejects(withGithub("prod", (s) => { repo(s, 0).environments = {}; }),
            `${PROD}.repositories[0].environments = {}`, "production and/or staging");
    });

    it("rejects bad reviewer names, duplicates, and an environment nothing may deploy to", () => {
        rejects(withGithub("prod", (s) => { production(s).reviewers = { teams: ["ledger-mind/security-ops"] }; }),
            `${PROD}.repositories[0].environments.production.reviewers.teams[0] = "ledger-mind/security-ops"`, "team slug");
        rejects(withGithub("prod", (s) => { production(s).reviewers = { users: ["-octocat"] }; }),
            `${PROD}.repositories[0].environments.production.reviewers.users[0] = "-octocat"`, "GitHub login");
        rejects(withGithub("prod", (s) => { production(s).reviewers = { users: ["octocat", "OctoCat"] }; }),
            `${PROD}.repositories[0].environments.production.reviewers.users[1] = "OctoCat"`, "listed twice");
        rejects(withGithub("prod", (s) => { repo(s, 1).name = repo(s, 0).name; }),
            `${PROD}.repositories[1] = "ai-finance-agent-oss"`, "listed twice");
        rejects(withGithub("prod", (s) => { production(s).branches = []; }),
            `${PROD}.repositories[0].environments.production.branches = []`, "at least one branch or tag pattern");
        rejects(withGithub("prod", (s) => { production(s).branches = ["release branch"]; }),
            `${PROD}.repositories[0].environments.production.branches[0] = "release branch"`, "no spaces");
    });

    it("rejects committing the workflow where it cannot run: no production environment, or rotation off", () => {
        rejects(withGithub("staging", (s) => { repo(s, 0).commitRotationWorkflow = true; }),
            `${STAGING}.repositories[0].commitRotationWorkflow = true`, "production environment");
        rejects(withGithub("prod", (s) => { repo(s, 1).commitRotationWorkflow = true; }),
            `${PROD}.repositories[1].commitRotationWorkflow = true`, "kmsRotation: true");
    });

    it("rejects an OIDC provider ARN of another issuer or another account than aws.accountId", () => {
        rejects(withGithub("prod", (s) => { s.oidcProviderArn = "arn:aws:iam::123456789012:oidc-provider/gitlab.com"; }),
            `${PROD}.oidcProviderArn = "arn:aws:iam::123456789012:oidc-provider/gitlab.com"`, "token.actions.githubusercontent.com");
        rejects(withGithub("prod", (s) => {
            s.oidcProviderArn = "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com";
        }), `${PROD}.oidcProviderArn = "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com"`,
        "aws.accountId 123456789012");
    });
});
