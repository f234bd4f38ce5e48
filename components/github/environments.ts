import * as pulumi from "@pulumi/pulumi";
// @pulumi/github has no submodules; its index loads each resource lazily (measured: ~5 ms).
import * as github from "@pulumi/github";
import { EnvironmentName, RepositorySettings } from "../../config/github";
import { checkPlanPrerequisites } from "./prerequisites";
import { ReviewerNames, ReviewerResolver } from "./reviewers";

export interface EnvironmentProtectionsArgs {
    /** The organization (or user) that owns the repositories: `github:owner`. */
    owner: string;
    /** The `github.repositories` of the stack config, validated (at least one environment each). */
    repositories: readonly RepositorySettings[];
    /** `protect` and `retainOnDelete` for the environments (their history and approvals). Default false. */
    protectStateful?: boolean;
}

/** One environment of one repository as configured, with its place in the config for messages. */
interface EnvironmentSpec {
    readonly repository: string;
    readonly environment: EnvironmentName;
    readonly configPath: string;
    readonly waitTimer: number;
    readonly branches: readonly string[];
    readonly tags: readonly string[];
    readonly reviewers?: ReviewerNames;
}

/** The configured environments, in config order (production before staging within a repository). */
export function environmentSpecs(repositories: readonly RepositorySettings[]): EnvironmentSpec[] {
    return repositories.flatMap((r, i) => {
        const specs: EnvironmentSpec[] = [];
        const { production, staging } = r.environments;
        if (production) specs.push({ repository: r.name, environment: "production", configPath: `github.repositories[${i}].environments.production`, ...production });
        if (staging) specs.push({ repository: r.name, environment: "staging", configPath: `github.repositories[${i}].environments.staging`, ...staging });
        return specs;
    });
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

        for (const spec of environmentSpecs(args.repositories)) {
            const envName = `${name}-${spec.repository}-${spec.environment}`;
            const env = new github.RepositoryEnvironment(envName, {
                repository: spec.repository,
                environment: spec.environment,
                waitTimer: pulumi.output(prerequisites.then(() => spec.waitTimer)),
                // The provider defaults to letting admins bypass every rule: the protections would be advisory.
                canAdminsBypass: false,
                // Only the custom patterns below may deploy (not "any protected branch").
                deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
                ...(spec.reviewers ? {
                    reviewers: [this.reviewerIds(resolver, spec.reviewers, `${spec.configPath}.reviewers`)],
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
            spec.branches.forEach((p) => policy("branch", p));
            spec.tags.forEach((p) => policy("tag", p));

            (names[spec.repository] ??= []).push(env.environment);
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
