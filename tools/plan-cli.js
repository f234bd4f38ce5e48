#!/usr/bin/env node
// `npm run plan`: the offline plan in one node process. It rebuilds dist/ first when a source is
// newer (tools/build.js, in this process: a second node start-up would cost ~0.1 s), defers the
// parts of @pulumi/pulumi the plan never runs (sdk/adapter.ts, deferClosureSerializer: ~0.35 s of
// module loading) and the source position the SDK captures for every resource, which the mock
// engine ignores (skipSourcePositions), then runs dist/tools/plan.js. docs/performance.md has the
// measurements.
"use strict";
require("./build").build({ ifStale: true });
const adapter = require("../dist/sdk/adapter");
adapter.deferClosureSerializer();
adapter.skipSourcePositions();
require("../dist/tools/plan").cli();
