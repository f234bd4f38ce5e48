import * as pulumi from "@pulumi/pulumi";
// @pulumi/github has no submodules; its index loads each resource lazily (measured: ~5 ms).
import * as github from "@pulumi/github";
import { RepositoryEnvironments, environmentPath, repositoryPath } from "./repositories";

/**
 * What the GitHub plan and the repositories must offer for the configured environments, checked with
 * lookups at preview so that `pulumi preview` says what is missing instead of `pulumi up` failing with
 * GitHub's own 422 (or, worse, applying protections GitHub then ignores).
 *
 * Sources:
 * - "Managing environments for deployment" (docs.github.com/en/actions/how-tos/deploy/configure-and-manage-deployments/manage-environments):
 *   environments in private or internal repositories need GitHub Pro, Team or Enterprise; "If you are
 *   on a GitHub Free, GitHub Pro, or GitHub Team plan, other deployment protection rules, such as a
 *   wait timer or required reviewers, are only available for public repositories."
 * - "Deployments and environments" (docs.github.com/en/actions/reference/workflows-and-actions/deployments-and-environments):
 *   "The reviewers must have at least read access to the repository."
 * - Lookups (integrations/terraform-provider-github): `github_organization` sets `plan` from the
 *   organization's `plan.name` also with `summary_only` (data_source_github_organization.go), which
 *   GitHub returns to organization owners only; `github_repository_teams` lists the teams with access
 *   and their permission (data_source_github_repository_teams.go, GET /repos/{owner}/{repo}/teams);
 *   `github_repository` sets `visibility` (data_source_github_repository.go).
 */

/** Organization plans (REST `plan.name`) that allow required reviewers and wait timers in private repositories. */
export const ENTERPRISE_PLANS: readonly string[] = ["enterprise", "business", "business_plus"];
/** Plans that allow environments (branch policies) in private repositories, but no other protection rule. */
export const ENVIRONMENT_PLANS: readonly string[] = ["team", "pro"];

/** What the lookups found about one repository. */
export interface RepositoryFacts {
    readonly name: string;
    /** `public`, `private` or `internal`. */
    readonly visibility: string;
    /** Slugs of the teams with any access (pull or more) to the repository. */
    readonly teamsWithAccess: readonly string[];
}

/** Problems that stop the deployment, and doubts that only warrant a warning. */
export interface PrerequisiteReport {
    readonly errors: string[];
    readonly warnings: string[];
}

/**
 * Checks the configured environments against the organization's plan and each repository's visibility
 * and team access (plain data in, plain data out). `plan` is empty when the token may not read it
 * (GitHub returns the plan to organization owners only): that is a warning, not an error.
 */
export function planPrerequisites(owner: string, plan: string, repositories: readonly RepositoryEnvironments[],
    facts: readonly RepositoryFacts[]): PrerequisiteReport {
    const errors: string[] = [];
    const warnings: string[] = [];
    const planName = plan.toLowerCase();
    for (const repo of repositories) {
        const f = facts.find((x) => x.name === repo.name);
        if (!f) throw new Error(`no facts gathered for ${owner}/${repo.name}`);
        const where = `${repositoryPath(repo)} (${owner}/${repo.name}, ${f.visibility})`;
        if (f.visibility !== "public") {
            const rules = repo.environments.filter((s) => s.reviewers !== undefined || (s.waitTimer ?? 0) > 0).map((s) => s.name);
            if (planName === "") {
                warnings.push(`${where}: could not read the plan of ${owner} (only organization owners can): environments in a ` +
                    `private or internal repository need GitHub Team or Enterprise, and required reviewers or a wait timer need Enterprise`);
            } else if (!ENTERPRISE_PLANS.includes(planName) && !ENVIRONMENT_PLANS.includes(planName)) {
                errors.push(`${where}: ${owner} is on the GitHub "${plan}" plan, which has no environments in private or internal ` +
                    `repositories: make the repository public or move ${owner} to GitHub Team (environments, branch policies) or Enterprise (required reviewers)`);
            } else if (!ENTERPRISE_PLANS.includes(planName) && rules.length > 0) {
                errors.push(`${where}: ${rules.join(", ")} ${rules.length > 1 ? "have" : "has"} required reviewers or a wait timer, which ` +
                    `GitHub "${plan}" offers in public repositories only: move ${owner} to GitHub Enterprise or make the repository public`);
            }
        }
        for (const s of repo.environments) {
            for (const team of s.reviewers?.teams ?? []) {
                if (!f.teamsWithAccess.includes(team)) {
                    errors.push(`${environmentPath(repo, s)}.reviewers: team "${team}" has no access to ${owner}/${repo.name}; reviewers need at least ` +
                        `read access: add the team under the repository's Settings > Collaborators and teams (Read is enough)` +
                        ` (if it is listed there, github:token cannot see it: a secret team is visible to its members and organization owners only)`);
                }
            }
        }
    }
    return { errors, warnings };
}

/** The lookup's own error, first line. */
const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split("\n")[0].trim();

/**
 * Gathers the facts with the provider's lookups (organization plan, repository visibility, teams with
 * access) and resolves when every prerequisite holds; rejects with every problem otherwise. Warnings
 * go to the engine log. Lookups run at preview as well as at update.
 */
export async function checkPlanPrerequisites(owner: string, repositories: readonly RepositoryEnvironments[],
    opts: pulumi.InvokeOptions, resource: pulumi.Resource): Promise<void> {
    const org = github.getOrganization({ name: owner, summaryOnly: true }, opts).then(
        (o) => o.plan ?? "",
        (e: unknown) => { throw new Error(`github:owner ${owner} does not resolve as an organization (${firstLine(e)})`); });
    const facts = repositories.map(async (r): Promise<RepositoryFacts> => {
        const fullName = `${owner}/${r.name}`;
        const [repo, teams] = await Promise.all([
            github.getRepository({ fullName }, opts),
            github.getRepositoryTeams({ fullName }, opts),
        ]).catch((e: unknown) => {
            throw new Error(`repository ${fullName} does not resolve (${firstLine(e)}): check the name and that github:token may read it`);
        });
        return { name: r.name, visibility: repo.visibility || (repo.private ? "private" : "public"), teamsWithAccess: teams.teams.map((t) => t.slug) };
    });
    let report: PrerequisiteReport;
    try {
        report = planPrerequisites(owner, await org, repositories, await Promise.all(facts));
    } catch (e) {
        throw new pulumi.ResourceError(`GitHub prerequisites: ${(e as Error).message}`, resource);
    }
    for (const w of report.warnings) void pulumi.log.warn(`GitHub prerequisites: ${w}`, resource);
    if (report.errors.length > 0) {
        throw new pulumi.ResourceError(`GitHub prerequisites not met (docs/github.md, Plan prerequisites):\n- ${report.errors.join("\n- ")}`, resource);
    }
}
