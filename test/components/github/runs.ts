import { mockContext } from "../../../tools/engine";
import { githubCalls } from "../../../tools/mocks/github";
import { StackRun, editSection, runStack, stackConfig, stackRun } from "../../harness";

/** Type tokens the GitHub component tests look up. */
export const T = {
    protections: "kms-observability:github:EnvironmentProtections",
    oidc: "kms-observability:github:ActionsOidc",
    environment: "github:index/repositoryEnvironment:RepositoryEnvironment",
    deploymentPolicy: "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
    variable: "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable",
    file: "github:index/repositoryFile:RepositoryFile",
    provider: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
};

export const GET_TEAM = "github:index/getTeam:getTeam";
export const GET_USER = "github:index/getUser:getUser";

/** The `github` stack outputs. */
export interface GithubOutputs {
    environments: Record<string, string[]>;
    roleArns: Record<string, Record<string, string>>;
}
export const githubOut = (run: StackRun): GithubOutputs => run.outputs.github as GithubOutputs;

/** The id the offline mocks give a team slug / user login, as the number the reviewers field holds. */
export function mockTeamId(slug: string): number {
    return Number(githubCalls[GET_TEAM]({ slug }, mockContext(stackConfig("prod"))).id);
}
export function mockUserId(login: string): number {
    return Number(githubCalls[GET_USER]({ username: login }, mockContext(stackConfig("prod"))).id);
}

export interface GithubRuns {
    prod: StackRun;
    staging: StackRun;
    /** Prod with a wait timer, a tag pattern and a second branch pattern on the app repository (no rotation there). */
    tagged: StackRun;
}

let runs: Promise<GithubRuns> | undefined;

/** The evaluations the GitHub component tests assert on, run once per mocha process. */
export function githubRuns(): Promise<GithubRuns> {
    runs ??= (async () => ({
        prod: await stackRun("prod"),
        staging: await stackRun("staging"),
        tagged: await runStack(editSection(stackConfig("prod"), "github", (g) => {
            const app = (g.repositories as Record<string, Record<string, Record<string, Record<string, unknown>>>>[])[0];
            Object.assign(app.environments.production, { waitTimer: 30, branches: ["main", "release/*"], tags: ["v1.*"] });
            // Wildcards are refused on environments with a key-rotating role: this repository only deploys.
            Object.assign(app, { kmsRotation: false, commitRotationWorkflow: false });
        })),
    }))();
    return runs;
}
