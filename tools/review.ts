import * as fs from "fs";
import * as path from "path";
import { parseFlags } from "./cli-args";
import { accessReport } from "./access/access";
import { diffAccess, formatAccessDiff } from "./access/diff";
import { renderAccessMarkdown } from "./access/render";
import { diffPlans, formatDiff } from "./diff";
import { GITHUB_COMMENT_LIMIT, Part, renderComment } from "./review/comment";
import { RoutingDoc, diffRouting, formatRouting, parseAlertmanagerYaml } from "./review/routing";
import type { PlanDocument } from "./plan";

/**
 * `npm run review -- --stack <name> [--plan <plan.json>] [--diff <old plan.json>] [--format md|text] [--limit <chars>]`
 *
 * Prints what a change means for a reviewer, from plans written by `npm run plan`: the change in
 * effective key access first, then the Alertmanager routing (diagram and changes), the resource diff
 * and the key access tables. `--format md` (default) is the pull-request comment body, within
 * GitHub's comment limit; `--format text` is the same without the diagram and tables, for a terminal.
 */

const USAGE = "usage: npm run review -- --stack <name> [--plan <plan.json>] [--diff <old plan.json>] [--format md|text] [--limit <chars>]";

export interface ReviewArgs {
    stack: string;
    plan?: string;
    diff?: string;
    format: "md" | "text";
    limit: number;
}

export function parseReviewArgs(argv: readonly string[]): ReviewArgs {
    const flags = { "--stack": "stack", "--plan": "plan", "--diff": "diff", "--format": "format", "--limit": "limit" } as const;
    const v = parseFlags<Record<(typeof flags)[keyof typeof flags], string>>(argv, flags, USAGE);
    if (!v.stack) throw new Error(`--stack is required\n${USAGE}`);
    if (v.format && v.format !== "md" && v.format !== "text") throw new Error(`--format must be md or text, not ${v.format}\n${USAGE}`);
    const limit = v.limit ? Number(v.limit) : GITHUB_COMMENT_LIMIT;
    if (!Number.isInteger(limit) || limit < 1000) throw new Error(`--limit must be an integer of at least 1000, not ${v.limit}\n${USAGE}`);
    return { stack: v.stack, plan: v.plan, diff: v.diff, format: (v.format ?? "md") as "md" | "text", limit };
}

const readPlan = (file: string): PlanDocument => {
    if (!fs.existsSync(file)) throw new Error(`no plan at ${file}: run \`npm run plan -- --stack <name> --out ${path.dirname(file)}\` first`);
    return JSON.parse(fs.readFileSync(file, "utf8")) as PlanDocument;
};
/** alertmanager.yml next to a plan.json, as the plan writes it. */
const readRouting = (planFile: string): RoutingDoc | undefined => {
    const f = path.join(path.dirname(planFile), "alertmanager", "alertmanager.yml");
    return fs.existsSync(f) ? parseAlertmanagerYaml(fs.readFileSync(f, "utf8")) : undefined;
};

/** The review for one stack, as Markdown (the comment body) or plain text. */
export function review(planFile: string, args: Pick<ReviewArgs, "stack" | "diff" | "format" | "limit">): string {
    const plan = readPlan(planFile);
    const old = args.diff ? readPlan(args.diff) : undefined;
    const now = accessReport(plan);
    const accessChanges = old ? diffAccess(accessReport(old), now) : undefined;
    const routing = readRouting(planFile);
    const oldRouting = args.diff ? readRouting(args.diff) : undefined;
    const resources = old ? formatDiff(diffPlans(old.resources, plan.resources)) : "";
    if (args.format === "text") {
        const routingLines = routing && oldRouting ? diffRouting(oldRouting, routing).map((c) => `- ${c.change} ${c.what} ${c.name}${c.detail ? `: ${c.detail}` : ""}`) : [];
        return [
            accessChanges ? formatAccessDiff(accessChanges, args.stack) : renderAccessMarkdown(now),
            `### Alert routing: ${routingLines.length} change(s)\n${routingLines.join("\n")}\n`,
            resources,
        ].filter(Boolean).join("\n");
    }
    const parts: Part[] = [];
    if (accessChanges) parts.push({ title: "Access changes", body: formatAccessDiff(accessChanges, args.stack), trim: false });
    if (routing) parts.push({ title: "Alert routing", body: formatRouting(routing, oldRouting), trim: true });
    if (old) parts.push({ title: "Resource diff", body: resources, trim: true });
    parts.push({ title: "Effective key access", body: `<details><summary>Effective key access (tables)</summary>\n\n${renderAccessMarkdown(now)}\n</details>\n`, trim: true });
    return renderComment(args.stack, parts, `the job summary and \`out/${args.stack}/\` of \`npm run plan\``, args.limit);
}

export function main(argv: readonly string[], projectDir: string): number {
    let args: ReviewArgs;
    try {
        args = parseReviewArgs(argv);
    } catch (e) {
        process.stderr.write(`${(e as Error).message}\n`);
        return 2;
    }
    try {
        process.stdout.write(review(args.plan ?? path.join(projectDir, "out", args.stack, "plan.json"), args));
        return 0;
    } catch (e) {
        process.stderr.write(`${(e as Error).message}\n`);
        return 1;
    }
}

if (require.main === module) process.exit(main(process.argv.slice(2), path.resolve(__dirname, "..", "..")));
