#!/usr/bin/env node
// `npm run plan`: the offline plan in one node process. It rebuilds dist/ first when a source or
// the installed packages are newer (tools/build.js, in this process: a second node start-up would
// cost ~0.1 s), then runs the plan's bundle, dist/plan/plan.js (tools/plan-bundle.ts: the program,
// the plan tool and their packages in one file, without the parts of @pulumi/pulumi the plan never
// runs), with the V8 code cache of the previous run (tools/code-cache.ts). docs/performance.md has
// the measurements.
"use strict";
const path = require("path");
const { build, BUNDLE } = require("./build");

// Sources that do not compile, or a bundle that fails while it loads (an SDK internal the adapter
// no longer finds): an internal error, exit code 4 (README). Errors of the plan itself are the
// bundle's own to report (tools/plan.ts runCli).
const fail = (stage) => (e) => {
    process.stderr.write(`plan failed: ${stage}: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(4);
};
build({ ifStale: true }).then(() => {
    try {
        require(path.join(__dirname, "..", "dist", "tools", "code-cache.js")).runWithCodeCache(BUNDLE);
    } catch (e) {
        fail("loading the plan")(e);
    }
}, fail("build"));
