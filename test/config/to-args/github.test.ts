import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { actionsOidcArgs, environmentProtectionsArgs } from "../../../config/to-args";
import { parseSettings } from "../../../config/load";
import { stackConfig } from "../../harness";

/** config/to-args/github.ts: `github.repositories` as the GitHub components' plain Args. */
describe("config/to-args: github.repositories -> EnvironmentProtections and ActionsOidc Args", () => {
    it("names each repository and environment by its place in the stack file, production before staging, with the section's defaults", () => {
        const prod = parseSettings(stackConfig("prod"));
        const { repositories } = environmentProtectionsArgs(prod);
        assert.deepStrictEqual(repositories.map((r) => [r.name, r.configPath, r.environments.map((e) => e.configPath)]),
            prod.github.repositories.map((r, i) => [r.name, `github.repositories[${i}]`,
                (["production", "staging"] as const).filter((e) => r.environments[e]).map((e) => `github.repositories[${i}].environments.${e}`)]));
        const first = prod.github.repositories[0].environments.production!;
        assert.deepStrictEqual(repositories[0].environments[0], {
            name: "production", configPath: "github.repositories[0].environments.production",
            waitTimer: first.waitTimer, branches: first.branches, tags: first.tags, reviewers: first.reviewers,
        });
    });

    it("gives ActionsOidc only the repositories with kmsRotation, keeping their config paths, and the workflow where commitRotationWorkflow", () => {
        const staging = parseSettings(stackConfig("staging"));
        // The repository without kmsRotation first: the rotating one keeps index 1 in its messages.
        const repos = staging.github.repositories;
        const settings = { ...staging, github: { ...staging.github, repositories: [...repos.filter((r) => !r.kmsRotation), ...repos.filter((r) => r.kmsRotation)] } };
        assert.strictEqual(settings.github.repositories[0].kmsRotation, false, "staging has a repository without kmsRotation");
        const none: Record<string, string> = {};
        const keys = { keyArns: pulumi.output(none), aliases: pulumi.output(none) };
        // The environments resource only passes through to the component's dependsOn.
        const args = actionsOidcArgs(settings, {} as pulumi.Resource, keys, "p:d");
        const rotating = settings.github.repositories.filter((r) => r.kmsRotation);
        assert.deepStrictEqual(args.repositories?.map((r) => [r.name, r.configPath, r.proposeRotationWorkflow]),
            rotating.map((r) => [r.name, `github.repositories[${settings.github.repositories.indexOf(r)}]`, r.commitRotationWorkflow]));
        assert.ok(args.repositories?.every((r) => r.configPath !== "github.repositories[0]"));
    });
});
