import { z } from "zod";
import { isPinnedRefPattern } from "../shared/limits";
import { arnAccount } from "./aws";
import { intRange } from "./common";

/**
 * `kms-observability:github` — deployment environments of the repositories that rotate or deploy
 * this stack's keys, and their OIDC wiring to AWS. Each stack manages the environment that
 * deploys to it (prod: `production`, staging: `staging`), so the role an environment's workflows
 * assume only ever reaches that stack's keys.
 */

/** GitHub allows at most six required reviewers (teams and users together) per environment. */
const MAX_REVIEWERS = 6;

/** The deployment environments a repository may declare (reviewers are mandatory on production). */
export type EnvironmentName = "production" | "staging";

const repositoryName = () =>
    z.string()
        .regex(/^[A-Za-z0-9._-]{1,100}$/, {
            error: "must be a repository name without the owner (github:owner is the owner): 1-100 letters, digits, '-', '_' or '.'",
        })
        .refine((n) => n !== "." && n !== ".." && !n.toLowerCase().endsWith(".git"), {
            error: "must be a repository name: not '.', '..' or ending in .git",
        });

const teamSlug = () => z.string().regex(/^[a-z0-9][a-z0-9_-]{0,99}$/, {
    error: "must be a team slug as in the team's URL (lower-case letters, digits, '-' or '_'), without the organization",
});
const userLogin = () => z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/, {
    error: "must be a GitHub login: up to 39 letters, digits or single hyphens, not starting or ending with a hyphen",
});

/** A branch or tag name pattern as GitHub deployment policies take it (fnmatch syntax, e.g. `release/*`). */
const refPattern = () => z.string().regex(/^(?!.*\.\.)[^\s~^:\\]{1,255}$/, {
    error: "must be a branch or tag name pattern such as main, release/* or v*: no spaces, '..', '~', '^', ':' or '\\'",
});

/**
 * A wildcard in disguise (`*`, `[a-z]*`, `{main,*}`) lets (nearly) any ref deploy: no protection.
 * Same test as the policy pack's github-production-branch-pattern-pinned rule (shared/limits.ts).
 */
const matchesEverything = (pattern: string): boolean => !isPinnedRefPattern(pattern);

/**
 * Any fnmatch wildcard. GitHub matches deployment branch and tag policies with File.fnmatch
 * (docs.github.com, "Managing environments for deployment"), so `release/*` admits every branch
 * anyone with write access creates under release/. Same test as the pack's github-rotation-environment-exact-refs.
 */
const HAS_WILDCARD = /[*?[\]]/;

const unique = (what: string) => (xs: readonly string[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    xs.forEach((x, i) => {
        if (seen.has(x.toLowerCase())) {
            ctx.addIssue({ code: "custom", path: [i], input: x, message: `is listed twice: each ${what} once` });
        }
        seen.add(x.toLowerCase());
    });
};

const environmentFields = {
    /** Minutes a job waits after it is triggered before it may run (0-43200 = 30 days). Default 0. */
    waitTimer: intRange(0, 43200).default(0),
    /** Branch name patterns allowed to deploy (custom deployment branch policy). Default `[main]`. */
    branches: z.array(refPattern()).superRefine(unique("branch pattern")).default(["main"]),
    /** Tag name patterns allowed to deploy, e.g. `v*`. Default none. */
    tags: z.array(refPattern()).superRefine(unique("tag pattern")).default([]),
};

/** Every environment must let something deploy, or its workflows can never run. */
function requirePattern(env: { branches: string[]; tags: string[] }, ctx: z.RefinementCtx) {
    if (env.branches.length + env.tags.length === 0) {
        ctx.addIssue({
            code: "custom", path: ["branches"], input: env.branches,
            message: "needs at least one branch or tag pattern (with none, nothing can deploy to this environment)",
        });
    }
}

const reviewers = z.object({
    /** Team slugs in github:owner, e.g. `security-ops`. Default none. */
    teams: z.array(teamSlug()).superRefine(unique("team")).default([]),
    /** User logins, e.g. `octocat`. Default none. */
    users: z.array(userLogin()).superRefine(unique("user")).default([]),
}).strict().superRefine((r, ctx) => {
    const total = r.teams.length + r.users.length;
    if (total === 0) {
        ctx.addIssue({
            code: "custom", path: [], input: r,
            message: "production needs at least one required reviewer (a team slug or a user login)",
        });
    } else if (total > MAX_REVIEWERS) {
        ctx.addIssue({
            code: "custom", path: [], input: r,
            message: `lists ${total} reviewers: GitHub allows at most ${MAX_REVIEWERS} (teams and users together)`,
        });
    }
});

/** `production`: required reviewers, self-review prevented, admins cannot bypass, named branches only. */
const productionEnvironment = z.object({
    /** Required reviewers: at least 1, at most 6 teams and users together. Required. */
    reviewers,
    ...environmentFields,
}).strict().superRefine((env, ctx) => {
    requirePattern(env, ctx);
    for (const kind of ["branches", "tags"] as const) {
        env[kind].forEach((p, i) => {
            if (matchesEverything(p)) {
                ctx.addIssue({
                    code: "custom", path: [kind, i], input: p,
                    message: "is a wildcard pattern that matches refs nobody named: production must name what may deploy (a literal ref, or a literal prefix ending in / . _ or - then wildcards: main, release/*, v1.*)",
                });
            }
        });
    }
});

/** `staging`: the same branch policy and wait timer, no reviewers (it deploys on every merge). */
const stagingEnvironment = z.object({ ...environmentFields }).strict().superRefine(requirePattern);

const repository = z.object({
    /** Repository name in github:owner (no owner prefix). Required. */
    name: repositoryName(),
    /** The environments this stack manages in the repository: at least one. */
    environments: z.object({
        production: productionEnvironment.optional(),
        staging: stagingEnvironment.optional(),
    }).strict().refine((e) => e.production !== undefined || e.staging !== undefined, {
        error: "must declare production and/or staging",
    }),
    /**
     * Whether the repository's workflows rotate this stack's keys: one OIDC role per environment
     * (RotateKeyOnDemand, GetKeyRotationStatus, DescribeKey on this stack's keys) and the
     * environment variables the rotation workflow reads. Default true; false manages the
     * environments' protections only.
     */
    kmsRotation: z.boolean().default(true),
    /**
     * Propose the rotation workflow template as `.github/workflows/kms-rotate.yml` through a pull
     * request into the default branch (a branch per template version; overwrites a hand-written copy
     * once merged). Needs kmsRotation and a production environment, and a github:token allowed to
     * write contents, workflows and pull requests. Default false.
     */
    commitRotationWorkflow: z.boolean().default(false),
}).strict().superRefine((r, ctx) => {
    if (r.kmsRotation) {
        for (const env of ["production", "staging"] as const) {
            for (const kind of ["branches", "tags"] as const) {
                r.environments[env]?.[kind].forEach((p, i) => {
                    if (HAS_WILDCARD.test(p)) {
                        ctx.addIssue({
                            code: "custom", path: ["environments", env, kind, i], input: p,
                            message: `is a wildcard on an environment with a key-rotating role: anyone who can push a matching ${kind === "branches" ? "branch" : "tag"} could run the rotation with it; name exact, protected branches (e.g. main)`,
                        });
                    }
                });
            }
        }
    }
    if (r.commitRotationWorkflow && (!r.kmsRotation || !r.environments.production)) {
        ctx.addIssue({
            code: "custom", path: ["commitRotationWorkflow"], input: r.commitRotationWorkflow,
            message: "needs kmsRotation: true and a production environment (the workflow runs in production with its role)",
        });
    }
});

/**
 * `github.ci` — this repository's own CI identities (components/ci): the read-only identities pull
 * requests and `readonly-<environment>` jobs use, and the deploy identities of the stack's deployment
 * environment (docs/github.md, "CI credential design").
 */
const ciSection = z.object({
    /** The repository whose workflows deploy this stack; listed in `repositories` with exactly one environment. Required. */
    repository: repositoryName(),
    /**
     * Name of the AWS deploy role (the one `aws.deployers` exempts from the MFA deny). Default
     * `<aws.namePrefix>-ci-deploy`. An existing role of that name is adopted with `pulumi import` (docs/github.md).
     */
    deployRoleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, { error: "must be an IAM role name: 1-64 letters, digits or +=,.@_-" }).optional(),
    /**
     * Customer managed policies that give the deploy role its permissions (maintained with the account
     * baseline; AWS managed administrator policies are refused by the policy pack). At least one.
     */
    deployPolicyArns: z.array(z.string().regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:policy\/[\w+=,.@\/-]+$/, {
        error: "must be a customer managed policy ARN: arn:aws:iam::<account>:policy/<name>",
    })).min(1, { error: "needs at least one policy: the deploy role must be able to run pulumi up" }),
    /** The Pulumi Cloud organization whose teams the workflows' OIDC tokens map to. Default `github:owner`. */
    pulumiOrganization: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/).optional(),
}).strict();

export type CiSettings = z.infer<typeof ciSection>;

export const githubSection = z.object({
    /** Repositories in github:owner whose environments this stack manages: at least one. */
    repositories: z.array(repository).min(1, { error: "must list at least one repository" }).superRefine((rs, ctx) => {
        unique("repository")(rs.map((r) => r.name), ctx);
    }),
    /**
     * ARN of the account's existing GitHub OIDC provider (an account holds only one per URL; creating a
     * second fails with EntityAlreadyExists). Read with aws.iam.getOpenIdConnectProvider at preview.
     * Default: this stack creates it.
     */
    oidcProviderArn: z.string().regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/, {
        error: "must be the ARN of the GitHub OIDC provider: arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com",
    }).optional(),
    /** This repository's CI identities (read-only and deploy). Default: none are managed. */
    ci: ciSection.optional(),
}).strict();

export type GithubSettings = z.infer<typeof githubSection>;
export type RepositorySettings = GithubSettings["repositories"][number];

/** One environment a repository declares, with its place in the stack config (named in messages). */
export interface DeclaredEnvironment {
    readonly repository: string;
    readonly environment: EnvironmentName;
    /** e.g. `github.repositories[0].environments.production`. */
    readonly configPath: string;
    readonly waitTimer: number;
    readonly branches: readonly string[];
    readonly tags: readonly string[];
    readonly reviewers?: { readonly teams: readonly string[]; readonly users: readonly string[] };
}

/** The environments `github.repositories[index]` declares, production before staging. */
export function declaredEnvironments(r: RepositorySettings, index: number): DeclaredEnvironment[] {
    const at = (env: EnvironmentName) => ({ repository: r.name, environment: env, configPath: `github.repositories[${index}].environments.${env}` });
    const { production, staging } = r.environments;
    return [...(production ? [{ ...at("production"), ...production }] : []), ...(staging ? [{ ...at("staging"), ...staging }] : [])];
}

/** Every configured environment, in config order. */
export const environmentSpecs = (repositories: readonly RepositorySettings[]): DeclaredEnvironment[] => repositories.flatMap(declaredEnvironments);

/**
 * The roles trust the OIDC provider by ARN: one from another account than the keys' would make
 * every AssumeRoleWithWebIdentity fail. Cross-section, so it runs on the whole project config.
 */
export function checkGithubOidcAccount(
    s: { aws: { accountId: string; namePrefix: string; deployers: string[] }; github: GithubSettings },
    ctx: z.RefinementCtx,
) {
    const arn = s.github.oidcProviderArn;
    if (arn !== undefined && arnAccount(arn) !== s.aws.accountId) {
        ctx.addIssue({
            code: "custom", path: ["github", "oidcProviderArn"], input: arn,
            message: `must be in aws.accountId ${s.aws.accountId}: the roles are created there and trust this provider`,
        });
    }
    checkCi(s, ctx);
}

/** The deploy role name `github.ci` gives, or its default. */
export const ciDeployRoleName = (ci: CiSettings, namePrefix: string): string => ci.deployRoleName ?? `${namePrefix}-ci-deploy`;

/** The CI repository deploys through exactly one environment of this stack, and its deploy role is an exempt deployer. */
function checkCi(s: { aws: { accountId: string; namePrefix: string; deployers: string[] }; github: GithubSettings }, ctx: z.RefinementCtx) {
    const ci = s.github.ci;
    if (!ci) return;
    const repo = s.github.repositories.find((r) => r.name === ci.repository);
    const envs = repo ? Object.keys(repo.environments).filter((e) => repo.environments[e as EnvironmentName]) : [];
    if (envs.length !== 1) {
        ctx.addIssue({
            code: "custom", path: ["github", "ci", "repository"], input: ci.repository,
            message: repo ? `declares ${envs.length} environments in github.repositories: the CI repository needs exactly one, the environment that deploys this stack`
                : "must be listed in github.repositories with the environment that deploys this stack",
        });
    }
    const roleArn = `arn:aws:iam::${s.aws.accountId}:role/${ciDeployRoleName(ci, s.aws.namePrefix)}`;
    if (!s.aws.deployers.includes(roleArn)) {
        ctx.addIssue({
            code: "custom", path: ["github", "ci", "deployRoleName"], input: ci.deployRoleName ?? ciDeployRoleName(ci, s.aws.namePrefix),
            message: `is not in aws.deployers (add ${roleArn}): the key policies' MFA deny would stop the deploy role's PutKeyPolicy`,
        });
    }
    ci.deployPolicyArns.forEach((p, i) => {
        if (arnAccount(p) !== s.aws.accountId) {
            ctx.addIssue({ code: "custom", path: ["github", "ci", "deployPolicyArns", i], input: p, message: `must be in aws.accountId ${s.aws.accountId}` });
        }
    });
}
