#!/usr/bin/env node
// Runs the mocha suite (compiled to dist/ by `npm run build`) and ends with the plain line
// `N passed, N failed` from mocha's own counts. Zero tests run is a failure.
"use strict";
const path = require("path");
const fs = require("fs");
const { Mocha } = require("mocha");

const root = path.resolve(__dirname, "..");
const files = [];
const walk = (d) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith(".test.js")) files.push(p);
    }
};
walk(path.join(root, "dist", "test"));
const grep = process.argv[2];
const mocha = new Mocha({ timeout: 60000, reporter: "spec", grep, parallel: true, jobs: 2 });
files.sort().forEach((f) => mocha.addFile(f));
const runner = mocha.run((failures) => {
    const stats = runner.stats;
    const passed = stats.passes;
    const failed = stats.failures;
    process.stdout.write(`\n${passed} passed, ${failed} failed${stats.pending ? `, ${stats.pending} skipped` : ""}\n`);
    process.exitCode = failures > 0 || passed + failed === 0 ? 1 : 0;
});
