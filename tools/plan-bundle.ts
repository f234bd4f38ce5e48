/**
 * `npm run plan` as one file: tools/build.js bundles this entry with the program and everything it
 * imports into dist/plan/plan.js, and tools/plan-cli.js runs that bundle with a V8 code cache.
 * One file instead of ~800 modules spares the plan node's module resolution (a `stat`, `realpath`
 * and `package.json` read per module) and lets V8 reuse the bytecode it compiled in the previous
 * run: docs/performance.md has the profile and the figures.
 *
 * The bundle sits two folders below the project (dist/plan/) as dist/tools/plan.js does, so paths
 * the modules resolve from `__dirname` (the replace table, Pulumi.yaml, the policy docs) are the same.
 */
import * as path from "path";
import program = require("../index");
import { lightenPromiseLeakDetector, skipSourcePositions } from "../sdk/plan-process";
import { runCli } from "./plan";

// The mock engine ignores the source position the SDK captures for every resource (sdk/plan-process.ts).
skipSourcePositions();
lightenPromiseLeakDetector();
runCli(path.resolve(__dirname, "..", ".."), program);
