import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, parseDocument } from "yaml";
import { secureValueProblems } from "../../tools/stackfile";
import { ROOT, StackRun, fixture, stackRun } from "../harness";
import { ProgramRun, cliConfig, configSetSecret, copyProject, runLikeTheCli, stackInit } from "./cli";
import { userSecrets } from "./secrets";

/*
 * The program run the way `pulumi preview` runs it: @pulumi/pulumi's own language entry point
 * (cmd/run) as a child process with the CLI host's arguments and environment, against a
 * ResourceMonitor/Engine gRPC server of this test (see cli.ts and monitor.ts for the sources of each
 * step). One run per stack, each bounded by a timeout that kills the process; the server is stopped
 * after every run. What a real preview would add is the providers (diffs and unknowns from the clouds):
 * resources get the offline plan's mock ids and outputs here, so the two runs can be compared.
 */

const PASSPHRASE = "correct horse battery staple";
const STALE = "STALE BUILD: dist/index.js ran instead of index.ts";

/**
 * A build older than the sources, as `npm run plan` or `npm test` leaves one: it must never run. Its
 * program fails with a RunError, which the SDK reports by message; its stack is the message only, as
 * config/pulumi.ts does for its RunError (the host's util.inspect of SDK frames loops on Node 20.20:
 * ~20 s of GC per run, measured here).
 */
function plantStaleBuild(dir: string): void {
    fs.mkdirSync(path.join(dir, "dist"), { recursive: true });
    fs.writeFileSync(path.join(dir, "dist", "index.js"),
        `const pulumi = require("@pulumi/pulumi");\n` +
        `module.exports = () => { const e = new pulumi.RunError(${JSON.stringify(STALE)}); e.stack = e.message; throw e; };\n`);
}

/** Every leaf of plain JSON with its path (`slacks[0].url`). */
function leaves(v: unknown, at = ""): [string, unknown][] {
    if (Array.isArray(v)) return v.flatMap((x, i) => leaves(x, `${at}[${i}]`));
    if (v !== null && typeof v === "object") return Object.entries(v).flatMap(([k, x]) => leaves(x, at ? `${at}.${k}` : k));
    return [[at, v]];
}

const underSecret = (p: string, secretPaths: readonly string[]) => secretPaths.some((s) => p === s || p.startsWith(`${s}.`) || p.startsWith(`${s}[`));
const diagnostics = (run: ProgramRun) => [run.stdout, run.stderr, ...run.monitor.logs.map((l) => l.message)].join("\n");

/**
 * Secrets no resource input carries: the providers' tokens (`grafana:auth`, `github:token`) configure
 * the engine's default providers (outside the program's RPCs); `smtpAuthPassword` is read by self-hosted Alertmanager from a
 * `*_file` (alerts/alertmanager.ts); the audit key is checked on its data sources below.
 */
const NOT_IN_INPUTS = ["grafana:auth", "github:token", "kms-observability:smtpAuthPassword", "kms-observability:grafanaAuditServiceAccountKey"];

describe("CLI protocol: the program as `pulumi preview` runs it (test/cli)", function () {
    this.timeout(600_000);

    for (const stack of ["staging", "prod"]) {
        describe(`${stack}: stack init, config set --secret for each README secret, preview`, () => {
            let dir: string;
            let secrets: Record<string, string>;
            let config: ReturnType<typeof cliConfig>;
            let run: ProgramRun;
            let offline: StackRun;
            before(async () => {
                dir = copyProject();
                plantStaleBuild(dir);
                const crypter = stackInit(dir, stack, PASSPHRASE);
                secrets = userSecrets(stack);
                for (const [key, value] of Object.entries(secrets)) configSetSecret(dir, stack, crypter, key, value);
                config = cliConfig(dir, stack, PASSPHRASE);
                run = await runLikeTheCli(dir, stack, config, { timeoutMs: 240_000 });
                offline = await stackRun(stack);
            });
            after(() => fs.rmSync(dir, { recursive: true, force: true }));

            it("leaves real passphrase ciphertext in the stack file, which the repository's check accepts", () => {
                const doc = parse(fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8")) as Record<string, unknown>;
                assert.match(String(doc.encryptionsalt), /^v1:/);
                assert.deepStrictEqual(secureValueProblems(doc, `Pulumi.${stack}.yaml`), []);
            });

            it("runs to completion: exit 0 and no error diagnostic", () => {
                assert.strictEqual(run.exitCode, 0, diagnostics(run).slice(-4000));
                assert.deepStrictEqual(run.monitor.logs.filter((l) => l.severity >= 3).map((l) => l.message), []);
                assert.ok(run.outputs, "no stack outputs were registered");
            });

            it("ran the TypeScript sources (index.ts via ts-node), not the stale dist/ build", () => {
                assert.strictEqual(run.argv[run.argv.length - 1], "index.ts");
                assert.ok(!diagnostics(run).includes(STALE), "the stale build ran");
                assert.ok(run.monitor.logs.some((l) => l.message.startsWith(`Running program '${path.join(dir, "index.ts")}'`)),
                    "the SDK did not report running index.ts");
            });

            it("hands every secret to the program as the CLI does: a decrypted string, its key listed secret", () => {
                assert.deepStrictEqual([...config.secretKeys].sort(), Object.keys(secrets).sort());
                for (const [key, value] of Object.entries(secrets)) assert.strictEqual(config.values[key], value.replace(/\n$/, ""), key);
                // The key file stays text: a JSON string, not an object, as `config set --secret k < key.json` stores it.
                assert.strictEqual(typeof config.values["kms-observability:grafanaAuditServiceAccountKey"], "string");
            });

            it("gets the service-account key file's JSON string to the audit data sources as their private key, secret", () => {
                const key = JSON.parse(secrets["kms-observability:grafanaAuditServiceAccountKey"]) as { private_key: string };
                const sources = run.resources.filter((r) => r.type === "grafana:oss/dataSource:DataSource" && r.plainInputs.secureJsonDataEncoded !== undefined);
                assert.ok(sources.length > 0, "no data source took the key");
                for (const r of sources) {
                    assert.ok(r.secretInputs.includes("secureJsonDataEncoded"), `${r.name}: secureJsonDataEncoded is not secret`);
                    assert.strictEqual((JSON.parse(String(r.plainInputs.secureJsonDataEncoded)) as { privateKey: string }).privateKey, key.private_key);
                }
            });

            it("gets every other secret to its resources, only ever as a secret input", () => {
                for (const [key, value] of Object.entries(secrets).filter(([k]) => !NOT_IN_INPUTS.includes(k))) {
                    const uses = run.resources.flatMap((r) => leaves(r.plainInputs).filter(([, v]) => v === value).map(([p]) => ({ r, p })));
                    assert.ok(uses.length > 0, `${key} reaches no resource`);
                    for (const { r, p } of uses) assert.ok(underSecret(p, r.secretInputs), `${key} reaches ${r.type} ${r.name}.${p} in plaintext`);
                }
            });

            it("registers exactly the offline plan's resources (type, name, parent) and stack outputs", () => {
                const shape = (rs: readonly { type: string; name: string; parent: string | null }[]) => rs.map((r) => `${r.type} ${r.name} <- ${r.parent ?? "-"}`).sort();
                assert.deepStrictEqual(shape(run.resources), shape(offline.resources));
                assert.deepStrictEqual(run.outputs, offline.outputs);
            });
        });
    }

    describe("what the harness catches that the mock-engine plan could not", () => {
        it("fabricated secure: values stop the run before the program starts (no provider; wrong ciphertext)", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kms-cli-fabricated-"));
            try {
                fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
                fs.copyFileSync(fixture("stackfiles", "fabricated.yaml"), path.join(dir, "Pulumi.staging.yaml"));
                assert.throws(() => cliConfig(dir, "staging", PASSPHRASE), /validating stack config: grafana:auth: failed to decrypt: the stack has no encryptionsalt/);
                stackInit(dir, "staging", PASSPHRASE);
                assert.throws(() => cliConfig(dir, "staging", PASSPHRASE), /validating stack config: failed to decrypt: message authentication failed/);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("a fresh stack (no secret set) stops before any resource with one error naming every missing secret", async () => {
            const dir = copyProject();
            try {
                const run = await runLikeTheCli(dir, "prod", cliConfig(dir, "prod", PASSPHRASE), { timeoutMs: 240_000 });
                assert.notStrictEqual(run.exitCode, 0);
                const errors = run.monitor.logs.filter((l) => l.severity >= 3).map((l) => l.message);
                assert.strictEqual(errors.length, 1, errors.join("\n---\n"));
                const missing = Object.keys(userSecrets("prod")).filter((k) => !["grafana:auth", "github:token"].includes(k));
                for (const key of missing) assert.ok(errors[0].includes(`pulumi config set --secret --stack prod ${key} `), `${key} not named:\n${errors[0]}`);
                assert.deepStrictEqual(run.resources.map((r) => r.type), ["pulumi:pulumi:Stack"]);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("without `main` in Pulumi.yaml the host runs package.json's main: the stale dist/ build", async () => {
            const dir = copyProject();
            try {
                plantStaleBuild(dir);
                const project = parseDocument(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"));
                project.delete("main");
                fs.writeFileSync(path.join(dir, "Pulumi.yaml"), project.toString());
                const run = await runLikeTheCli(dir, "staging", cliConfig(dir, "staging", PASSPHRASE), { timeoutMs: 120_000 });
                assert.strictEqual(run.argv[run.argv.length - 1], ".");
                assert.notStrictEqual(run.exitCode, 0);
                assert.ok(diagnostics(run).includes(STALE), diagnostics(run).slice(-2000));
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });
});
