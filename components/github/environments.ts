import * as pulumi from "@pulumi/pulumi";
// @pulumi/github has no submodules; its index loads each resource lazily (measured: ~5 ms).
import * as github from "@pulumi/github";
import { checkPlanPrerequisites } from "./prerequisites";
import { RepositoryEnvironments, environmentPath } from "./repositories";
import { ReviewerNames, ReviewerResolver } from "./reviewers";

export interface EnvironmentProtectionsArgs {
    /** The organization (or user) that owns the repositories. */
    owner: string;
    /** The repositories and their environments (at least one each), checked against the owner's plan at preview. */
    repositories: readonly RepositoryEnvironments[];
    /** `protect` and `retainOnDelete` for the environments (their history and approvals). Default false. */
    protectStateful?: boolean;
}

/**
 * GitHub deployment environments with their protection rules: required reviewers resolved from
 * team slugs and user logins, self-review prevented, no admin bypass, an optional wait timer, and
 * a custom deployment policy (one policy resource per branch or tag pattern). Environments
 * without reviewers (staging) keep the branch policy and the admin-bypass ban.
 */
export class EnvironmentProtections extends pulumi.ComponentResource {
    /** Environment names per repository, e.g. `{ "ai-finance-agent-oss": ["production"] }`. */
    public readonly environments: pulumi.Output<Record<string, string[]>>;

    constructor(name: string, args: EnvironmentProtectionsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kms-observability:github:EnvironmentProtections", name, {}, opts);
        const stateful = args.protectStateful ?? false;
        const resolver = new ReviewerResolver(args.owner, { parent: this });
        const names: Record<string, pulumi.Output<string>[]> = {};
        // Plan, visibility and reviewer-team access, looked up at preview: every environment waits for
        // the check, so a missing prerequisite fails the preview with what to change, before any write.
        const prerequisites = checkPlanPrerequisites(args.owner, args.repositories, { parent: this }, this);

        for (const repo of args.repositories) {
            for (const spec of repo.environments) {
                const envName = `${name}-${repo.name}-${spec.name}`;
                const env = new github.RepositoryEnvironment(envName, {
                    repository: repo.name,
                    environment: spec.name,
                    waitTimer: pulumi.output(prerequisites.then(() => spec.waitTimer ?? 0)),
                    // The provider defaults to letting admins bypass every rule: the protections would be advisory.
                    canAdminsBypass: false,
                    // Only the custom patterns below may deploy (not "any protected branch").
                    deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
                    ...(spec.reviewers ? {
                        reviewers: [this.reviewerIds(resolver, spec.reviewers, `${environmentPath(repo, spec)}.reviewers`)],
                        preventSelfReview: true,
                    } : {}),
                }, { parent: this, protect: stateful, retainOnDelete: stateful });

                const policy = (kind: "branch" | "tag", pattern: string) =>
                    new github.RepositoryEnvironmentDeploymentPolicy(`${envName}-${kind}-${pattern}`, {
                        repository: env.repository,
                        // From the environment's output: the policy waits for customBranchPolicies to be on.
                        environment: env.environment,
                        ...(kind === "branch" ? { branchPattern: pattern } : { tagPattern: pattern }),
                    }, { parent: this });
                (spec.branches ?? []).forEach((p) => policy("branch", p));
                (spec.tags ?? []).forEach((p) => policy("tag", p));

                (names[repo.name] ??= []).push(env.environment);
            }
        }

        this.environments = pulumi.output(Object.fromEntries(
            Object.entries(names).map(([repo, envs]) => [repo, pulumi.all(envs)]),
        ));
        this.registerOutputs({ environments: this.environments });
    }

    /** Ids for the reviewers field; a name that does not resolve fails the deployment with its config path. */
    private reviewerIds(resolver: ReviewerResolver, reviewers: ReviewerNames, configPath: string) {
        return pulumi.output(resolver.resolve(reviewers).catch((e: unknown) => {
            throw new pulumi.ResourceError(`${configPath}: ${(e as Error).message}`, this);
        }));
    }
}
