/**
 * `npm run mutate`: the mutation harness (tools/mutate/run.ts). Prints the kill rate per guarantee
 * and per stack-file category; exits 1 when a guarantee-defeating mutation survives, a valid variant
 * is rejected, or a secret canary appears in any message or file.
 */
import * as path from "path";
import { formatReport, runMutations } from "./mutate/run";

if (require.main === module) {
    const projectDir = path.resolve(__dirname, "..", "..");
    const t0 = Date.now();
    runMutations(projectDir).then((report) => {
        process.stdout.write(formatReport(report) + `ran in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
        const failed = report.outcomes.some((o) => !o.ok || o.leaked);
        process.stdout.write("", () => process.exit(failed ? 1 : 0));
    }).catch((e: unknown) => {
        process.stderr.write(`mutate failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
        process.exit(4);
    });
}
