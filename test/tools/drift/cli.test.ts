import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main as driftMain } from "../../../tools/drift/cli";
import { ROOT, fixture } from "../../harness";
import { inProcess, planInProcess } from "../../policy/plan-cli";

const drift = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, "dist", "tools", "drift", "cli.js"), ...args], { encoding: "utf8", cwd: ROOT });
/** The drift command's main() in this process: its argument and input handling (see inProcess). */
const driftIn = async (...args: string[]) => (await inProcess(() => driftMain(args, ROOT))).status;

describe("tools: npm run drift (CLI)", () => {
    let dir: string;
    before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "kms-drift-")); });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("--preview: writes the summary, notification and issue, and the step outputs the workflow reads", () => {
        const out = path.join(dir, "preview");
        const gh = path.join(dir, "github-output");
        const res = drift("--stack", "prod", "--preview", fixture("drift", "preview-prod-hand-edits.json"), "--out", out,
            "--run-url", "https://github.com/ledger-mind/kms-observability/actions/runs/42", "--github-output", gh);
        assert.strictEqual(res.status, 0, res.stderr);
        assert.deepStrictEqual(fs.readdirSync(out).sort(), ["events.json", "issue-title.txt", "issue.md", "notification.json", "notification.txt", "report.json", "summary.md"]);
        const events = JSON.parse(fs.readFileSync(path.join(out, "events.json"), "utf8")) as { Source: string; DetailType: string; Detail: string }[];
        assert.deepStrictEqual(events.map((e) => [e.Source, e.DetailType]), [["kms-observability.drift", "Drift detected"]]);
        assert.strictEqual(events[0].Detail, fs.readFileSync(path.join(out, "notification.json"), "utf8").trim(), "the rule forwards the detail: the Chatbot notification");
        assert.deepStrictEqual(fs.readFileSync(gh, "utf8").split("\n").filter((l) => !l.startsWith("dir=")),
            ["drift=true", "critical=5", "warning=2", "pending=1", ""]);
        assert.strictEqual(fs.readFileSync(path.join(out, "issue-title.txt"), "utf8"), "Drift detected: kms-observability/prod\n");
        assert.match(fs.readFileSync(path.join(out, "summary.md"), "utf8"), /\[Workflow run\]\(https:\/\/github\.com\/ledger-mind\/kms-observability\/actions\/runs\/42\)/);
        assert.match(res.stdout, /^CRITICAL github-kms-observability-production/m);
        for (const f of fs.readdirSync(out)) assert.ok(!fs.readFileSync(path.join(out, f), "utf8").includes("hooks.slack.com"), f);
    });

    it("--code/--observed: two plan documents; a hand-disabled reviewer requirement is critical; secrets stay out", async () => {
        const code = path.join(dir, "code");
        assert.strictEqual((await planInProcess(["--stack", "prod", "--out", code])).status, 0);
        const doc = JSON.parse(fs.readFileSync(path.join(code, "plan.json"), "utf8")) as { resources: { type: string; inputs: Record<string, unknown> }[] };
        const env = doc.resources.find((r) => r.type === "github:index/repositoryEnvironment:RepositoryEnvironment" && r.inputs.repository === "kms-observability" && r.inputs.environment === "production");
        assert.ok(env);
        env.inputs.reviewers = [];
        const cp = doc.resources.find((r) => r.type === "grafana:alerting/contactPoint:ContactPoint" && Array.isArray(r.inputs.slacks) && r.inputs.slacks.length > 0);
        assert.ok(cp);
        (cp.inputs.slacks as Record<string, unknown>[])[0].url = "https://hooks.slack.com/services/T1/B1/plainTextWebhookValue";
        const observed = path.join(dir, "observed.json");
        fs.writeFileSync(observed, JSON.stringify(doc));
        const gh = path.join(dir, "gh2");
        const res = drift("--stack", "prod", "--code", path.join(code, "plan.json"), "--observed", observed, "--out", path.join(dir, "plans"), "--github-output", gh);
        assert.strictEqual(res.status, 0, res.stderr);
        assert.match(fs.readFileSync(gh, "utf8"), /^drift=true\ncritical=2\nwarning=0\n/);
        const report = JSON.parse(fs.readFileSync(path.join(dir, "plans", "report.json"), "utf8")) as { drift: { name: string; class: string; properties: { path: string; code: unknown; observed: unknown }[] }[] };
        const envDrift = report.drift.find((d) => d.name === "github-kms-observability-production");
        assert.deepStrictEqual([envDrift?.class, envDrift?.properties.map((p) => p.path)], ["critical", ["reviewers"]]);
        assert.ok(!/plainTextWebhookValue|hooks\.slack\.com/.test(fs.readdirSync(path.join(dir, "plans")).map((f) => fs.readFileSync(path.join(dir, "plans", f), "utf8")).join("")));
    });

    it("exit 2 on usage errors, 1 on input that is not a refresh preview", async () => {
        assert.strictEqual(await driftIn("--preview", "x.json"), 2, "--stack is required");
        assert.strictEqual(await driftIn("--stack", "prod"), 2, "an input is required");
        assert.strictEqual(await driftIn("--stack", "prod", "--preview", "a.json", "--code", "b.json"), 2);
        assert.strictEqual(drift("--stack", "prod", "--preview", path.join(dir, "nope.json")).status, 2);
        const text = path.join(dir, "text.json");
        fs.writeFileSync(text, "Previewing update (prod):\n");
        const res = drift("--stack", "prod", "--preview", text, "--out", path.join(dir, "bad"));
        assert.strictEqual(res.status, 1);
        assert.match(res.stderr, /not JSON.*pulumi preview --refresh --json/);
        assert.ok(!fs.existsSync(path.join(dir, "bad")), "nothing written");
    });
});
