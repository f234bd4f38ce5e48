import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { CONTRACT_VERSION } from "../../contract/outputs";
import { ROOT, stackRun } from "../harness";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { packContract } = require(path.join(ROOT, "tools", "contract-pack.js")) as { packContract(out: string): string };

/** The consumer program docs/outputs.md shows, verbatim. */
function documentedProgram(): string {
    const doc = fs.readFileSync(path.join(ROOT, "docs", "outputs.md"), "utf8");
    const section = doc.split("## Reading the outputs from another program")[1] ?? "";
    const m = /```ts\n([\s\S]*?)```/.exec(section);
    if (!m) throw new Error("docs/outputs.md shows no consumer program");
    return m[1];
}

/** Runs the compiled program under Pulumi mocks whose StackReference returns `outputs`; prints its exports. */
const RUNNER = `
const pulumi = require("@pulumi/pulumi");
const outputs = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
pulumi.runtime.setMocks({
    newResource: (a) => ({ id: a.name, state: a.type === "pulumi:pulumi:StackReference" ? { name: a.inputs.name, outputs, secretOutputNames: [] } : a.inputs }),
    call: () => ({}),
}, "payments", "prod", false).then(async () => {
    const program = require("./index.js");
    const resolved = {};
    for (const [k, v] of Object.entries(program)) resolved[k] = await new Promise((r) => v.apply((x) => { r(x); return x; }));
    process.stdout.write(JSON.stringify(resolved));
}).catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
`;

describe("contract: the consumer package, used from another repository as docs/outputs.md shows", function () {
    this.timeout(120_000);
    let dir: string;
    before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "kms-consumer-")); });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("is versioned with the contract", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "contract", "package.json"), "utf8")) as { version: string; peerDependencies: Record<string, string> };
        assert.strictEqual(pkg.version, CONTRACT_VERSION);
        assert.deepStrictEqual(Object.keys(pkg.peerDependencies).sort(), ["@pulumi/pulumi", "zod"]);
    });

    it("builds, installs outside the repository, type-checks and reads a newer minor version's outputs", async () => {
        // The repository outside this one: the package as npm would install it, its peers, the program.
        const nm = path.join(dir, "node_modules");
        packContract(path.join(nm, "@ledger-mind", "kms-observability-contract"));
        for (const dep of ["zod", "@pulumi/pulumi", "@types/node"]) {
            fs.mkdirSync(path.dirname(path.join(nm, dep)), { recursive: true });
            fs.symlinkSync(path.join(ROOT, "node_modules", dep), path.join(nm, dep), "dir");
        }
        fs.writeFileSync(path.join(dir, "index.ts"), documentedProgram());
        const program = ts.createProgram([path.join(dir, "index.ts")], {
            target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
            strict: true, skipLibCheck: true, esModuleInterop: true, outDir: dir,
        });
        const emitted = program.emit();
        const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics]
            .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
        assert.deepStrictEqual(diagnostics, []);
        assert.ok(!program.getSourceFiles().some((f) => f.fileName.startsWith(ROOT + path.sep) && !f.fileName.includes("node_modules")),
            "the consumer compiled against files of this repository");

        // Prod's outputs as a newer minor version publishes them: an added section and an added field.
        const prod = (await stackRun("prod")).outputs as Record<string, Record<string, unknown>>;
        const newer = { ...prod, contractVersion: "1.9.0", backup: { vaultArn: "arn:aws:backup:x" }, aws: { ...prod.aws, replicaKeyArns: {} } };
        fs.writeFileSync(path.join(dir, "outputs.json"), JSON.stringify(newer));
        fs.writeFileSync(path.join(dir, "run.js"), RUNNER);
        const run = spawnSync(process.execPath, ["run.js", "outputs.json"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
        assert.strictEqual(run.status, 0, run.stderr);
        const exported = JSON.parse(run.stdout) as { signingKeyArn: string; remoteWrite: string };
        assert.match(exported.signingKeyArn, /^arn:aws:kms:us-east-1:\d{12}:key\//);
        assert.match(exported.remoteWrite, /\/api\/v1\/remote_write$/);
    });
});
