import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { ROOT, fixture } from "../harness";

type Step = { name?: string; run?: string; id?: string };
const workflow = parse(fs.readFileSync(path.join(ROOT, ".github", "workflows", "drift.yml"), "utf8")) as { jobs: Record<string, { steps: Step[] }> };
const detectScript = (match: RegExp): string => {
    const s = workflow.jobs.detect.steps.find((x) => match.test(x.name ?? ""));
    assert.ok(s?.run, `a detect step named ${String(match)}`);
    return s.run;
};
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

describe("github: drift.yml detect job scripts, run here", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "kms-drift-detect-"));
        fs.mkdirSync(path.join(dir, "bin"));
        // An `aws` that records the call and answers as EventBridge does, failing entries when asked to.
        fs.writeFileSync(path.join(dir, "bin", "aws"), [
            "#!/usr/bin/env bash",
            'printf "%s\\n" "$*" >> "$AWS_LOG"',
            `printf '{"FailedEntryCount": %s, "Entries": [{"EventId": "e1"}]}\\n' "\${AWS_FAILED:-0}"`,
        ].join("\n") + "\n", { mode: 0o755 });
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    function step(name: string, script: string, preview: string | undefined, extra: Record<string, string> = {}) {
        const tmp = path.join(dir, name);
        fs.mkdirSync(tmp);
        if (preview !== undefined) fs.writeFileSync(path.join(tmp, "preview.json"), preview);
        fs.writeFileSync(path.join(tmp, "preview.stderr"), "error: could not read the stack\n");
        const files = { GITHUB_OUTPUT: path.join(tmp, "output"), GITHUB_STEP_SUMMARY: path.join(tmp, "summary"), AWS_LOG: path.join(tmp, "aws.log") };
        for (const f of Object.values(files)) fs.writeFileSync(f, "");
        const res = spawnSync("bash", ["-e", "-c", script], {
            cwd: ROOT, encoding: "utf8",
            env: { ...process.env, PATH: `${path.join(dir, "bin")}:${process.env.PATH ?? ""}`, ...files, RUNNER_TEMP: tmp, OUT: path.join(tmp, "out"),
                STACK: "prod", GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567", RUN_URL: "https://github.com/o/r/actions/runs/5", PREVIEW_EXIT: "255", ...extra },
        });
        const read = (f: string) => fs.readFileSync(f, "utf8");
        return { status: res.status, output: read(files.GITHUB_OUTPUT), summary: read(files.GITHUB_STEP_SUMMARY), aws: read(files.AWS_LOG), out: path.join(tmp, "out") };
    }

    it("Drift report: the step outputs the later steps test, and the report as the job summary", () => {
        const r = step("report", detectScript(/^Drift report$/), fs.readFileSync(fixture("drift", "preview-prod-hand-edits.json"), "utf8"));
        assert.strictEqual(r.status, 0);
        assert.match(r.output, /^drift=true\ncritical=5\nwarning=2\npending=1\ndir=/m);
        assert.match(r.summary, /^## Drift: kms-observability\/prod — 5 critical, 2 warning$/m);
        assert.match(r.summary, /compared with the code at `0123456789abcdef0123456789abcdef01234567`/);
    });

    it("Drift report: a preview that printed no digest fails the job and says where to look, without Pulumi's output", () => {
        const r = step("failed", detectScript(/^Drift report$/), "");
        assert.notStrictEqual(r.status, 0);
        assert.match(r.summary, /## Drift: prod: the check did not run[\s\S]*failed \(exit 255\) before comparing anything/);
        assert.ok(!r.summary.includes("could not read the stack"), "stderr stays in the log");
    });

    it("Notify: puts the rendered event once; a refused entry fails the step", () => {
        const report = step("notify-src", detectScript(/^Drift report$/), fs.readFileSync(fixture("drift", "preview-prod-hand-edits.json"), "utf8"));
        const notify = detectScript(/^Notify kms-security/);
        const ok = step("notify", notify, undefined, { OUT: report.out });
        assert.strictEqual(ok.status, 0);
        assert.strictEqual(ok.aws.trim(), `events put-events --entries file://${report.out}/events.json`);
        const refused = step("notify-refused", notify, undefined, { OUT: report.out, AWS_FAILED: "1" });
        assert.notStrictEqual(refused.status, 0);
    });
});
