import { CallMock, ResourceMock, numericId } from "./context";

export const githubResources: Record<string, ResourceMock> = {};

/**
 * Lookups resolve every slug/login to a stable id, as a real organization would for names that
 * exist. Tests that need a name to fail resolution override these calls.
 */
export const githubCalls: Record<string, CallMock> = {
    "github:index/getTeam:getTeam": (a, ctx) => ({
        id: numericId(7, "team", ctx.githubOwner, String(a.slug)),
        slug: a.slug, name: a.slug, nodeId: `T_${numericId(10, "team-node", String(a.slug))}`,
    }),
    // An organization on GitHub Enterprise Cloud with private repositories whose default branch is main,
    // each readable by the configured reviewer teams: what the stacks need (docs/github.md, Plan prerequisites).
    "github:index/getOrganization:getOrganization": (a) => ({
        id: numericId(8, "org", String(a.name)), login: a.name, name: a.name, orgname: a.name, plan: "enterprise",
    }),
    "github:index/getRepository:getRepository": (a, ctx) => {
        const fullName = String(a.fullName ?? `${ctx.githubOwner}/${String(a.name)}`);
        return { id: fullName.split("/")[1], fullName, name: fullName.split("/")[1], visibility: "private", private: true, defaultBranch: "main" };
    },
    "github:index/getRepositoryTeams:getRepositoryTeams": (a, ctx) => ({
        id: String(a.fullName ?? a.name), fullName: a.fullName, name: a.name,
        teams: (ctx.githubTeamsWithAccess ?? []).map((slug) => ({ slug, name: slug, permission: "pull" })),
    }),
    "github:index/getUser:getUser": (a) => ({
        id: numericId(8, "user", String(a.username)),
        login: a.username, username: a.username, nodeId: `U_${numericId(10, "user-node", String(a.username))}`,
    }),
};
