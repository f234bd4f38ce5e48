import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { stringify } from "yaml";
import { RawConfig } from "../../config/load";
import { main } from "../../tools/plan";
import { ROOT, program } from "../harness";

/** A stack file holding `raw`'s values (secrets as `secure:` ciphertext stand-ins), for the plan CLI. */
export function writeStackFile(raw: RawConfig, file: string): void {
    const config: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw.values)) {
        if (raw.secretKeys.has(key)) {
            config[key] = { secure: "v1:Zml4dHVyZQ==:b2ZmbGluZS1maXh0dXJlLWNpcGhlcnRleHQ=" };
            continue;
        }
        let v: unknown = value;
        try {
            const parsed: unknown = JSON.parse(value);
            if (parsed !== null && typeof parsed === "object") v = parsed;
        } catch {
            // a plain string value
        }
        config[key] = v;
    }
    fs.writeFileSync(file, stringify({ config }));
}

/** Runs the offline plan CLI as a user would (`npm run plan`: tools/plan-cli.js and the plan's bundle), bounded in time. */
export function runPlanCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, ["--stack-trace-limit=0", path.join(ROOT, "tools", "plan-cli.js"), ...args], {
        cwd: ROOT, encoding: "utf8", timeout: 60_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * A command's main() run in this process, its exit code and output captured, with
 * `--stack-trace-limit=0` as `npm run plan` runs. Saves starting node and loading the SDKs again
 * (~1.5 s a plan). What only the process shows (flushing a full pipe, a crash's exit code and stack
 * trace) is tested by spawning the command, which the suite also keeps one real run of.
 */
export async function inProcess(main: () => number | Promise<number>): Promise<{ status: number; stdout: string; stderr: string }> {
    const captured = { stdout: "", stderr: "" };
    const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
    const capture = (stream: "stdout" | "stderr") => ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        captured[stream] += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
        const done = rest.find((r) => typeof r === "function") as (() => void) | undefined;
        if (done) process.nextTick(done);
        return true;
    }) as typeof process.stdout.write;
    const limit = Error.stackTraceLimit;
    process.stdout.write = capture("stdout");
    process.stderr.write = capture("stderr");
    Error.stackTraceLimit = 0;
    try {
        const status = await main();
        return { status, ...captured };
    } finally {
        Error.stackTraceLimit = limit;
        process.stdout.write = writes.stdout;
        process.stderr.write = writes.stderr;
    }
}

/** `npm run plan -- <args>` in this process (see inProcess). */
export const planInProcess = (args: string[]) => inProcess(() => main(args, ROOT, program));
