#!/usr/bin/env node
// Runs the mocha suite (compiled to dist/ by `npm run build`) and ends with the plain line
// `N passed, N failed` from mocha's own counts. Zero tests run is a failure.
//
// Mocha workers (cores + 1) run the files in parallel (each file runs alone in its worker process, so
// the SDK's global mock state is per file as before). The type-check (`npm run typecheck`) runs at the same
// time at a lower priority: it takes the CPU the tests leave idle (live Alertmanager timers, child
// processes); a type error fails the run like a failed test. `--no-typecheck` (or a grep) skips it.
"use strict";
const path = require("path");
const fs = require("fs");
const os = require("os");
const { spawn } = require("child_process");
const { Mocha } = require("mocha");

const root = path.resolve(__dirname, "..");
const args = process.argv.slice(2);
const grep = args.find((a) => !a.startsWith("--"));
const typecheck = !grep && !args.includes("--no-typecheck");

// Files that spend longest waiting (Alertmanager's timers, spawned programs, CLI runs) start first, so
// the workers finish together instead of one waiting on the last slow file.
const FIRST = ["alerts/live.test.js", "cli/cli.test.js", "tools/mutate.test.js", "tools/hardening.test.js", "tools/plan.test.js", "policy/pack.test.js"];

const files = [];
const walk = (d) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith(".test.js")) files.push(p);
    }
};
const testDir = path.join(root, "dist", "test");
walk(testDir);
const rank = (f) => {
    const i = FIRST.indexOf(path.relative(testDir, f).split(path.sep).join("/"));
    return i < 0 ? FIRST.length : i;
};
files.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));

/** `tsc --noEmit` over the sources, niced; resolves to its output when it fails, "" when it passes. */
function startTypecheck() {
    const tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
    const child = spawn(process.execPath, [tsc, "-p", path.join(root, "tsconfig.json"), "--noEmit", "--noCheck", "false"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    try { os.setPriority(child.pid, 10); } catch { /* not permitted here: it runs at normal priority */ }
    let out = "";
    child.stdout.on("data", (d) => { out += d; });
    child.stderr.on("data", (d) => { out += d; });
    return new Promise((resolve) => {
        child.on("error", (e) => resolve(`typecheck could not start: ${e.message}\n`));
        child.on("close", (code) => resolve(code === 0 ? "" : out || `tsc exited with ${code}\n`));
    });
}

const typeErrors = typecheck ? startTypecheck() : Promise.resolve("");
// One worker more than cores: the live Alertmanager file sleeps ~35 s on its timers while the others compute.
const jobs = os.availableParallelism() + 1;
const mocha = new Mocha({ timeout: 60000, reporter: "spec", grep, parallel: true, jobs });
files.forEach((f) => mocha.addFile(f));
const runner = mocha.run(async (failures) => {
    const stats = runner.stats;
    const passed = stats.passes;
    const failed = stats.failures;
    const errors = await typeErrors;
    if (errors) process.stdout.write(`\ntypecheck failed (npm run typecheck):\n${errors}`);
    process.stdout.write(`\n${passed} passed, ${failed} failed${stats.pending ? `, ${stats.pending} skipped` : ""}\n`);
    process.exitCode = failures > 0 || passed + failed === 0 || errors ? 1 : 0;
});
