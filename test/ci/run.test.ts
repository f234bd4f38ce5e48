import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../harness";

/** The README's quick-start test command (the line that runs `npm test`), without its comment. */
function readmeTestCommand(): string {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const quick = readme.split("## Quick start")[1]?.split("\n## ")[0] ?? "";
    const line = quick.split("\n").find((l) => /&& npm test\b/.test(l));
    if (!line) throw new Error("README Quick start has no test command");
    return line.replace(/\s+#.*$/, "").trim();
}

describe("CI: .ci/run runs the README's test command", () => {
    it("the command works on a fresh Debian image: package lists updated before the install, non-interactive", () => {
        const cmd = readmeTestCommand();
        assert.match(cmd, /^sudo apt-get update && sudo apt-get install -y prometheus prometheus-alertmanager jq && npm test$/);
    });

    it(".ci/run runs exactly that command, after npm ci", () => {
        const run = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8").split("\n").map((l) => l.trim());
        const at = run.indexOf(readmeTestCommand());
        assert.ok(at >= 0, ".ci/run does not run the README's test command verbatim");
        assert.ok(run.findIndex((l) => l.startsWith("npm ci")) < at, "npm ci must come first");
        assert.ok(run.some((l) => l.startsWith("if ! command -v sudo")), "root without sudo must still run it");
    });
});
