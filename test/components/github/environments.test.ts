import * as assert from "assert";
import { PlanResource } from "../../../tools/engine";
import { CallMock } from "../../../tools/mocks/context";
import { githubCalls } from "../../../tools/mocks/github";
import { StackRun, editSection, programErrors, runStack, stackConfig } from "../../harness";
import { GET_TEAM, GET_USER, GithubRuns, T, githubOut, githubRuns, mockTeamId, mockUserId } from "./runs";

const env = (run: StackRun, repo: string, name: string): PlanResource => run.one(T.environment, `github-${repo}-${name}`);

/** Branch and tag patterns of the deployment policies of one environment. */
function patterns(run: StackRun, repo: string, name: string): { branches: string[]; tags: string[] } {
    const policies = run.ofType(T.deploymentPolicy).filter((p) => p.inputs.repository === repo && p.inputs.environment === name);
    return {
        branches: policies.filter((p) => "branchPattern" in p.inputs).map((p) => String(p.inputs.branchPattern)).sort(),
        tags: policies.filter((p) => "tagPattern" in p.inputs).map((p) => String(p.inputs.tagPattern)).sort(),
    };
}

/** A lookup that fails for one name as the GitHub API does (the engine passes `details` on). */
const notFound = (token: string, key: "slug" | "username", name: string): CallMock => (a, ctx) => {
    if (a[key] !== name) return githubCalls[token](a, ctx);
    throw Object.assign(new Error("404"), { details: `GET https://api.github.com/...: 404 Not Found []` });
};

describe("github: EnvironmentProtections (components/github/environments.ts)", () => {
    let runs: GithubRuns;
    before(async () => { runs = await githubRuns(); });

    it("prod: production environments with reviewers resolved to numeric ids, self-review prevented, no admin bypass", () => {
        const app = env(runs.prod, "ai-finance-agent-oss", "production");
        assert.deepStrictEqual(app.inputs, {
            repository: "ai-finance-agent-oss",
            environment: "production",
            waitTimer: 0,
            canAdminsBypass: false,
            preventSelfReview: true,
            deploymentBranchPolicy: { customBranchPolicies: true, protectedBranches: false },
            reviewers: [{ teams: [mockTeamId("security-ops")], users: [mockUserId("leok974")] }],
        });
        const self = env(runs.prod, "kms-observability", "production");
        assert.deepStrictEqual(self.inputs.reviewers, [{ teams: [mockTeamId("platform"), mockTeamId("security-ops")], users: [] }]);
        for (const e of runs.prod.ofType(T.environment).filter((x) => x.inputs.environment === "production")) {
            const [r] = e.inputs.reviewers as { teams: unknown[]; users: unknown[] }[];
            assert.ok([...r.teams, ...r.users].every((id) => typeof id === "number" && Number.isSafeInteger(id)),
                `${e.name}: reviewer ids must be numbers, not the lookups' strings`);
        }
        const protections = runs.prod.one(T.protections).urn;
        assert.strictEqual(runs.prod.ofType(T.environment).filter((e) => e.parent === protections).length, 2, "prod manages production only");
    });

    it("environments are protected and retained in prod only, and are children of the component", () => {
        for (const e of runs.prod.ofType(T.environment)) {
            assert.deepStrictEqual([e.protect, e.retainOnDelete], [true, true], e.name);
            // The CI component adds the read-only environment of the CI repository (components/ci).
            assert.strictEqual(e.parent, e.inputs.environment === "readonly-production" ? runs.prod.one("kms-observability:ci:CiIdentities").urn : runs.prod.one(T.protections).urn);
        }
        for (const e of runs.staging.ofType(T.environment)) assert.deepStrictEqual([e.protect, e.retainOnDelete], [false, false], e.name);
    });

    it("staging: staging environments without reviewers, still no admin bypass and a custom branch policy", () => {
        const app = env(runs.staging, "ai-finance-agent-oss", "staging");
        assert.deepStrictEqual(app.inputs, {
            repository: "ai-finance-agent-oss",
            environment: "staging",
            waitTimer: 0,
            canAdminsBypass: false,
            deploymentBranchPolicy: { customBranchPolicies: true, protectedBranches: false },
        });
        assert.deepStrictEqual(runs.staging.ofType(T.environment).map((e) => String(e.inputs.environment)).sort(), ["readonly-staging", "staging", "staging"]);
    });

    it("one deployment policy per branch or tag pattern, on the environment it guards", () => {
        assert.deepStrictEqual(patterns(runs.prod, "ai-finance-agent-oss", "production"), { branches: ["main"], tags: [] });
        assert.deepStrictEqual(patterns(runs.prod, "kms-observability", "production"), { branches: ["main"], tags: [] });
        // Exact names only where a key-rotating role waits (config refuses release/* there).
        assert.deepStrictEqual(patterns(runs.staging, "ai-finance-agent-oss", "staging"), { branches: ["main"], tags: [] });
        assert.deepStrictEqual(patterns(runs.tagged, "ai-finance-agent-oss", "production"), { branches: ["main", "release/*"], tags: ["v1.*"] });
        const protections = runs.tagged.one(T.protections).urn;
        assert.strictEqual(runs.tagged.ofType(T.deploymentPolicy).filter((p) => p.parent === protections).length, 4);
        const tag = runs.tagged.one(T.deploymentPolicy, "github-ai-finance-agent-oss-production-tag-v1.*");
        assert.ok(!("branchPattern" in tag.inputs), "a tag policy sets tagPattern only");
        const envUrn = env(runs.tagged, "ai-finance-agent-oss", "production").urn;
        assert.ok(tag.dependsOn.includes(envUrn), "created after the environment has customBranchPolicies on");
    });

    it("the wait timer comes from config", () => {
        assert.strictEqual(env(runs.tagged, "ai-finance-agent-oss", "production").inputs.waitTimer, 30);
    });

    it("outputs the environment names per repository", () => {
        assert.deepStrictEqual(githubOut(runs.prod).environments, { "ai-finance-agent-oss": ["production"], "kms-observability": ["production"] });
        assert.deepStrictEqual(githubOut(runs.staging).environments, { "ai-finance-agent-oss": ["staging"], "kms-observability": ["staging"] });
    });

    it("looks each team and user up once, teams by slug with summaryOnly", async () => {
        const asked: string[] = [];
        const record = (token: string): CallMock => (a, ctx) => {
            asked.push(`${token === GET_TEAM ? "team" : "user"}:${JSON.stringify(a)}`);
            return githubCalls[token](a, ctx);
        };
        await runStack(stackConfig("prod"), { calls: { [GET_TEAM]: record(GET_TEAM), [GET_USER]: record(GET_USER) } });
        assert.deepStrictEqual(asked.sort(), [
            'team:{"slug":"platform","summaryOnly":true}',
            'team:{"slug":"security-ops","summaryOnly":true}',
            'user:{"username":"leok974"}',
        ]);
    });

    it("a team slug that does not resolve fails the run, naming the config key, the team and the owner", async () => {
        const raw = editSection(stackConfig("prod"), "github", (g) => {
            ((g.repositories as Record<string, Record<string, Record<string, Record<string, unknown>>>>[])[0]
                .environments.production.reviewers) = { teams: ["secops-typo"] };
        });
        const errors = await programErrors(raw, { calls: { [GET_TEAM]: notFound(GET_TEAM, "slug", "secops-typo") } });
        assert.ok(errors.length > 0, "the run must fail");
        for (const e of errors) {
            assert.ok(e.includes('github.repositories[0].environments.production.reviewers: team "secops-typo" does not resolve in ledger-mind (GET https://api.github.com/...: 404 Not Found [])'), e);
            assert.ok(e.includes("check the slug"), e);
        }
    });

    it("a user login that does not resolve, or a lookup without a numeric id, fails the run too", async () => {
        const gone = await programErrors(stackConfig("prod"), { calls: { [GET_USER]: notFound(GET_USER, "username", "leok974") } });
        assert.ok(gone.length > 0 && gone.every((e) => e.includes(
            'github.repositories[0].environments.production.reviewers: user "leok974" does not resolve (GET https://api.github.com/...: 404 Not Found [])')),
        gone.join("\n"));
        const odd = await programErrors(stackConfig("prod"), { calls: { [GET_USER]: () => ({ id: "", login: "leok974" }) } });
        assert.ok(odd.length > 0 && odd.every((e) => e.includes('user "leok974" resolved to id "", not a GitHub id')), odd.join("\n"));
    });
});
