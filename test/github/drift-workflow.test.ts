import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { ROOT, fixture } from "../harness";

type Step = { name?: string; run?: string };
const workflow = parse(fs.readFileSync(path.join(ROOT, ".github", "workflows", "drift.yml"), "utf8")) as { jobs: Record<string, { steps: Step[] }> };
const issueScript = (): string => {
    const s = workflow.jobs.issue.steps.find((x) => x.run !== undefined);
    assert.ok(s?.run, "the issue job has a script");
    return s.run;
};

/**
 * A `gh` on PATH that records its arguments and answers `gh issue list --json … --jq <filter>` by
 * applying the filter (with the real jq, as gh does) to the open issues in $GH_ISSUES.
 */
const GH_STUB = `#!/usr/bin/env bash
printf '%s\\n' "$*" >> "$GH_LOG"
if [ "$1 $2" = "issue list" ]; then
  while [ $# -gt 0 ]; do if [ "$1" = "--jq" ]; then jq -r "$2" <<<"$GH_ISSUES"; exit 0; fi; shift; done
fi
`;

describe("github: drift.yml issue job, run with a recording gh", () => {
    let dir: string;
    before(() => {
        const jq = spawnSync("jq", ["--version"], { encoding: "utf8" });
        assert.strictEqual(jq.status, 0, "jq is needed (GitHub's runners have it; .ci/run installs it)");
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "kms-drift-wf-"));
        fs.mkdirSync(path.join(dir, "bin"));
        fs.writeFileSync(path.join(dir, "bin", "gh"), GH_STUB, { mode: 0o755 });
        const cli = (input: string, out: string) => spawnSync(process.execPath,
            [path.join(ROOT, "dist", "tools", "drift", "cli.js"), "--stack", "prod", "--preview", input, "--out", out], { encoding: "utf8", cwd: ROOT });
        assert.strictEqual(cli(fixture("drift", "preview-prod-hand-edits.json"), path.join(dir, "drifted")).status, 0);
        const clean = path.join(dir, "clean.json");
        fs.writeFileSync(clean, JSON.stringify({ steps: [{ op: "refresh", urn: "urn:pulumi:prod::kms-observability::pulumi:pulumi:Stack::kms-observability-prod", detailedDiff: null }] }));
        assert.strictEqual(cli(clean, path.join(dir, "clean")).status, 0);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** Runs the issue script with `report/` holding `report` (or nothing) and the given open issues; returns the gh calls. */
    function run(name: string, report: "drifted" | "clean" | undefined, openIssues: { number: number; title: string }[]): string[] {
        const cwd = path.join(dir, name);
        fs.mkdirSync(cwd);
        if (report) fs.cpSync(path.join(dir, report), path.join(cwd, "report"), { recursive: true });
        const log = path.join(cwd, "gh.log");
        fs.writeFileSync(log, "");
        const res = spawnSync("bash", ["-c", issueScript()], {
            cwd, encoding: "utf8",
            env: { ...process.env, PATH: `${path.join(dir, "bin")}:${process.env.PATH ?? ""}`, GH_LOG: log, GH_ISSUES: JSON.stringify(openIssues),
                STACK: "prod", RUN_URL: "https://github.com/ledger-mind/kms-observability/actions/runs/9" },
        });
        assert.strictEqual(res.status, 0, res.stderr);
        return fs.readFileSync(log, "utf8").trim().split("\n").filter((l) => !l.startsWith("label create") && !l.startsWith("issue list"));
    }
    const OTHER = { number: 3, title: "Drift detected: kms-observability/staging" };

    it("drift and no open issue for the stack: opens one, labelled drift, with the report as body", () => {
        assert.deepStrictEqual(run("open", "drifted", [OTHER]), ["issue create --title Drift detected: kms-observability/prod --label drift --body-file report/issue.md"]);
    });

    it("drift and an open issue: updates its body and comments, on that issue only", () => {
        const calls = run("update", "drifted", [OTHER, { number: 7, title: "Drift detected: kms-observability/prod" }]);
        assert.deepStrictEqual(calls.map((c) => c.split(" --body ")[0]), ["issue edit 7 --body-file report/issue.md", "issue comment 7"]);
        assert.match(calls[1], /Still drifted at https:\/\/github\.com\/.*\/runs\/9: Drift in kms-observability\/prod: 5 critical, 2 warning$/);
    });

    it("no drift any more: closes the open issue; no drift and no issue: does nothing", () => {
        const calls = run("close", "clean", [{ number: 7, title: "Drift detected: kms-observability/prod" }]);
        assert.strictEqual(calls.length, 1);
        assert.match(calls[0], /^issue close 7 --comment No drift at https:\/\/\S+: every resource of `prod` matches the code again\.$/);
        assert.deepStrictEqual(run("quiet", "clean", [OTHER]), []);
    });

    it("the check did not complete (no report): says so on the stack's issue", () => {
        const calls = run("failed", undefined, []);
        assert.strictEqual(calls.length, 1);
        assert.match(calls[0], /^issue create --title Drift detected: kms-observability\/prod --label drift --body The drift check of `prod` did not complete/);
    });
});
