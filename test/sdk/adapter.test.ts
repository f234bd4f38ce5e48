import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Registration, SDK_PACKAGE, WIRE, isConfigSecret, leakedPromises, sdkVersion, tapMockMonitor } from "../../sdk/adapter";
import { DEFERRED_CLOSURE_MODULES } from "../../sdk/closure";
import { ROOT } from "../harness";

/**
 * Every SDK internal sdk/adapter.ts relies on, checked against the installed SDK. A failure
 * names the internal and the SDK version: after an upgrade, fix the adapter, not its callers.
 */
const changed = (internal: string, what: string) =>
    `SDK internal changed: ${internal} in ${SDK_PACKAGE} ${sdkVersion()}: ${what}. ` +
    "sdk/adapter.ts relies on it (offline plan, config loading); adapt the adapter.";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkModule = (m: string) => require(`${SDK_PACKAGE}/${m}`) as Record<string, unknown>;

class Comp extends pulumi.ComponentResource {
    constructor(name: string) {
        super("adapter:index:Comp", name, {}, {});
        this.registerOutputs({});
    }
}
class Prov extends pulumi.ProviderResource {}
class Thing extends pulumi.CustomResource {}

describe("sdk/adapter: the SDK internals the offline engine uses still exist and behave", () => {
    it("the wire-format signatures equal the SDK's (runtime/rpc)", () => {
        const rpc = sdkModule("runtime/rpc");
        const sdk = { sigKey: rpc.specialSigKey, secretSig: rpc.specialSecretSig, resourceSig: rpc.specialResourceSig, unknown: rpc.unknownValue };
        for (const k of Object.keys(WIRE) as (keyof typeof WIRE)[]) {
            assert.strictEqual(sdk[k], WIRE[k], changed(`runtime/rpc ${k}`, `the SDK has ${JSON.stringify(sdk[k])}, the adapter ${WIRE[k]}`));
        }
    });

    it("the untyped functions it calls are functions (runtime/config isConfigSecret, runtime/settings getMonitor, runtime/debuggable leakedPromises)", () => {
        for (const [m, f] of [["runtime/config", "isConfigSecret"], ["runtime/settings", "getMonitor"], ["runtime/debuggable", "leakedPromises"]]) {
            let mod: Record<string, unknown> | undefined;
            try { mod = sdkModule(m); } catch (e) { assert.fail(changed(m, `the module no longer loads (${(e as Error).message})`)); }
            assert.strictEqual(typeof mod[f], "function", changed(`${m} ${f}`, `is ${typeof mod[f]}, not a function`));
        }
    });

    it("the mock monitor hands every registration over with type, name, parent, options, aliases, provider and secret-marked inputs", async () => {
        pulumi.runtime.setAllConfig({ "adapter-test:token": "s3cr3t", "adapter-test:plain": "p" }, ["adapter-test:token"]);
        await pulumi.runtime.setMocks({
            newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }),
            call: (a) => a.inputs,
        }, "adapter-test", "dev", true);
        assert.strictEqual(isConfigSecret("adapter-test:token"), true, changed("runtime/config isConfigSecret", "a key set secret is not reported secret"));
        assert.strictEqual(isConfigSecret("adapter-test:plain"), false, changed("runtime/config isConfigSecret", "a plain key is reported secret"));

        const seen: Registration[] = [];
        const outputs = new Map<string, Record<string, unknown>>();
        tapMockMonitor({ resource: (r) => seen.push(r), outputs: (urn, o) => outputs.set(urn, o) });
        await pulumi.runtime.runInPulumiStack(async () => {
            const comp = new Comp("comp");
            const prov = new Prov("adaptertest", "prov", {}, { parent: comp });
            const dep = new Thing("adapter:index:Dep", "dep", {}, { parent: comp });
            const thing = new Thing("adapter:index:Thing", "thing", {
                plain: "x", secret: pulumi.secret("s"), ref: dep.id,
            }, {
                parent: comp, provider: prov, protect: true, retainOnDelete: true, dependsOn: [dep],
                ignoreChanges: ["plain"], replaceWith: [dep], import: "thing-import-id",
                aliases: [{ name: "old-thing" }, "urn:pulumi:dev::adapter-test::adapter:index:Thing::older-thing"],
            });
            return { thingUrn: thing.urn };
        });
        await pulumi.runtime.disconnect();

        const byName = (n: string) => {
            const r = seen.find((x) => x.name === n);
            assert.ok(r, changed("runtime/settings getMonitor().registerResource", `no registration of ${n} reached the tap (seen: ${seen.map((x) => x.name).join(", ")})`));
            return r;
        };
        const comp = byName("comp");
        const thing = byName("thing");
        const check = (field: string, actual: unknown, expected: unknown) =>
            assert.deepStrictEqual(actual, expected, changed(`RegisterResourceRequest ${field}`, `read ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`));
        check("type", thing.type, "adapter:index:Thing");
        check("custom", [thing.custom, comp.custom], [true, false]);
        check("parent", thing.parent, comp.urn);
        check("urn", thing.urn, "urn:pulumi:dev::adapter-test::adapter:index:Comp$adapter:index:Thing::thing");
        check("protect", thing.protect, true);
        check("retainOnDelete", thing.retainOnDelete, true);
        check("dependencies", thing.dependencies.includes(byName("dep").urn), true);
        check("provider", thing.provider, `${byName("prov").urn}::prov-id`);
        check("importId", thing.importId, "thing-import-id");
        check("ignoreChanges", thing.ignoreChanges, ["plain"]);
        check("replaceWith", thing.replaceWith, [byName("dep").urn]);
        check("aliases", thing.aliases.map((a) => ("urn" in a ? a.urn : a.name)).sort(),
            ["old-thing", "urn:pulumi:dev::adapter-test::adapter:index:Thing::older-thing"]);
        check("object (plain input)", thing.inputs.plain, "x");
        check("object (secret input keeps its marker)", thing.inputs.secret, { [WIRE.sigKey]: WIRE.secretSig, value: "s" });
        const stack = byName("adapter-test-dev");
        check("Stack type", stack.type, "pulumi:pulumi:Stack");
        assert.deepStrictEqual(Object.keys(outputs.get(stack.urn) ?? {}), ["thingUrn"],
            changed("registerResourceOutputs", "the stack's outputs did not reach the tap through runInPulumiStack"));
        leakedPromises();
    });

    it("the Resource constructor captures its stack through Resource.stackTrace, and skipping it changes no registration", () => {
        // In a child process: the skip is for the plan's own process, not for this test worker.
        const script = `
const a = { ...require(${JSON.stringify(path.join(ROOT, "dist", "sdk", "adapter.js"))}), ...require(${JSON.stringify(path.join(ROOT, "dist", "sdk", "plan-process.js"))}) };
const pulumi = require("@pulumi/pulumi");
const { Resource } = require("@pulumi/pulumi/resource");
const real = Resource.stackTrace;
let calls = 0;
let frames = 0;
Resource.stackTrace = function (skip) { calls++; const t = real.call(this, skip); frames += t.length; return t; };
class Thing extends pulumi.CustomResource {}
class Comp extends pulumi.ComponentResource {
    constructor(name) { super("adapter:index:Comp", name, {}, {}); new Thing("adapter:index:Thing", name + "-thing", { v: name, s: pulumi.secret("x") }, { parent: this }); this.registerOutputs({}); }
}
async function run() {
    await pulumi.runtime.setMocks({ newResource: (r) => ({ id: r.name + "-id", state: r.inputs }), call: (c) => c.inputs }, "adapter-test", "dev", true);
    const seen = [];
    a.tapMockMonitor({ resource: (r) => seen.push(r), outputs: () => undefined });
    await pulumi.runtime.runInPulumiStack(async () => { new Comp("one"); new Comp("two"); return {}; });
    await pulumi.runtime.disconnect();
    return seen.sort((x, y) => (x.urn < y.urn ? -1 : 1));
}
(async () => {
    const captured = await run();
    const out = { calls, frames, captured: captured.length };
    a.skipSourcePositions();
    a.skipSourcePositions();
    out.skipped = (await run());
    out.same = JSON.stringify(out.skipped) === JSON.stringify(captured);
    out.skipped = out.skipped.length;
    out.skippedTrace = Resource.stackTrace(0);
    process.stdout.write(JSON.stringify(out));
})().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });`;
        const out = JSON.parse(execFileSync(process.execPath, ["--no-warnings", "-e", script], { cwd: ROOT, encoding: "utf8" })) as Record<string, unknown>;
        // The stack, two components and a custom resource each: every registration went through stackTrace.
        assert.strictEqual(out.calls, 5, changed("resource Resource.stackTrace", `called ${String(out.calls)} times for 5 resources: the constructor no longer captures through it, and skipSourcePositions saves nothing`));
        assert.ok(Number(out.frames) > 0, changed("resource Resource.stackTrace", "it returns no frames, so there is nothing to skip"));
        assert.strictEqual(out.skipped, out.captured);
        assert.strictEqual(out.same, true, "with source positions skipped, a registration the tap sees differs");
        assert.deepStrictEqual(out.skippedTrace, []);
    });

    it("the closure serializer still requires its heavy modules at load time from the files the adapter defers", () => {
        const dir = path.dirname(require.resolve(`${SDK_PACKAGE}/runtime/closure/codePaths`));
        for (const [file, requests] of Object.entries(DEFERRED_CLOSURE_MODULES)) {
            const p = path.join(dir, file);
            assert.ok(fs.existsSync(p), changed(`runtime/closure/${file}`, "the file is gone"));
            const src = fs.readFileSync(p, "utf8");
            for (const r of requests) {
                assert.ok(src.includes(`require("${r}")`), changed(`runtime/closure/${file}`, `it no longer requires ${r}`));
            }
        }
    });

    describe("lightenPromiseLeakDetector: the leak report and rejections unchanged, the per-promise debugging aids gone", () => {
        // A fresh process each: the patch is process-wide, and the SDK's report runs at exit.
        const leakScript = (calls: string) => `
const a = require(${JSON.stringify(path.join(ROOT, "dist", "sdk", "plan-process.js"))});
const d = require(require.resolve("@pulumi/pulumi/runtime/debuggable", { paths: [${JSON.stringify(ROOT)}] }));
const original = d.debuggablePromise;
a.lightenPromiseLeakDetector();
const out = { lightened: d.debuggablePromise !== original };
(async () => { ${calls} process.stdout.write(JSON.stringify(out)); })();`;
        const run = (calls: string, env: Record<string, string> = {}) => {
            const r = spawnSync(process.execPath, ["--no-warnings", "-e", leakScript(calls)], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env }, timeout: 30_000 });
            return { status: r.status, stderr: r.stderr, out: JSON.parse(r.stdout || "{}") as Record<string, unknown> };
        };

        it("promises that never settle are still reported at exit, and fail the run as the SDK does", () => {
            const r = run(`const p1 = new Promise(() => {}); d.debuggablePromise(p1, "first"); const p2 = new Promise(() => {}); d.debuggablePromise(p2, "second");
                out.aids = ["_debugId", "_debugCtx", "_debugStackTrace"].map((k) => [k in p1, k in p2]);
                out.value = await d.debuggablePromise(Promise.resolve(7), "settles");`);
            // The first call is the SDK's own (it schedules the report); from the second on, no debugging aids.
            assert.deepStrictEqual(r.out.aids, [[true, false], [true, false], [true, false]]);
            assert.strictEqual(r.out.lightened, true, changed("runtime/debuggable debuggablePromise", "the adapter could not replace it"));
            assert.strictEqual(r.out.value, 7);
            assert.match(r.stderr, /detected that 2 promises were still active/, changed("runtime/debuggable leak report", r.stderr));
            assert.strictEqual(r.status, 1, "the SDK fails a run that leaked promises");
        });

        it("a settled run reports nothing; a rejection propagates with err.promise set", () => {
            const r = run(`d.debuggablePromise(Promise.resolve(1), "first");
                const p = Promise.reject(new Error("boom"));
                try { await d.debuggablePromise(p, "rejects"); } catch (e) { out.message = e.message; out.promise = e.promise === p; }`);
            assert.deepStrictEqual(r.out, { lightened: true, message: "boom", promise: true });
            assert.strictEqual(r.stderr, "");
            assert.strictEqual(r.status, 0);
        });

        it("with PULUMI_DEBUG_PROMISE_LEAKS set the SDK's own function stays, for its detailed report", () => {
            const r = run("d.debuggablePromise(new Promise(() => {}), \"kept\");", { PULUMI_DEBUG_PROMISE_LEAKS: "1" });
            assert.strictEqual(r.out.lightened, false);
            assert.match(r.stderr, /Promise leak detected:\s*CONTEXT\(\d+\): kept/);
        });
    });
});
