import { ReviewerNames } from "./reviewers";

/**
 * The repositories and deployment environments the GitHub components (EnvironmentProtections, the
 * prerequisites check, ActionsOidc) take: plain data, no config types. config/to-args maps
 * `github.repositories` to these.
 */

/** One deployment environment of a repository and its protection rules. */
export interface EnvironmentArgs {
    /** The environment's name, e.g. `production`. */
    readonly name: string;
    /**
     * Where the environment is declared, named in error messages (e.g.
     * `github.repositories[0].environments.production`). Default `<repository>.environments.<name>`.
     */
    readonly configPath?: string;
    /** Minutes a job waits after it is triggered before it may run (0-43200). Default 0. */
    readonly waitTimer?: number;
    /** Branch name patterns that may deploy (custom deployment branch policies). Default none. */
    readonly branches?: readonly string[];
    /** Tag name patterns that may deploy, e.g. `v*`. Default none. */
    readonly tags?: readonly string[];
    /** Required reviewers (team slugs in the owner, user logins); self-review is then prevented. Default none. */
    readonly reviewers?: ReviewerNames;
}

/** A repository and the environments managed in it. */
export interface RepositoryEnvironments {
    /** Repository name in the owner, without the owner. */
    readonly name: string;
    /** Where the repository is declared, named in error messages (e.g. `github.repositories[0]`). Default: its name. */
    readonly configPath?: string;
    /** Its environments, in order. At least one. */
    readonly environments: readonly EnvironmentArgs[];
}

/** The name of a repository in error messages. */
export const repositoryPath = (repo: RepositoryEnvironments): string => repo.configPath ?? repo.name;

/** The name of an environment in error messages. */
export const environmentPath = (repo: RepositoryEnvironments, env: EnvironmentArgs): string =>
    env.configPath ?? `${repo.name}.environments.${env.name}`;
