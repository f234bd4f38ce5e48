import * as assert from "assert";
import { RepositoryFacts, planPrerequisites } from "../../../components/github/prerequisites";
import { parseSettings } from "../../../config/load";
import { environmentProtectionsArgs } from "../../../config/to-args";
import { githubCalls } from "../../../tools/mocks/github";
import { programErrors, stackConfig } from "../../harness";

/** prod's repositories as config/to-args maps them (each repository and environment named by its config path). */
const REPOS = environmentProtectionsArgs(parseSettings(stackConfig("prod"))).repositories;
const facts = (visibility: string, teams = ["security-ops", "platform"]): RepositoryFacts[] =>
    REPOS.map((r) => ({ name: r.name, visibility, teamsWithAccess: teams }));

/** Issue 14 "GitHub plan prerequisites": checked at preview with lookups, reported with what to change. */
describe("github: plan prerequisites (components/github/prerequisites.ts)", () => {
    it("private repositories with required reviewers need GitHub Enterprise; public ones any plan", () => {
        assert.deepStrictEqual(planPrerequisites("ledger-mind", "enterprise", REPOS, facts("private")), { errors: [], warnings: [] });
        assert.deepStrictEqual(planPrerequisites("ledger-mind", "free", REPOS, facts("public")), { errors: [], warnings: [] });
        const team = planPrerequisites("ledger-mind", "team", REPOS, facts("private"));
        assert.strictEqual(team.errors.length, 2, team.errors.join("\n"));
        assert.match(team.errors[0], /^github\.repositories\[0\] \(ledger-mind\/ai-finance-agent-oss, private\): production has required reviewers or a wait timer, which GitHub "team" offers in public repositories only/);
        const free = planPrerequisites("ledger-mind", "free", REPOS, facts("internal"));
        assert.match(free.errors[0], /GitHub "free" plan, which has no environments in private or internal repositories/);
    });

    it("a plan the token may not read is a warning, not a failure", () => {
        const r = planPrerequisites("ledger-mind", "", REPOS, facts("private"));
        assert.deepStrictEqual(r.errors, []);
        assert.match(r.warnings[0], /could not read the plan of ledger-mind \(only organization owners can\)/);
    });

    it("every reviewer team needs access to the repository it reviews in", () => {
        const r = planPrerequisites("ledger-mind", "enterprise", REPOS, facts("private", ["security-ops"]));
        assert.deepStrictEqual(r.errors, [
            'github.repositories[1].environments.production.reviewers: team "platform" has no access to ledger-mind/kms-observability; ' +
            "reviewers need at least read access: add the team under the repository's Settings > Collaborators and teams (Read is enough) " +
            "(if it is listed there, github:token cannot see it: a secret team is visible to its members and organization owners only)",
        ]);
    });

    it("fails the program at preview, before any environment is written, when the organization is on GitHub Team", async () => {
        const errors = await programErrors(stackConfig("prod"), { calls: {
            "github:index/getOrganization:getOrganization": (a, ctx) => ({ ...githubCalls["github:index/getOrganization:getOrganization"](a, ctx), plan: "team" }),
        } });
        assert.ok(errors.length > 0, "the run must fail");
        assert.ok(errors.some((e) => e.includes("GitHub prerequisites not met") && e.includes('GitHub "team" offers in public repositories only')), errors.join("\n"));
    });

    it("fails when a reviewer team cannot read the repository", async () => {
        const errors = await programErrors(stackConfig("prod"), { calls: {
            "github:index/getRepositoryTeams:getRepositoryTeams": () => ({ teams: [{ slug: "security-ops", name: "security-ops", permission: "pull" }] }),
        } });
        assert.ok(errors.some((e) => e.includes('team "platform" has no access to ledger-mind/kms-observability')), errors.join("\n"));
    });
});
