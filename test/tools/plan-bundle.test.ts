import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFERRED_CLOSURE_MODULES } from "../../sdk/closure";
import { ROOT } from "../harness";

/**
 * The plan's bundle (tools/build.js bundlePlan, tools/plan-bundle.ts), what `npm run plan` runs.
 * That it writes the same files as the unbundled plan is test/tools/plan.test.ts; here: what is
 * in it and what a run of it loads.
 */
const BUNDLE = path.join(ROOT, "dist", "plan", "plan.js");
// esbuild marks where each bundled file starts with a comment naming its path.
const bundled = (source: string, pkg: string) => source.includes(`\n// node_modules/${pkg}/`);

describe("tools: the plan's bundle", () => {
    let source: string;
    before(() => { source = fs.readFileSync(BUNDLE, "utf8"); });

    it("holds the program, the plan tool and the SDKs in one file", () => {
        for (const pkg of ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/gcp", "@pulumi/github", "@pulumiverse/grafana", "zod", "yaml"]) {
            assert.ok(bundled(source, pkg), `${pkg} is not in the bundle`);
        }
        for (const file of ["index.ts", "tools/plan.ts", "tools/plan-bundle.ts", "sdk/adapter.ts", "components/aws/governance.ts"]) {
            assert.ok(source.includes(`\n// ${file}\n`), `${file} is not in the bundle`);
        }
    });

    it("leaves out the closure serializer's TypeScript and Arborist; each stand-in names an installed file", () => {
        for (const pkg of ["typescript", "@npmcli/arborist", "normalize-package-data", "fdir"]) {
            assert.ok(!bundled(source, pkg), `${pkg} was bundled`);
        }
        const targets = [...source.matchAll(/require\("path"\)\.join\(__dirname, "([^"]+)"\)/g)].map((m) => m[1]);
        const deferred = Object.values(DEFERRED_CLOSURE_MODULES).flat();
        assert.strictEqual(targets.length, deferred.length, `stand-ins ${targets.join(", ")} for ${deferred.join(", ")}`);
        for (const t of targets) assert.ok(fs.existsSync(path.join(path.dirname(BUNDLE), t)), `stand-in target ${t} does not exist`);
    });

    it("behind the stand-ins @pulumi/pulumi loads without TypeScript and Arborist, and serializing a function or computing code paths still loads and uses them", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kms-bundle-"));
        try {
            fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "empty", version: "1.0.0", dependencies: {} }));
            const entry = path.join(dir, "entry.js");
            fs.writeFileSync(entry, `
const pulumi = require("@pulumi/pulumi");
const loaded = () => ["typescript", "@npmcli/arborist"].filter((m) => Object.keys(require.cache).some((k) => k.includes("/node_modules/" + m + "/")));
const out = { atLoad: loaded() };
(async () => {
    out.serialized = (await pulumi.runtime.serializeFunction(() => 40 + 2)).text.includes("40 + 2");
    out.afterSerialize = loaded();
    out.codePaths = (await pulumi.runtime.computeCodePaths()) instanceof Map;
    out.afterCodePaths = loaded();
    process.stdout.write(JSON.stringify(out));
})().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });`);
            const bundle = path.join(dir, "bundle.js");
            // The same bundling as dist/plan/plan.js's (tools/build.js).
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            await (require(path.join(ROOT, "tools", "build.js")) as { bundleDeferringClosure(entry: string, outfile: string): Promise<void> }).bundleDeferringClosure(entry, bundle);
            const r = spawnSync(process.execPath, ["--no-warnings", bundle], { cwd: dir, encoding: "utf8", timeout: 60_000 });
            assert.strictEqual(r.status, 0, r.stderr);
            const out = JSON.parse(r.stdout) as Record<string, unknown>;
            assert.deepStrictEqual(out.atLoad, [], `loading @pulumi/pulumi from the bundle loads ${JSON.stringify(out.atLoad)}`);
            assert.strictEqual(out.serialized, true, "runtime.serializeFunction fails behind the stand-ins");
            assert.deepStrictEqual(out.afterSerialize, ["typescript"]);
            assert.strictEqual(out.codePaths, true, "runtime.computeCodePaths fails behind the stand-ins");
            assert.deepStrictEqual(out.afterCodePaths, ["typescript", "@npmcli/arborist"]);
            assert.deepStrictEqual(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp")), [], "the bundle was written whole, nothing temporary left");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("a bundle that fails while it loads is an internal error: exit 4, the stage named (README exit codes)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kms-bundle-"));
        try {
            // Stands for what an SDK upgrade can do to the bundle's first lines (sdk/ throws "adapt ...").
            const preload = path.join(dir, "break.js");
            fs.writeFileSync(preload, "require(\"vm\").Script.prototype.runInThisContext = () => { throw new Error(\"an SDK internal moved\"); };\n");
            const r = spawnSync(process.execPath, ["--stack-trace-limit=0", "-r", preload, path.join(ROOT, "tools", "plan-cli.js"), "--stack", "staging", "--out", path.join(dir, "out")],
                { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
            assert.strictEqual(r.status, 4, r.stderr);
            assert.match(r.stderr, /^plan failed: loading the plan: Error: an SDK internal moved/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("a plan run loads neither TypeScript nor Arborist, and nothing else from node_modules", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kms-bundle-"));
        try {
            const report = path.join(dir, "loaded.json");
            const preload = path.join(dir, "preload.js");
            fs.writeFileSync(preload, `process.on("exit", () => require("fs").writeFileSync(${JSON.stringify(report)},
                JSON.stringify(Object.keys(require.cache).filter((f) => f.includes("/node_modules/")))));`);
            const r = spawnSync(process.execPath, ["--stack-trace-limit=0", "-r", preload, path.join(ROOT, "tools", "plan-cli.js"), "--stack", "staging", "--out", path.join(dir, "out")],
                { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
            assert.strictEqual(r.status, 0, r.stderr);
            const loaded = JSON.parse(fs.readFileSync(report, "utf8")) as string[];
            // esbuild itself is required by the staleness check only when a rebuild is due.
            assert.deepStrictEqual(loaded.filter((f) => !f.includes("/node_modules/esbuild/")), []);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
