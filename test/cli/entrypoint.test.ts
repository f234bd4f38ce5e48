import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ROOT } from "../harness";

/**
 * Which file `pulumi up` runs. The CLI turns Pulumi.yaml's `main` into the host's working directory
 * and entry point (pulumi/pulumi pkg/engine/project.go getPwdMain: a file `main` gives pwd = its
 * directory, entry = its base name; no `main` gives entry "."). The Node.js host
 * (@pulumi/pulumi cmd/run/run.js) consults package.json's `exports`/`main` only when the entry is "."
 * — and package.json's main is dist/index.js, a build that may be stale.
 */
describe("entry point: the CLI runs index.ts, not a build", () => {
    const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { main?: string };

    it("Pulumi.yaml sets main to the TypeScript program", () => {
        assert.strictEqual(project.main, "index.ts");
        assert.ok(fs.statSync(path.join(ROOT, project.main)).isFile());
    });

    it("the host therefore never reads package.json's main (entry point is not \".\")", () => {
        const entry = path.basename(path.resolve(ROOT, project.main ?? "."));
        assert.notStrictEqual(project.main === undefined ? "." : entry, ".");
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { main?: string };
        assert.notStrictEqual(pkg.main, entry, "package.json main would have been the fallback");
        // The SDK's own rule this relies on; test/cli/cli.test.ts shows it end to end with a stale dist/.
        const run = fs.readFileSync(require.resolve("@pulumi/pulumi/cmd/run/run.js"), "utf8");
        assert.match(run, /const hasEntrypoint = argv\._\[0\] !== "\.";/);
    });
});
