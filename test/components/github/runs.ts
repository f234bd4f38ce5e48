import { RawConfig } from "../../../config/load";
import { mockContext } from "../../../tools/engine";
import { MockOverrides } from "../../../tools/mocks";
import { githubCalls } from "../../../tools/mocks/github";
import { StackRun, editSection, runStack, stackConfig } from "../../harness";

// Internal to the runtime and missing from its typings, like runtime/config in config/pulumi.ts.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { leakedPromises(): unknown };

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
    /** Prod with a wait timer, a tag pattern and a second branch pattern on the app repository. */
    tagged: StackRun;
}

let runs: Promise<GithubRuns> | undefined;

/** The evaluations the GitHub component tests assert on, run once per mocha process. */
export function githubRuns(): Promise<GithubRuns> {
    runs ??= (async () => ({
        prod: await runStack(stackConfig("prod")),
        staging: await runStack(stackConfig("staging")),
        tagged: await runStack(editSection(stackConfig("prod"), "github", (g) => {
            const app = (g.repositories as Record<string, Record<string, Record<string, Record<string, unknown>>>>[])[0];
            Object.assign(app.environments.production, { waitTimer: 30, branches: ["main", "release/*"], tags: ["v*"] });
        })),
    }))();
    return runs;
}

/**
 * Runs the program expecting it to fail as `pulumi up` does when a resource input rejects: the
 * runtime surfaces the error (a ResourceError) as an unhandled rejection and the run never ends.
 * Collects those errors until the event loop turns a few times without a new one, with mocha's
 * own listeners (which would count them as a failure of whatever test runs) set aside meanwhile.
 */
export async function programErrors(raw: RawConfig, overrides: MockOverrides): Promise<string[]> {
    const saved = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    const errors: string[] = [];
    let settled = false;
    process.on("unhandledRejection", (e: unknown) => { errors.push(e instanceof Error ? e.message : String(e)); });
    runStack(raw, overrides).then(
        () => { settled = true; },
        (e: unknown) => { errors.push(e instanceof Error ? e.message : String(e)); settled = true; },
    );
    try {
        for (let quiet = 0, seen = 0; !settled && (errors.length === 0 || quiet < 5);) {
            await new Promise((resolve) => setImmediate(resolve));
            quiet = errors.length === seen ? quiet + 1 : 0;
            seen = errors.length;
        }
    } finally {
        process.removeAllListeners("unhandledRejection");
        for (const l of saved) process.on("unhandledRejection", l);
        // The failed run's promises never settle, as in a real failed deployment: take them off the
        // runtime's leak detector, which would otherwise fail the whole mocha process at exit.
        debuggable.leakedPromises();
    }
    return errors;
}
