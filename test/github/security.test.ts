import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { rotationTemplatePath } from "../../components/github/workflow";
import { REPOSITORY_OPTIONS, RuleId, checkWorkflow, formatFinding } from "../../tools/workflow-security";
import { ROOT } from "../harness";

const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const FIXTURES = path.join(ROOT, "test", "fixtures", "workflows");
/** Every workflow this project ships: its own and the one it commits to other repositories. */
const shipped = (): string[] => [
    ...fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(WORKFLOWS, f)),
    rotationTemplatePath(),
];
const check = (file: string) => checkWorkflow(path.basename(file), fs.readFileSync(file, "utf8"), REPOSITORY_OPTIONS);
const usesLines = (file: string): string[] => fs.readFileSync(file, "utf8").split("\n").filter((l) => /^\s*(-\s*)?uses:/.test(l)).map((l) => l.replace(/^\s*(-\s*)?uses:\s*/, ""));

describe("github: workflow security check (tools/workflow-security.ts)", () => {
    it("reports nothing on every workflow this project ships or commits elsewhere", () => {
        const files = shipped();
        // Every workflow in .github/workflows is checked, whatever its name (new ones included).
        for (const name of ["kms-rotate.yml", "preview.yml", "up.yml"]) assert.ok(files.some((f) => path.basename(f) === name), name);
        for (const file of files) assert.deepStrictEqual(check(file).map(formatFinding), [], file);
    });

    const RULES: RuleId[] = ["unpinned-uses", "untrusted-checkout", "oidc-without-environment", "pr-secrets", "pr-write-token",
        "expression-injection", "missing-permissions", "persist-credentials"];
    for (const rule of RULES) {
        it(`${rule}: its fixture fails with exactly that rule`, () => {
            const findings = check(path.join(FIXTURES, `${rule}.yml`));
            assert.ok(findings.length > 0, `${rule}.yml must fail`);
            assert.deepStrictEqual([...new Set(findings.map((f) => f.rule))], [rule], findings.map(formatFinding).join("\n"));
        });
    }

    it("every fixture is covered by a rule and every rule by a fixture", () => {
        assert.deepStrictEqual(fs.readdirSync(FIXTURES).map((f) => f.replace(/\.yml$/, "")).sort(), [...RULES].sort());
    });

    it("unpinned-uses reports the tag and the SHA without a version comment, on their lines", () => {
        const found = check(path.join(FIXTURES, "unpinned-uses.yml")).map((f) => [f.line, /version|40-hex/.exec(f.message)?.[0]]);
        assert.deepStrictEqual(found, [[10, "40-hex"], [11, "version"]]);
    });

    it("expression-injection flags head_ref and the PR title, not a PR number", () => {
        const src = fs.readFileSync(path.join(FIXTURES, "expression-injection.yml"), "utf8");
        assert.strictEqual(checkWorkflow("x.yml", src).length, 2);
        const safe = src.replace(/echo "building .*"/, 'echo "${{ github.event.pull_request.number }}"').replace(/- run: echo "\$\{\{ github.event.pull_request.title \}\}"/, "- run: echo ok");
        assert.deepStrictEqual(checkWorkflow("x.yml", safe), []);
    });

    it("a read-only secret and a protected environment are allowed; OIDC without environment only where listed", () => {
        const pr = fs.readFileSync(path.join(FIXTURES, "pr-secrets.yml"), "utf8");
        assert.deepStrictEqual(checkWorkflow("x.yml", pr.replace("GH_DEPLOY_TOKEN", "GH_READONLY_TOKEN")), []);
        assert.deepStrictEqual(checkWorkflow("x.yml", pr.replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    environment: production")), []);
        const oidc = fs.readFileSync(path.join(FIXTURES, "oidc-without-environment.yml"), "utf8");
        assert.deepStrictEqual(checkWorkflow("o.yml", oidc, { readOnlyOidcJobs: ["o.yml#deploy"] }), []);
    });

    it("untrusted-checkout also covers workflow_run, and a top-level id-token: write reaches every job", () => {
        const sha = "3d3c42e5aac5ba805825da76410c181273ba90b1";
        const wr = `name: w\non:\n  workflow_run:\n    workflows: [Preview]\n    types: [completed]\npermissions:\n  contents: read\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n` +
            `      - uses: actions/checkout@${sha} # v7.0.1\n        with:\n          ref: \${{ github.event.workflow_run.head_sha }}\n          persist-credentials: false\n`;
        assert.deepStrictEqual(checkWorkflow("w.yml", wr).map((f) => f.rule), ["untrusted-checkout"]);
        // The base branch's own code (no ref) is what pull_request_target may check out.
        assert.deepStrictEqual(checkWorkflow("w.yml", wr.replace(/ {10}ref: .*\n/, "")), []);
        const top = "name: t\non: push\npermissions:\n  contents: read\n  id-token: write\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ok\n";
        assert.deepStrictEqual(checkWorkflow("t.yml", top).map((f) => f.rule), ["oidc-without-environment"]);
    });

    it("the read-only OIDC job reaches read-only identities only (names the ci component creates)", () => {
        const wf = parse(fs.readFileSync(path.join(WORKFLOWS, "preview.yml"), "utf8")) as { jobs: Record<string, { steps: { uses?: string; with?: Record<string, string>; env?: Record<string, string> }[] }> };
        for (const entry of REPOSITORY_OPTIONS.readOnlyOidcJobs ?? []) {
            const [file, job] = entry.split("#");
            assert.strictEqual(file, "preview.yml");
            const steps = wf.jobs[job].steps;
            const withs = steps.filter((s) => /^(aws-actions|google-github-actions)\//.test(s.uses ?? "")).map((s) => JSON.stringify(s.with));
            assert.strictEqual(withs.length, 2);
            for (const w of withs) assert.match(w, /READONLY/);
            assert.ok(!steps.some((s) => /^pulumi\/auth-actions@/.test(s.uses ?? "")), "no Pulumi Cloud token in a pull request job");
            const secrets = steps.flatMap((s) => Object.values(s.env ?? {})).filter((v) => v.includes("secrets"));
            for (const s of secrets) assert.match(s, /READONLY/);
        }
    });

    it("the rotation template uses the same pins as this repository for the actions both use", () => {
        const pins = new Map<string, string>();
        for (const file of shipped()) {
            for (const line of usesLines(file)) {
                const [action, rest] = line.split("@");
                const prior = pins.get(action);
                if (prior !== undefined) assert.strictEqual(rest, prior, `${path.basename(file)}: ${action} pinned differently`);
                pins.set(action, rest);
            }
        }
        assert.ok(pins.size >= 6);
    });

    it("no write-capable provider token sits in a stack file: github:token and grafana:auth come from the environment's secrets", () => {
        for (const stack of ["staging", "prod"]) {
            const config = (parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> }).config;
            assert.deepStrictEqual(Object.keys(config).filter((k) => k === "github:token" || k === "grafana:auth"), [], stack);
        }
    });

    it("Dependabot moves the pins (github-actions) and the npm lock files through pull requests", () => {
        const cfg = parse(fs.readFileSync(path.join(ROOT, ".github", "dependabot.yml"), "utf8")) as { updates: { "package-ecosystem": string; directory: string }[] };
        const eco = cfg.updates.map((u) => `${u["package-ecosystem"]}:${u.directory}`).sort();
        assert.deepStrictEqual(eco, ["github-actions:/", "npm:/", "npm:/policy"]);
    });
});
