import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { stringify } from "yaml";
import { RawConfig } from "../../config/load";
import { ROOT } from "../harness";

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

/** Runs the offline plan CLI as a user would (built dist/), bounded in time. */
export function runPlanCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, ["--stack-trace-limit=0", path.join(ROOT, "dist", "tools", "plan.js"), ...args], {
        cwd: ROOT, encoding: "utf8", timeout: 60_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
