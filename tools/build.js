#!/usr/bin/env node
// Transpiles the TypeScript sources to dist/ with esbuild (no type-checking: that is `npm run
// typecheck`). With --if-stale it does nothing when dist/ is newer than every source file, so
// `npm run plan` starts without loading a compiler. tools/plan-cli.js calls build() in its own
// process, so the plan pays for no second node start-up. It also bundles the plan (bundlePlan).
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const dirs = ["sdk", "shared", "documents", "metrics", "config", "components", "alerts", "dashboards", "policy", "tools", "test", "contract"];
const stamp = path.join(root, "dist", ".built");

function sources() {
    const out = [path.join(root, "index.ts")];
    const walk = (d) => {
        if (!fs.existsSync(d)) return;
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) { if (e.name !== "fixtures") walk(p); }
            else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(p);
        }
    };
    dirs.forEach((d) => walk(path.join(root, d)));
    return out;
}

// What the plan's bundle was built from besides the sources: the installed packages (npm writes
// node_modules/.package-lock.json, its "hidden lockfile", whenever it changes node_modules:
// https://docs.npmjs.com/cli/v10/configuring-npm/package-lock-json#hidden-lockfiles).
const installed = path.join(root, "node_modules", ".package-lock.json");

/**
 * Transpiles every source into dist/ and bundles the plan (dist/plan/plan.js); with `ifStale`,
 * only when a source, this file or the installed packages are newer than the last build.
 */
async function build({ ifStale = false } = {}) {
    const files = sources();
    if (ifStale && fs.existsSync(stamp) && fs.existsSync(BUNDLE)) {
        const built = fs.statSync(stamp).mtimeMs;
        const inputs = [...files, __filename, ...(fs.existsSync(installed) ? [installed] : [])];
        const newest = Math.max(...inputs.map((f) => fs.statSync(f).mtimeMs));
        if (newest <= built) return false;
    }
    transpile(files);
    await bundlePlan();
    fs.writeFileSync(stamp, new Date().toISOString() + "\n");
    return true;
}

/** The offline plan as one file, what `npm run plan` runs (tools/plan-cli.js; tools/plan-bundle.ts says why). */
const BUNDLE = path.join(root, "dist", "plan", "plan.js");

/** Bundles tools/plan-bundle.ts, the program and their packages into BUNDLE. */
const bundlePlan = () => bundleDeferringClosure(path.join(root, "tools", "plan-bundle.ts"), BUNDLE);

/**
 * Bundles `entry` and what it imports into `outfile`, written whole (a temporary file renamed: a plan
 * starting while another rebuilds never reads half a bundle). The closure serializer's heavy
 * dependencies (TypeScript, npm's Arborist: sdk/closure.ts DEFERRED_CLOSURE_MODULES) stay out of it:
 * each becomes a stand-in that requires the installed module, by its path relative to `outfile`, on
 * first use — which no offline plan makes. Exported for test/tools/plan-bundle.test.ts.
 */
async function bundleDeferringClosure(entry, outfile) {
    const { DEFERRED_CLOSURE_MODULES } = require(path.join(root, "dist", "sdk", "closure.js"));
    const closureDir = path.dirname(require.resolve("@pulumi/pulumi/runtime/closure/codePaths", { paths: [root] }));
    // The modules deferred, by resolved path: the closure serializer also requires TypeScript inside
    // functions of other files (utils.js, rewriteSuper.js), which node runs lazily but a bundler inlines.
    const targets = new Set(Object.values(DEFERRED_CLOSURE_MODULES).flatMap((requests) =>
        requests.map((r) => require.resolve(r, { paths: [closureDir] }))));
    const deferred = (importer, request) => {
        if (path.dirname(importer) !== closureDir) return undefined;
        const real = require.resolve(request, { paths: [closureDir] });
        return targets.has(real) ? real : undefined;
    };
    const closureSource = path.join(root, "sdk", "closure.ts");
    // The asynchronous API: esbuild runs plugins only there.
    const result = await require("esbuild").build({
        entryPoints: [entry],
        outfile,
        write: false,
        bundle: true,
        format: "cjs",
        platform: "node",
        target: "node20",
        logLevel: "warning",
        // An entry outside the project (a test's) still finds the project's packages.
        nodePaths: [path.join(root, "node_modules")],
        plugins: [{
            name: "defer-closure-serializer",
            setup(b) {
                b.onResolve({ filter: /.*/ }, (a) => {
                    const real = deferred(a.importer, a.path);
                    if (!real) return undefined;
                    return { path: path.relative(path.dirname(outfile), real).split(path.sep).join("/"), namespace: "deferred" };
                });
                b.onLoad({ filter: /.*/, namespace: "deferred" }, (a) => ({
                    loader: "js",
                    resolveDir: root,
                    // A computed path, so esbuild leaves the require to run time.
                    contents: `const { lazyModule } = require(${JSON.stringify(closureSource)});\n` +
                        `const target = require("path").join(__dirname, ${JSON.stringify(a.path)});\n` +
                        "module.exports = lazyModule(() => require(target));\n",
                }));
            },
        }],
    });
    const [out] = result.outputFiles;
    fs.mkdirSync(path.dirname(outfile), { recursive: true });
    const tmp = `${outfile}.${process.pid}.tmp`;
    try {
        fs.writeFileSync(tmp, out.contents);
        fs.renameSync(tmp, outfile);
    } finally {
        fs.rmSync(tmp, { force: true });
    }
}

function transpile(files) {
    require("esbuild").buildSync({
        entryPoints: files,
        outdir: path.join(root, "dist"),
        outbase: root,
        format: "cjs",
        platform: "node",
        target: "node20",
        sourcemap: "inline",
        logLevel: "warning",
    });
    // Files are overwritten in place (a concurrent test run keeps working); outputs whose source is gone
    // are removed so no stale module can be required.
    const expected = new Set(files.map((f) => path.join(root, "dist", path.relative(root, f)).replace(/\.ts$/, ".js")));
    const prune = (d) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) prune(p);
            else if (e.name.endsWith(".js") && !expected.has(p) && p !== BUNDLE) fs.rmSync(p);
        }
    };
    prune(path.join(root, "dist"));
}

module.exports = { build, bundleDeferringClosure, BUNDLE };
if (require.main === module) {
    build({ ifStale: process.argv.includes("--if-stale") }).catch((e) => {
        process.stderr.write(`build failed: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
    });
}
