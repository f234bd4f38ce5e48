#!/usr/bin/env node
// `npm run plan`: the offline plan in one node process. It rebuilds dist/ first when a source is
// newer (tools/build.js, in this process: a second node start-up would cost ~0.1 s), defers the
// parts of @pulumi/pulumi the plan never runs (sdk/adapter.ts, deferClosureSerializer: ~0.35 s of
// module loading), then runs dist/tools/plan.js. docs/performance.md has the measurements.
"use strict";
require("./build").build({ ifStale: true });
require("../dist/sdk/adapter").deferClosureSerializer();
require("../dist/tools/plan").cli();
