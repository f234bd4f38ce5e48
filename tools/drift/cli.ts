import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import type { PlanDocument } from "../plan";
import { UsageError, parseFlags } from "../cli-args";
import { SECRET_PLACEHOLDER } from "../stackfile";
import { DriftReport } from "./model";
import { driftFromPlans } from "./plans";
import { PreviewFormatError, driftFromPreview, parsePreview } from "./preview";
import { leaksSecret } from "./redact";
import { headline, issueTitle, renderChatbot, renderEvents, renderIssue, renderSummary, renderText } from "./render";

/** Exit codes of `npm run drift` (README): a report was written whether or not anything drifted. */
export const EXIT = { ok: 0, input: 1, usage: 2 } as const;

const USAGE = "usage: npm run drift -- --stack <name> (--preview <pulumi preview --refresh --json output> | --code <plan.json> --observed <plan.json>)\n" +
    "       [--out <dir>] [--run-url <url>] [--commit <sha>] [--issue-url <url>] [--github-output <file>]";

export interface DriftArgs {
    stack: string;
    preview?: string;
    code?: string;
    observed?: string;
    out?: string;
    runUrl?: string;
    commit?: string;
    issueUrl?: string;
    githubOutput?: string;
}

export function parseArgs(argv: readonly string[]): DriftArgs {
    const flags: Record<string, keyof DriftArgs> = {
        "--stack": "stack", "--preview": "preview", "--code": "code", "--observed": "observed", "--out": "out",
        "--run-url": "runUrl", "--commit": "commit", "--issue-url": "issueUrl", "--github-output": "githubOutput",
    };
    const args = parseFlags<DriftArgs>(argv, flags, USAGE);
    if (!args.stack) throw new UsageError(`--stack is required\n${USAGE}`);
    const planMode = args.code !== undefined || args.observed !== undefined;
    if (args.preview !== undefined === planMode) throw new UsageError(`give either --preview or both --code and --observed\n${USAGE}`);
    if (planMode && (args.code === undefined || args.observed === undefined)) throw new UsageError(`--code and --observed go together\n${USAGE}`);
    return args as DriftArgs;
}

const readFile = (file: string): string => {
    if (!fs.existsSync(file)) throw new UsageError(`${file}: no such file\n${USAGE}`);
    return fs.readFileSync(file, "utf8");
};

function readPlan(file: string): PlanDocument {
    const doc = JSON.parse(readFile(file)) as Partial<PlanDocument>;
    if (!Array.isArray(doc.resources) || typeof doc.stack !== "string") {
        throw new PreviewFormatError(`${file}: not a plan document (npm run plan writes plan.json with project, stack, resources)`);
    }
    return doc as PlanDocument;
}

const projectName = (dir: string): string =>
    String((parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as { name?: unknown }).name ?? "kms-observability");

/** The report for the arguments (reads the input files). */
export function buildReport(args: DriftArgs, projectDir: string): DriftReport {
    if (args.preview !== undefined) {
        return driftFromPreview(parsePreview(readFile(args.preview), args.preview), projectName(projectDir), args.stack);
    }
    return driftFromPlans(readPlan(args.code as string), readPlan(args.observed as string));
}

/** Every file the report is rendered into, by name. */
export function renderFiles(report: DriftReport, args: DriftArgs): Record<string, string> {
    const ctx = { runUrl: args.runUrl, commit: args.commit, issueUrl: args.issueUrl };
    return {
        "report.json": JSON.stringify(report, null, 2) + "\n",
        "summary.md": renderSummary(report, ctx),
        "notification.txt": renderText(report, ctx),
        "notification.json": renderChatbot(report, ctx) + "\n",
        "events.json": renderEvents(report, ctx) + "\n",
        "issue-title.txt": issueTitle(report) + "\n",
        "issue.md": renderIssue(report, ctx),
    };
}

export function main(argv: readonly string[], projectDir: string): number {
    let args: DriftArgs;
    let report: DriftReport;
    try {
        args = parseArgs(argv);
        report = buildReport(args, projectDir);
    } catch (e) {
        if (e instanceof UsageError) {
            process.stderr.write(`${e.message}\n`);
            return EXIT.usage;
        }
        if (e instanceof PreviewFormatError || e instanceof SyntaxError) {
            process.stderr.write(`${e.message}\n`);
            return EXIT.input;
        }
        throw e;
    }
    const files = renderFiles(report, args);
    // The renderers redact; this is the last line of defence before anything leaves the machine.
    const leaking = Object.entries(files).filter(([, text]) => leaksSecret(text) || text.includes(SECRET_PLACEHOLDER)).map(([f]) => f);
    if (leaking.length) throw new Error(`refusing to write what looks like a secret into ${leaking.join(", ")}`);
    const outDir = path.resolve(args.out ?? path.join(projectDir, "out", args.stack, "drift"));
    fs.mkdirSync(outDir, { recursive: true });
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(outDir, name), text);
    if (args.githubOutput) {
        const count = (c: string) => report.drift.filter((d) => d.class === c).length;
        fs.appendFileSync(args.githubOutput, [
            `drift=${report.drift.length > 0}`, `critical=${count("critical")}`, `warning=${count("warning")}`,
            `pending=${report.pending.length}`, `dir=${outDir}`, "",
        ].join("\n"));
    }
    process.stdout.write(`drift ${report.project}/${report.stack}: ${headline(report)}; ${report.pending.length} undeployed change(s); wrote ${Object.keys(files).join(", ")} to ${outDir}\n`);
    if (report.drift.length) process.stdout.write(files["notification.txt"]);
    return EXIT.ok;
}

if (require.main === module) {
    try {
        process.exit(main(process.argv.slice(2), path.resolve(__dirname, "..", "..", "..")));
    } catch (e) {
        process.stderr.write(`drift failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
        process.exit(4);
    }
}
