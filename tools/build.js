#!/usr/bin/env node
// Transpiles the TypeScript sources to dist/ with esbuild (no type-checking: that is `npm run
// typecheck`). With --if-stale it does nothing when dist/ is newer than every source file, so
// `npm run plan` starts without loading a compiler. tools/plan-cli.js calls build() in its own
// process, so the plan pays for no second node start-up.
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

/** Transpiles every source into dist/; with `ifStale`, only when a source is newer than the last build. */
function build({ ifStale = false } = {}) {
    const files = sources();
    if (ifStale && fs.existsSync(stamp)) {
        const built = fs.statSync(stamp).mtimeMs;
        const newest = Math.max(...files.map((f) => fs.statSync(f).mtimeMs), fs.statSync(__filename).mtimeMs);
        if (newest <= built) return false;
    }
    transpile(files);
    return true;
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
            else if (e.name.endsWith(".js") && !expected.has(p)) fs.rmSync(p);
        }
    };
    prune(path.join(root, "dist"));
    fs.writeFileSync(stamp, new Date().toISOString() + "\n");
}

module.exports = { build };
if (require.main === module) build({ ifStale: process.argv.includes("--if-stale") });
