import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse, stringify } from "yaml";
import { ConfigError } from "../../config/errors";
import { parseSettings } from "../../config/load";
import { readStackConfig } from "../../tools/stackfile";
import { ROOT } from "../harness";

type StackDoc = { config: Record<string, unknown> };

interface BadCase {
    /** What is wrong, as a reviewer would say it. */
    readonly what: string;
    readonly edit: (config: Record<string, unknown>) => void;
    /** The start of the one expected problem line (after the file name). */
    readonly expect: string;
    /** A fragment of what is allowed, from the same line. */
    readonly allowed: string;
    /** Further problems that follow from the same mistake (other keys that refer to the changed value). */
    readonly consequences?: number;
}

const section = (c: Record<string, unknown>, key: string) => c[`kms-observability:${key}`] as Record<string, unknown>;

/** Each case is the prod stack file with exactly one mistake. */
export const BAD_CASES: readonly BadCase[] = [
    { what: "unknown environment", edit: (c) => { c["kms-observability:environment"] = "production"; },
        expect: `kms-observability:environment = "production"`, allowed: `"staging"|"prod"` },
    { what: "missing environment", edit: (c) => { delete c["kms-observability:environment"]; },
        expect: "kms-observability:environment = (missing): is required", allowed: "staging" },
    { what: "protectStateful not a boolean", edit: (c) => { c["kms-observability:protectStateful"] = "yes"; },
        expect: `kms-observability:protectStateful = "yes"`, allowed: "boolean" },
    { what: "typo in a project key", edit: (c) => { c["kms-observability:enviroment"] = "prod"; },
        expect: `kms-observability:enviroment = (not shown): unknown key (did you mean "environment"?)`, allowed: "allowed: environment" },
    { what: "upper-case label key", edit: (c) => { (section(c, "labels") as Record<string, string>).CostCenter = "sec"; },
        expect: `kms-observability:labels.CostCenter = "sec"`, allowed: "[a-z][a-z0-9_-]{0,62}" },
    { what: "malformed AWS region", edit: (c) => { c["aws:region"] = "us-east"; },
        expect: `aws:region = "us-east"`, allowed: "us-east-1" },
    { what: "invalid GCP project id", edit: (c) => { c["gcp:project"] = "Ledger_Mind"; },
        expect: `gcp:project = "Ledger_Mind"`, allowed: "6-30 lower-case" },
    { what: "Grafana URL without scheme", edit: (c) => { c["grafana:url"] = "grafana.ledger-mind.org"; },
        expect: `grafana:url = "grafana.ledger-mind.org"`, allowed: "http(s)://" },
    { what: "Grafana auth in plaintext", edit: (c) => { c["grafana:auth"] = "glsa_plaintext_token"; },
        expect: "grafana:auth = ", allowed: "pulumi config set --secret" },
    { what: "GitHub token in plaintext", edit: (c) => { c["github:token"] = "ghp_plaintext"; },
        expect: "github:token = ", allowed: "pulumi config set --secret" },
    { what: "invalid GitHub owner", edit: (c) => { c["github:owner"] = "-ledger mind"; },
        expect: `github:owner = "-ledger mind"`, allowed: "organization or user login" },
    // Missing secrets: test/config/secrets.test.ts (a stack file holds none until they are set).
    { what: "secure value nested in a structured key", edit: (c) => { (section(c, "labels") as Record<string, unknown>).team = { secure: "v1:abc" }; },
        expect: "kms-observability:labels = [secret]: holds a secure value inside a structured key", allowed: "top-level key" },
    { what: "key rotation below 90 days", edit: (c) => { ((section(c, "aws").keys as Record<string, unknown>[])[0]).rotationDays = 30; },
        expect: "kms-observability:aws.keys[0].rotationDays = 30", allowed: "must be 90" },
    { what: "Slack channel without #", edit: (c) => { (section(c, "alerting").slack as Record<string, unknown>).channel = "security-ops"; },
        expect: `kms-observability:alerting.slack.channel = "security-ops"`, allowed: "#",
        // amp.chatbot maps #security-ops to a Chatbot channel, which no receiver posts to any more.
        consequences: 1 },
    { what: "invalid BigQuery dataset id", edit: (c) => { (section(c, "gcp").dataset as Record<string, unknown>).id = "kms-audit"; },
        expect: `kms-observability:gcp.dataset.id = "kms-audit"`, allowed: "letters, digits" },
];

function writeCase(dir: string, name: string, c: BadCase): string {
    const doc = parse(fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8")) as StackDoc;
    c.edit(doc.config);
    const file = path.join(dir, `Pulumi.${name}.yaml`);
    fs.writeFileSync(file, stringify(doc));
    return file;
}

describe("config: bad stack files are rejected before any resource", () => {
    let dir: string;
    before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "kms-bad-config-")); });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    BAD_CASES.forEach((c, i) => {
        it(`rejects: ${c.what}`, () => {
            const file = writeCase(dir, `bad${i}`, c);
            const raw = readStackConfig(ROOT, "prod", file);
            assert.throws(() => parseSettings(raw), (e: unknown) => {
                assert.ok(e instanceof ConfigError, String(e));
                assert.deepStrictEqual(e.problems.length, 1 + (c.consequences ?? 0), e.problems.join("\n"));
                const p = e.problems.find((x) => x.startsWith(`Pulumi.bad${i}.yaml: ${c.expect}`));
                assert.ok(p, e.problems.join("\n"));
                assert.ok(p.includes(c.allowed), `"${p}" should say what is allowed ("${c.allowed}")`);
                assert.ok(!/plaintext_token|ghp_plaintext|offline-secret:/.test(p), `secret value echoed: ${p}`);
                return true;
            });
        });
    });

    it("reports every problem of a file at once", () => {
        const file = writeCase(dir, "many", { what: "", expect: "", allowed: "", edit: (c) => BAD_CASES.slice(0, 8).forEach((b) => b.edit(c)) });
        assert.throws(() => parseSettings(readStackConfig(ROOT, "prod", file)), (e: ConfigError) => e.problems.length >= 7);
    });

    it("the plan exits 1 naming file, key, value and what is allowed, and writes nothing", () => {
        const file = writeCase(dir, "cli", BAD_CASES[5]);
        const out = path.join(dir, "out-cli");
        const res = spawnSync(process.execPath, [path.join(ROOT, "dist", "tools", "plan.js"), "--stack", "prod", "--config-file", file, "--out", out], { encoding: "utf8" });
        assert.strictEqual(res.status, 1, res.stderr);
        assert.match(res.stderr, /Pulumi\.cli\.yaml: aws:region = "us-east": must be an AWS region like us-east-1/);
        assert.ok(!fs.existsSync(out), "no output folder for an invalid stack");
    });

    it("the program itself (real CLI path) fails before registering any resource", async () => {
        const file = writeCase(dir, "prog", BAD_CASES[0]);
        const raw = readStackConfig(ROOT, "prod", file);
        const registered: string[] = [];
        pulumi.runtime.setAllConfig({ ...raw.values }, [...raw.secretKeys]);
        await pulumi.runtime.setMocks({
            newResource: (a) => { registered.push(a.type); return { id: a.name, state: a.inputs }; },
            call: () => ({}),
        }, raw.project, raw.stack, true);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const program = require(path.join(ROOT, "dist", "index.js")) as () => unknown;
        await assert.rejects(pulumi.runtime.runInPulumiStack(async () => program()), /kms-observability:environment = "production"/);
        await pulumi.runtime.disconnect();
        assert.deepStrictEqual(registered.filter((t) => t !== "pulumi:pulumi:Stack"), []);
    });
});
