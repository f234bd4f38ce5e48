import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../config/errors";
import { parseSettings } from "../config/load";
import { Settings } from "../config/schema";
import { evaluatePolicies, offlineContext } from "../policy/evaluate";
import { renderArtifacts } from "./artifacts";
import { diffPlans, formatDiff } from "./diff";
import { Evaluation, PlanResource, evaluate } from "./engine";
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

export interface PolicyViolation {
    policy: string;
    urn: string;
    level: "mandatory" | "advisory";
    message: string;
}

export interface PlanDocument {
    project: string;
    stack: string;
    resources: PlanResource[];
    outputs: Record<string, unknown>;
    policy: { violations: PolicyViolation[] };
}

const USAGE = "usage: npm run plan -- --stack <name> [--config-file <path>] [--out <dir>] [--diff <old plan.json>]";

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): PlanArgs {
    const args: Partial<PlanArgs> = {};
    const flags: Record<string, keyof PlanArgs> = { "--stack": "stack", "--config-file": "configFile", "--out": "out", "--diff": "diff" };
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].split(/=(.*)/s, 2);
        const key = flags[flag];
        if (!key) throw new UsageError(`unknown argument ${argv[i]}\n${USAGE}`);
        const value = inline ?? argv[++i];
        if (value === undefined || value === "") throw new UsageError(`${flag} needs a value\n${USAGE}`);
        args[key] = value;
    }
    return { stack: args.stack ?? "staging", ...args } as PlanArgs;
}

/** Evaluates the program for a stack and returns the plan document; throws ConfigError on bad config. */
export async function buildPlan(projectDir: string, args: PlanArgs, program: () => unknown): Promise<{ plan: PlanDocument; settings: Settings; evaluation: Evaluation; evaluationMs: number }> {
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
        outputs: evaluation.outputs,
        policy: {
            violations: evaluatePolicies(evaluation.resources, offlineContext(raw.stack, {
                awsAccountId: settings.aws.accountId, githubOwner: settings.providers["github:owner"],
            })),
        },
    };
    return { plan, settings, evaluation, evaluationMs };
}

/** Writes plan.json and the artifacts; refuses to write anything that carries a secret placeholder. */
export function writePlan(outDir: string, plan: PlanDocument, settings: Settings): string[] {
    const files = [{ path: "plan.json", content: JSON.stringify(plan, null, 2) + "\n" }, ...renderArtifacts(settings)];
    const leaking = files.filter((f) => f.content.includes(SECRET_PLACEHOLDER)).map((f) => f.path);
    if (leaking.length) throw new Error(`refusing to write a secret into ${leaking.join(", ")}`);
    fs.rmSync(outDir, { recursive: true, force: true });
    for (const f of files) {
        const p = path.join(outDir, f.path);
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(p, f.content);
    }
    return files.map((f) => f.path);
}

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
    const outDir = path.resolve(args.out ?? path.join(projectDir, "out", args.stack));
    const written = writePlan(outDir, plan, settings);
    process.stdout.write(summarize(plan, outDir, written, built.evaluationMs));

    let code: number = EXIT.ok;
    const mandatory = plan.policy.violations.filter((v) => v.level === "mandatory");
    if (mandatory.length) {
        process.stderr.write(`${mandatory.length} mandatory policy violation(s):\n` +
            mandatory.map((v) => {
                const source = violationSource(settings.file, v, plan.resources.find((r) => r.urn === v.urn)?.type);
                return `  - [${v.policy}] ${v.urn}: ${v.message}${source ? `\n    (from ${source})` : ""}`;
            }).join("\n") + "\n");
        code = EXIT.policy;
    }
    if (args.diff) {
        if (!fs.existsSync(args.diff)) {
            process.stderr.write(`--diff: no such file ${args.diff}\n`);
            return EXIT.usage;
        }
        const old = JSON.parse(fs.readFileSync(args.diff, "utf8")) as PlanDocument;
        const changes = diffPlans(old.resources, plan.resources);
        const report = formatDiff(changes);
        fs.writeFileSync(path.join(outDir, "diff.md"), report);
        process.stdout.write(`\n${report}`);
        if (changes.some((c) => c.protectedViolation)) code = EXIT.policy;
    }
    return code;
}

if (require.main === module) {
    const projectDir = path.resolve(__dirname, "..", "..");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    main(process.argv.slice(2), projectDir, () => (require(path.join(projectDir, "dist", "index.js")) as () => unknown)())
        .then((code) => process.exit(code))
        .catch((e: unknown) => {
            process.stderr.write(`plan failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
            process.exit(4);
        });
}
