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
    "github:index/getUser:getUser": (a) => ({
        id: numericId(8, "user", String(a.username)),
        login: a.username, username: a.username, nodeId: `U_${numericId(10, "user-node", String(a.username))}`,
    }),
};
