import * as assert from "assert";
import { parseArgs as adoptArgs } from "../../tools/adopt";
import { UsageError, parseFlags } from "../../tools/cli-args";
import { parseArgs as driftArgs } from "../../tools/drift/cli";
import { parseArgs as planArgs } from "../../tools/plan";
import { parseReviewArgs } from "../../tools/review";

interface Demo { stack: string; out: string }
const FLAGS = { "--stack": "stack", "--out": "out" } as const;

describe("tools: the flag syntax every CLI shares", () => {
    it("takes `--flag value` and `--flag=value` (a value may itself contain '=')", () => {
        assert.deepStrictEqual(parseFlags<Demo>(["--stack", "prod", "--out=a=b"], FLAGS, "usage"), { stack: "prod", out: "a=b" });
    });
    it("refuses an unknown flag, including names inherited from Object.prototype", () => {
        for (const bad of ["--stak", "constructor", "__proto__", "toString"]) {
            assert.throws(() => parseFlags<Demo>([bad, "x"], FLAGS, "usage: demo"), (e: Error) => e instanceof UsageError && e.message === `unknown argument ${bad}\nusage: demo`);
        }
    });
    it("refuses a flag without a value, at the end or given empty", () => {
        for (const argv of [["--stack"], ["--stack="], ["--stack", ""]]) {
            assert.throws(() => parseFlags<Demo>(argv, FLAGS, "u"), (e: Error) => e instanceof UsageError && /--stack needs a value/.test(e.message));
        }
    });
    it("is what plan, adopt, drift and review use: each refuses an unknown flag with its own usage line", () => {
        const cases: [string, () => unknown][] = [
            ["npm run plan", () => planArgs(["--nope", "1"])],
            ["npm run adopt", () => adoptArgs(["--nope", "1"])],
            ["npm run drift", () => driftArgs(["--nope", "1"])],
            ["npm run review", () => parseReviewArgs(["--nope", "1"])],
        ];
        for (const [tool, run] of cases) {
            assert.throws(run, (e: Error) => e instanceof UsageError && e.message.startsWith("unknown argument --nope\n") && e.message.includes(`usage: ${tool}`), tool);
        }
    });
});
