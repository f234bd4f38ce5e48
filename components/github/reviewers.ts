import * as pulumi from "@pulumi/pulumi";
// @pulumi/github has no submodules; its index loads each resource lazily (measured: ~5 ms).
import * as github from "@pulumi/github";

/** Reviewer ids as `RepositoryEnvironment.reviewers` takes them (numbers; lookups return strings). */
export interface ReviewerIds {
    readonly teams: number[];
    readonly users: number[];
}

/** Reviewer names from config: team slugs and user logins. */
export interface ReviewerNames {
    readonly teams: readonly string[];
    readonly users: readonly string[];
}

/** A GitHub database id from a lookup's string `id`, or an error naming what did not resolve. */
export function githubId(id: unknown, what: string): number {
    const n = typeof id === "string" && /^[1-9]\d*$/.test(id) ? Number(id) : NaN;
    if (!Number.isSafeInteger(n)) throw new Error(`${what} resolved to id ${JSON.stringify(id)}, not a GitHub id`);
    return n;
}

/** The lookup's own error, first line, in parentheses; empty when the engine gave no detail. */
const reason = (e: unknown): string => {
    const first = (e instanceof Error ? e.message : String(e)).split("\n")[0].trim();
    return first ? ` (${first})` : "";
};

/**
 * Resolves team slugs and user logins to ids with the provider's lookups, each name once per
 * program (the same team reviews several environments). A name that does not resolve rejects
 * with a message that names it, the owner, and what to check.
 */
export class ReviewerResolver {
    private readonly teams = new Map<string, Promise<number>>();
    private readonly users = new Map<string, Promise<number>>();

    constructor(private readonly owner: string, private readonly opts: pulumi.InvokeOptions) {}

    team(slug: string): Promise<number> {
        let id = this.teams.get(slug);
        if (!id) {
            const what = `team "${slug}"`;
            id = github.getTeam({ slug, summaryOnly: true }, this.opts).then(
                (t) => githubId(t.id, what),
                (e: unknown) => {
                    throw new Error(`${what} does not resolve in ${this.owner}${reason(e)}: check the slug ` +
                        `(github.com/orgs/${this.owner}/teams/<slug>) and that github:token may read the organization's teams`);
                });
            this.teams.set(slug, id);
        }
        return id;
    }

    user(login: string): Promise<number> {
        let id = this.users.get(login);
        if (!id) {
            const what = `user "${login}"`;
            id = github.getUser({ username: login }, this.opts).then(
                (u) => githubId(u.id, what),
                (e: unknown) => {
                    throw new Error(`${what} does not resolve${reason(e)}: check the login (github.com/<login>)`);
                });
            this.users.set(login, id);
        }
        return id;
    }

    /** Every name resolved; the ids keep the order of the names. */
    async resolve(names: ReviewerNames): Promise<ReviewerIds> {
        const [teams, users] = await Promise.all([
            Promise.all(names.teams.map((s) => this.team(s))),
            Promise.all(names.users.map((l) => this.user(l))),
        ]);
        return { teams, users };
    }
}
