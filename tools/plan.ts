import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../config/errors";
import { parseSettings } from "../config/load";
import { Settings } from "../config/schema";
import { evaluatePolicies, offlineContext } from "../policy/evaluate";
import { UsageError, parseFlags } from "./cli-args";
import { accessArtifacts, accessDiffMarkdown } from "./access";
import { renderArtifacts } from "./artifacts";
import { DiffInputError, diffPlans, formatDiff, planSnapshot, readPlanFile } from "./diff";
import { Evaluation, evaluate } from "./engine";
import type { PlanDocument, PolicyViolation } from "../shared/plan";
import { SECRET_PLACEHOLDER, StackFileError, readStackConfig } from "./stackfile";
import { summarize } from "./summary";
import { violationSource } from "./violation-source";

/** Exit codes of `npm run plan` (contract in README). */
export const EXIT = { ok: 0, config: 1, usage: 2, policy: 3 } as const;

export interface PlanArgs {
    stack: string;
    configFile?: string;
    out?: string;
    diff?: string;
}

export type { PlanDocument, PolicyViolation };

const USAGE = "usage: npm run plan -- --stack <name> [--config-file <path>] [--out <dir>] [--diff <old plan.json>]";

export function parseArgs(argv: readonly string[]): PlanArgs {
    const flags: Record<string, keyof PlanArgs> = { "--stack": "stack", "--config-file": "configFile", "--out": "out", "--diff": "diff" };
    const args = parseFlags<PlanArgs>(argv, flags, USAGE);
    const parsed = { stack: args.stack ?? "staging", ...args } as PlanArgs;
    checkStackName(parsed.stack);
    return parsed;
}

/**
 * Pulumi's stack name rule (pulumi/pulumi pkg/backend/diy/backend.go `validateStackName`:
 * `^[A-Za-z0-9_.-]{1,100}$`, no slashes), and never `.` or `..`: the name becomes the file name
 * `Pulumi.<stack>.yaml` and the default output directory `out/<stack>/`.
 */
export function checkStackName(stack: string): void {
    if (!/^[A-Za-z0-9_.-]{1,100}$/.test(stack) || stack === "." || stack === "..") {
        throw new UsageError(`--stack ${JSON.stringify(stack.slice(0, 120))}: a stack name is 1-100 letters, digits, '-', '_' or '.', and not '.' or '..' (Pulumi's rule)\n${USAGE}`);
    }
}

/** The file the plan writes into every output directory: proof it wrote that directory, and what it wrote. */
export const OUT_MARKER = ".kms-observability-plan";

/**
 * Makes `outDir` ready for a new plan without deleting anything the plan did not write: a missing
 * or empty directory is used as is; one holding the marker gets the files the marker lists removed;
 * any other non-empty directory is refused (UsageError, exit 2).
 */
function prepareOutDir(outDir: string): void {
    if (!fs.existsSync(outDir)) return;
    if (!fs.statSync(outDir).isDirectory()) throw new UsageError(`--out ${outDir}: exists and is not a directory`);
    const entries = fs.readdirSync(outDir);
    if (entries.length === 0) return;
    const marker = path.join(outDir, OUT_MARKER);
    if (!entries.includes(OUT_MARKER)) {
        throw new UsageError(`--out ${outDir}: the directory is not empty and was not written by the plan (no ${OUT_MARKER}); ` +
            "choose an empty or new directory: the plan never deletes files it did not write");
    }
    const listed = fs.readFileSync(marker, "utf8").split("\n").filter((l) => l !== "");
    for (const rel of listed) {
        const p = path.resolve(outDir, rel);
        // Only plain relative paths inside outDir (a tampered marker must not reach outside it).
        if (path.relative(outDir, p).startsWith("..") || path.isAbsolute(rel)) continue;
        fs.rmSync(p, { force: true });
        for (let d = path.dirname(p); d !== outDir && d.startsWith(outDir); d = path.dirname(d)) {
            if (fs.existsSync(d) && fs.readdirSync(d).length === 0) fs.rmdirSync(d);
            else break;
        }
    }
    fs.rmSync(marker, { force: true });
}

/** Provider settings that decide where resources live; never a credential (tools/diff.ts compares them). */
const PROVIDER_LOCATION_KEYS = ["aws:region", "gcp:project", "gcp:region", "github:owner", "grafana:url"];

function providerSettings(values: Readonly<Record<string, string>>, secretKeys: ReadonlySet<string>): Record<string, string> {
    return Object.fromEntries(PROVIDER_LOCATION_KEYS.filter((k) => values[k] !== undefined && !secretKeys.has(k)).map((k) => [k, values[k]]));
}

/** Evaluates the program for a stack and returns the plan document; throws ConfigError on bad config. */
export async function buildPlan(projectDir: string, args: PlanArgs, program: () => unknown): Promise<{ plan: PlanDocument; settings: Settings; evaluation: Evaluation; evaluationMs: number; supplied: readonly string[] }> {
    const raw = readStackConfig(projectDir, args.stack, args.configFile);
    // Validated here first, so a bad stack file stops before the engine or any resource exists.
    const settings = parseSettings(raw);
    const t0 = process.hrtime.bigint();
    const evaluation = await evaluate(raw, program);
    const evaluationMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const plan: PlanDocument = {
        project: raw.project,
        stack: raw.stack,
        resources: evaluation.resources,
        providers: providerSettings(raw.values, raw.secretKeys),
        outputs: evaluation.outputs,
        policy: {
            violations: evaluatePolicies(evaluation.resources, offlineContext(raw.stack, {
                awsAccountId: settings.aws.accountId, githubOwner: settings.providers["github:owner"],
            })),
        },
    };
    return { plan, settings, evaluation, evaluationMs, supplied: raw.supplied ?? [] };
}

/** Writes plan.json and the artifacts; refuses to write anything that carries a secret placeholder. */
export function writePlan(outDir: string, plan: PlanDocument, settings: Settings): string[] {
    const files = [{ path: "plan.json", content: JSON.stringify(plan, null, 2) + "\n" }, ...renderArtifacts(settings), ...accessArtifacts(plan)];
    const leaking = files.filter((f) => f.content.includes(SECRET_PLACEHOLDER)).map((f) => f.path);
    if (leaking.length) throw new Error(`refusing to write a secret into ${leaking.join(", ")}`);
    prepareOutDir(outDir);
    fs.mkdirSync(outDir, { recursive: true });
    // The marker first: an interrupted write still leaves a directory the next plan may clean.
    fs.writeFileSync(path.join(outDir, OUT_MARKER), [...files.map((f) => f.path), "diff.md"].join("\n") + "\n");
    for (const f of files) {
        const p = path.join(outDir, f.path);
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(p, f.content);
    }
    return files.map((f) => f.path);
}

/**
 * Runs the plan; returns the exit code. Argument and stack-file errors stop at once (2); a bad
 * configuration stops before any resource exists (1). Otherwise the plan is evaluated and every
 * finding is printed, and the most severe one decides the code: policy violations (3) before a
 * problem with --out or --diff (2), so a usage slip can never hide a violation (README, "Exit codes").
 */
export async function main(argv: readonly string[], projectDir: string, program: () => unknown): Promise<number> {
    let args: PlanArgs;
    try {
        args = parseArgs(argv);
    } catch (e) {
        if (e instanceof UsageError) {
            process.stderr.write(`${e.message}\n`);
            return EXIT.usage;
        }
        throw e;
    }
    let built;
    try {
        built = await buildPlan(projectDir, args, program);
    } catch (e) {
        if (e instanceof ConfigError) {
            process.stderr.write(`${e.message}\n`);
            return EXIT.config;
        }
        if (e instanceof StackFileError) {
            process.stderr.write(`${e.message}\n${USAGE}\n`);
            return EXIT.usage;
        }
        throw e;
    }
    const { plan, settings } = built;
    if (built.supplied.length) {
        process.stdout.write(`offline placeholders for secrets not set on this stack yet: ${built.supplied.join(", ")}\n`);
    }
    const codes: number[] = [];
    const mandatory = plan.policy.violations.filter((v) => v.level === "mandatory");
    if (mandatory.length) {
        process.stderr.write(`${mandatory.length} mandatory policy violation(s):\n` +
            mandatory.map((v) => {
                const source = violationSource(settings.file, v, plan.resources.find((r) => r.urn === v.urn)?.type);
                return `  - [${v.policy}] ${v.urn}: ${v.message}${source ? `\n    (from ${source})` : ""}`;
            }).join("\n") + "\n");
        codes.push(EXIT.policy);
    }
    const outDir = path.resolve(args.out ?? path.join(projectDir, "out", args.stack));
    let written: string[] | undefined;
    try {
        written = writePlan(outDir, plan, settings);
        process.stdout.write(summarize(plan, outDir, written, built.evaluationMs));
    } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        process.stderr.write(`${e.message}\n`);
        codes.push(EXIT.usage);
    }
    if (args.diff) {
        try {
            const changes = diffPlans(readPlanFile(args.diff), planSnapshot(plan));
            // readPlanFile has checked it is a plan document; the access model also needs its outputs.
            const old = JSON.parse(fs.readFileSync(args.diff, "utf8")) as PlanDocument;
            // Who can now do what with which key comes first: it is what a reviewer must decide on.
            const report = `${accessDiffMarkdown({ ...old, stack: old.stack ?? plan.stack }, plan).markdown}\n${formatDiff(changes)}`;
            if (written) fs.writeFileSync(path.join(outDir, "diff.md"), report);
            process.stdout.write(`\n${report}`);
            if (changes.some((c) => c.protectedViolation)) codes.push(EXIT.policy);
        } catch (e) {
            if (!(e instanceof DiffInputError)) throw e;
            process.stderr.write(`--diff: ${e.message}\n`);
            codes.push(EXIT.usage);
        }
    }
    return [EXIT.policy, EXIT.usage].find((c) => codes.includes(c)) ?? EXIT.ok;
}

/** Writes `text` and resolves once the stream has taken it all (a pipe may hold more than its buffer). */
const drain = (stream: NodeJS.WriteStream): Promise<void> => new Promise((resolve) => { stream.write("", () => resolve()); });

/** `node dist/tools/plan.js`: runs main on this process's arguments with the program in dist/, and exits with its code. */
export function cli(): void {
    const projectDir = path.resolve(__dirname, "..", "..");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    runCli(projectDir, () => (require(path.join(projectDir, "dist", "index.js")) as () => unknown)());
}

/**
 * Runs main on this process's arguments and exits with its code, once stdout and stderr are
 * flushed. `program` runs the Pulumi program; the plan's bundle (tools/plan-bundle.ts, what
 * `npm run plan` runs) passes the one it was bundled with.
 */
export function runCli(projectDir: string, program: () => unknown): void {
    main(process.argv.slice(2), projectDir, program)
        // Exit only once stdout and stderr are flushed: process.exit() drops what a full pipe still holds.
        .then(async (code) => {
            await Promise.all([drain(process.stdout), drain(process.stderr)]);
            process.exit(code);
        })
        .catch((e: unknown) => {
            process.stderr.write(`plan failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
            process.exit(4);
        });
}

if (require.main === module) cli();
