import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * `npm run bench`: the offline plan for prod against a floor measured in the same run (a bare node
 * process importing the five SDK entry points), so machine noise cancels out in the ratio. Also the
 * time and peak memory of `npm run typecheck`.
 */
const ROOT = path.resolve(__dirname, "..", "..");
const RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeNode(args: string[]): { ms: number; stdout: string } {
    const t0 = process.hrtime.bigint();
    const res = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (res.status !== 0) throw new Error(`node ${args.join(" ")} failed (${res.status}):\n${res.stderr}`);
    return { ms, stdout: res.stdout };
}

const FLOOR = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/gcp", "@pulumi/github", "@pulumiverse/grafana"]
    .map((m) => `require(${JSON.stringify(m)});`).join("");

function main(): void {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "kms-bench-"));
    try {
        const floor: number[] = [];
        const plan: number[] = [];
        const perResource: number[] = [];
        // Interleaved, so drift in machine load hits both series alike.
        for (let i = 0; i < RUNS; i++) {
            floor.push(timeNode(["-e", FLOOR]).ms);
            const run = timeNode(["--stack-trace-limit=0", "dist/tools/plan.js", "--stack", "prod", "--out", out]);
            plan.push(run.ms);
            const m = /\(([\d.]+) ms\/resource\)/.exec(run.stdout);
            if (!m) throw new Error(`no evaluation timing in the plan's summary:\n${run.stdout}`);
            perResource.push(Number(m[1]));
        }
        const doc = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8")) as { resources: unknown[] };
        const resources = doc.resources.length;
        const f = median(floor);
        const p = median(plan);

        const rssFile = path.join(out, "rss");
        const tsc = `process.on("exit",()=>require("fs").writeFileSync(${JSON.stringify(rssFile)},String(process.resourceUsage().maxRSS)));` +
            `process.argv=[process.argv[0],"tsc","-p","tsconfig.json","--noEmit","--noCheck","false"];require("typescript/lib/tsc.js");`;
        const tc = timeNode(["-e", tsc]).ms;
        const rssMb = Number(fs.readFileSync(rssFile, "utf8")) / 1024;

        const rows: [string, string, string][] = [
            ["floor: import 5 SDKs (median of 5)", `${f.toFixed(0)} ms`, ""],
            ["offline plan, prod (median of 5)", `${p.toFixed(0)} ms`, ""],
            ["plan / floor", `${(p / f).toFixed(2)}x`, "target <= 1.3x"],
            ["registered resources", String(resources), ""],
            ["ms per resource (program evaluation / resources)", median(perResource).toFixed(2), "target <= 6"],
            ["ms per resource (whole plan incl. startup)", (p / resources).toFixed(2), ""],
            ["npm run typecheck wall time", `${(tc / 1000).toFixed(1)} s`, "target <= 12 s"],
            ["typecheck peak RSS", `${rssMb.toFixed(0)} MB`, "target <= 1024 MB"],
        ];
        for (const [k, v, t] of rows) process.stdout.write(`${k.padEnd(44)} ${v.padStart(9)}  ${t}\n`);
    } finally {
        fs.rmSync(out, { recursive: true, force: true });
    }
}

main();
