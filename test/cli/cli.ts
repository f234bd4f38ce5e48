import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Document, parse, parseDocument } from "yaml";
import { RawConfig } from "../../config/load";
import { mockContext } from "../../tools/engine";
import { createMocks } from "../../tools/mocks";
import { ROOT } from "../harness";
import { MonitoredResource, TestMonitor } from "./monitor";
import { PassphraseCrypter } from "./passphrase";

/*
 * What the Pulumi CLI does between `pulumi config set --secret` and the program's first RPC, done here
 * without the CLI (not installed on these machines), each step from the CLI's source (pulumi/pulumi at
 * 1b59498):
 * 1. `config set --secret`: encrypt with the stack's secrets provider into the stack file (passphrase.ts).
 * 2. Before the run, decrypt every value; one it cannot decrypt stops the run (pkg/cmd/pulumi/stack/secrets.go).
 * 3. Resolve the entry point from Pulumi.yaml `main` (pkg/engine/project.go getPwdMain).
 * 4. The Node.js language host starts `node <@pulumi/pulumi/cmd/run> --monitor --engine --organization
 *    --project --root-directory --stack --pwd [--dry-run] --parallel <entry>`, with PULUMI_CONFIG (JSON map
 *    `<ns>:config:<name>` -> string), PULUMI_CONFIG_SECRET_KEYS (JSON array of `<ns>:<name>`) and
 *    PULUMI_NODEJS_TYPESCRIPT=true for `runtime.options.typescript` (sdk/nodejs/cmd/pulumi-language-nodejs/
 *    main.go execRuntime, constructArguments, constructConfig, constructConfigSecretKeys).
 * 5. The program talks to the engine's ResourceMonitor and Engine services (monitor.ts).
 */

/** A copy of the project (sources, Pulumi.yaml, stack files; node_modules linked) to run as a user would. */
export function copyProject(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kms-cli-"));
    for (const f of ["Pulumi.yaml", "Pulumi.staging.yaml", "Pulumi.prod.yaml", "package.json", "tsconfig.json", "index.ts"]) {
        fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
    }
    for (const d of ["sdk", "shared", "documents", "metrics", "config", "components", "alerts", "dashboards", "contract", "policy"]) {
        fs.cpSync(path.join(ROOT, d), path.join(dir, d), { recursive: true, filter: (src) => !/[\\/](dist|node_modules)$/.test(src) });
    }
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

/** The stack file as the CLI edits it (comments kept). */
const stackFile = (dir: string, stack: string) => path.join(dir, `Pulumi.${stack}.yaml`);

/** `pulumi stack init --secrets-provider passphrase`: the stack file gets an encryptionsalt. */
export function stackInit(dir: string, stack: string, passphrase: string): PassphraseCrypter {
    const crypter = PassphraseCrypter.create(passphrase);
    const doc = parseDocument(fs.readFileSync(stackFile(dir, stack), "utf8"));
    doc.set("encryptionsalt", crypter.encryptionSalt);
    fs.writeFileSync(stackFile(dir, stack), doc.toString());
    return crypter;
}

/** `pulumi config set --secret <key> <value>` (or `< file`: the file's text, trailing newline trimmed). */
export function configSetSecret(dir: string, stack: string, crypter: PassphraseCrypter, key: string, value: string): void {
    const doc: Document = parseDocument(fs.readFileSync(stackFile(dir, stack), "utf8"));
    doc.setIn(["config", key], doc.createNode({ secure: crypter.encrypt(value.replace(/\n$/, "")) }));
    fs.writeFileSync(stackFile(dir, stack), doc.toString());
}

/** The stack's config as the engine hands it to the language host: decrypted strings, objects as JSON. */
export function cliConfig(dir: string, stack: string, passphrase: string): { values: Record<string, string>; secretKeys: string[] } {
    const project = parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as { name: string };
    const doc = parse(fs.readFileSync(stackFile(dir, stack), "utf8")) as { encryptionsalt?: string; config?: Record<string, unknown> };
    let crypter: PassphraseCrypter | undefined;
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    const decryptAll = (v: unknown, key: string, secret: { any: boolean }): unknown => {
        if (v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && "secure" in v) {
            secret.any = true;
            if (!doc.encryptionsalt) throw new Error(`validating stack config: ${key}: failed to decrypt: the stack has no encryptionsalt (passphrase) to decrypt with`);
            crypter ??= PassphraseCrypter.open(passphrase, doc.encryptionsalt);
            try {
                return crypter.decrypt(String((v as { secure: unknown }).secure));
            } catch (e) {
                throw new Error(`validating stack config: failed to decrypt: ${(e as Error).message}`);
            }
        }
        if (Array.isArray(v)) return v.map((x) => decryptAll(x, key, secret));
        if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decryptAll(x, key, secret)]));
        return v;
    };
    for (const [rawKey, v] of Object.entries(doc.config ?? {})) {
        const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
        if (key.startsWith("pulumi:")) continue;
        const secret = { any: false };
        const plain = decryptAll(v, key, secret);
        values[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
        if (secret.any) secretKeys.push(key);
    }
    return { values, secretKeys };
}

export interface ProgramRun {
    exitCode: number | null;
    stdout: string;
    stderr: string;
    resources: MonitoredResource[];
    outputs: Record<string, unknown> | undefined;
    monitor: TestMonitor;
    argv: string[];
}

/**
 * Runs the project in `dir` exactly as the CLI's Node.js language host does, against a monitor of this
 * test; stops the process (SIGKILL) after `timeoutMs` and the server in every case.
 */
export async function runLikeTheCli(dir: string, stack: string, config: { values: Record<string, string>; secretKeys: string[] }, opts: { dryRun?: boolean; timeoutMs?: number } = {}): Promise<ProgramRun> {
    const project = parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as { name: string; main?: string; runtime?: { options?: { typescript?: boolean } } };
    // getPwdMain: a file `main` gives pwd = its directory and entry = its base name; no main gives ".".
    const main = project.main ? path.resolve(dir, project.main) : undefined;
    const pwd = main && !fs.statSync(main).isDirectory() ? path.dirname(main) : main ?? dir;
    const entry = main && !fs.statSync(main).isDirectory() ? path.basename(main) : ".";
    const raw: RawConfig = { file: `Pulumi.${stack}.yaml`, project: project.name, stack, values: config.values, secretKeys: new Set(config.secretKeys) };
    const monitor = new TestMonitor(createMocks(mockContext(raw)), project.name, stack);
    const address = await monitor.start();
    const runPath = require.resolve("@pulumi/pulumi/cmd/run", { paths: [dir] });
    const argv = [runPath, "--monitor", address, "--engine", address, "--organization", "organization", "--project", project.name,
        "--root-directory", dir, "--stack", stack, "--pwd", pwd, ...(opts.dryRun === false ? [] : ["--dry-run"]),
        "--parallel", String(os.availableParallelism() * 4), entry];
    const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PULUMI_")));
    env.PULUMI_CONFIG = JSON.stringify(Object.fromEntries(Object.entries(config.values).map(([k, v]) => {
        const i = k.indexOf(":");
        return [`${k.slice(0, i)}:config:${k.slice(i + 1)}`, v];
    })));
    env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(config.secretKeys);
    if (project.runtime?.options?.typescript !== false) env.PULUMI_NODEJS_TYPESCRIPT = "true";
    try {
        const child = spawn(process.execPath, argv, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => { stdout += d.toString(); });
        child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
        const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
        const exitCode = await new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
        clearTimeout(timer);
        return { exitCode, stdout, stderr, resources: monitor.resources, outputs: monitor.stackOutputs, monitor, argv };
    } finally {
        monitor.stop();
    }
}
