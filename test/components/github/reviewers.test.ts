import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ReviewerResolver, githubId } from "../../../components/github/reviewers";
import { mockContext } from "../../../tools/engine";
import { createMocks } from "../../../tools/mocks";
import { stackConfig } from "../../harness";
import { GET_TEAM, mockTeamId, mockUserId } from "./runs";

describe("github: reviewer lookups (components/github/reviewers.ts)", () => {
    it("turns the lookups' string ids into the numbers the reviewers field takes", () => {
        assert.strictEqual(githubId("7012345", "team x"), 7012345);
        for (const bad of ["", "0", "12a", "-5", "1e3", 12, undefined]) {
            assert.throws(() => githubId(bad, "team x"), /team x resolved to id .*, not a GitHub id/, String(bad));
        }
    });

    it("resolves slugs and logins in order, and rejects naming the team that does not resolve", async () => {
        const raw = stackConfig("prod");
        await pulumi.runtime.setMocks(createMocks(mockContext(raw), {
            calls: {
                [GET_TEAM]: (a) => {
                    if (a.slug === "ghost") throw Object.assign(new Error("404"), { details: "404 Not Found" });
                    return { id: String(mockTeamId(String(a.slug))) };
                },
            },
        }), raw.project, raw.stack, true);
        const resolver = new ReviewerResolver("ledger-mind", {});
        assert.deepStrictEqual(await resolver.resolve({ teams: ["platform", "security-ops"], users: ["leok974"] }), {
            teams: [mockTeamId("platform"), mockTeamId("security-ops")], users: [mockUserId("leok974")],
        });
        await assert.rejects(resolver.resolve({ teams: ["ghost"], users: [] }),
            { message: 'team "ghost" does not resolve in ledger-mind (404 Not Found): check the slug (github.com/orgs/ledger-mind/teams/<slug>) and that github:token may read the organization\'s teams' });
    });
});
