import { execFile, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The Debian packages that ship each binary the alerting tests run. */
const PACKAGES: Record<string, string> = {
    promtool: "prometheus",
    amtool: "prometheus-alertmanager",
    "prometheus-alertmanager": "prometheus-alertmanager",
};

/** Absolute path of a required binary; a missing one fails the test with how to install it. */
export function requireBinary(name: keyof typeof PACKAGES & string): string {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter).concat(["/usr/bin", "/usr/local/bin"])) {
        const p = path.join(dir, name);
        if (dir && fs.existsSync(p)) return p;
    }
    throw new Error(`${name} not found on PATH: install it with \`apt-get install prometheus prometheus-alertmanager\` ` +
        `(package ${PACKAGES[name]}); these tests never skip`);
}

export interface RunResult {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs a binary to completion (bounded: 30 s). */
export function run(bin: string, args: readonly string[], cwd?: string): RunResult {
    const r = spawnSync(bin, args, { cwd, encoding: "utf8", timeout: 30_000 });
    if (r.error) throw r.error;
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temporary directory with `files` (relative path → content) written into it. */
export function tempDirWith(prefix: string, files: readonly { path: string; content: string }[]): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
    for (const f of files) {
        const p = path.join(dir, f.path);
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(p, f.content);
    }
    return dir;
}

/** Runs a binary without blocking the event loop (bounded: 30 s), so independent runs overlap. */
export function runAsync(bin: string, args: readonly string[], cwd?: string): Promise<RunResult> {
    return new Promise((resolve, reject) => {
        execFile(bin, args, { cwd, encoding: "utf8", timeout: 30_000 }, (err, stdout, stderr) => {
            if (err && typeof err.code !== "number") reject(err);
            else resolve({ status: err ? (err.code as number) : 0, stdout, stderr });
        });
    });
}

/** Maps `items` through `fn` with at most `limit` in flight, results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
    const out: R[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            out[i] = await fn(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return out;
}
