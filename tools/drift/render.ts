import { DRIFT_DETAIL_TYPE, DRIFT_EVENT_SOURCE } from "../../documents/aws/drift-events";
import { DriftClass } from "./classify";
import { DriftReport, PropertyDrift, ResourceDrift } from "./model";
import { SECRET } from "./redact";

/** Where the report points people (the runbook's anchors are stable: tests read them). */
export const RUNBOOK = "docs/runbooks/drift.md";

export interface RenderContext {
    /** Link to the workflow run that produced the report. */
    runUrl?: string;
    /** The commit of the code the cloud was compared with. */
    commit?: string;
}

const MAX_VALUE = 160;

/** A value as one line of text: JSON, cut to a readable length; absence and secrets spelled out. */
export function showValue(v: unknown): string {
    if (v === undefined) return "(absent)";
    if (v === SECRET) return "[secret: not shown]";
    const s = typeof v === "string" ? v : JSON.stringify(v);
    return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
}

/** Inline code for a Markdown table cell (pipes escaped; backticks cannot close the span). */
const cell = (s: string): string => {
    const t = s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
    return t.includes("`") ? `\`\` ${t} \`\`` : `\`${t}\``;
};

const count = (r: DriftReport, c: DriftClass): number => r.drift.filter((d) => d.class === c).length;

/** `2 critical, 1 warning` (or `no drift`). */
export function headline(r: DriftReport): string {
    if (r.drift.length === 0) return "no drift";
    return `${count(r, "critical")} critical, ${count(r, "warning")} warning`;
}

const KIND_TEXT: Record<ResourceDrift["kind"], string> = {
    changed: "changed outside the program",
    missing: "deleted outside the program",
    unmanaged: "exists in the cloud but not in the code",
};

const revertText = (d: ResourceDrift): string => d.revert === undefined ? "" :
    d.revert === "update" ? " `pulumi up` would set it back in place." :
    d.revert === "create" ? " `pulumi up` would create it again." :
    d.revert.includes("replace") ? " **`pulumi up` would REPLACE it** (delete and recreate): read the runbook first." :
    ` \`pulumi up\` would ${d.revert} it.`;

function resourceSection(d: ResourceDrift): string[] {
    const lines = [
        `#### ${d.class === "critical" ? "🔴" : "🟡"} \`${d.name}\` — ${d.control}`,
        "",
        `\`${d.type}\`, ${KIND_TEXT[d.kind]}.${d.known ? "" : " **This type has no drift classification: add it to tools/drift/classify.ts.**"}${revertText(d)}`,
        "",
    ];
    if (d.properties.length) {
        lines.push("| Class | Property | In code | Observed |", "| --- | --- | --- | --- |");
        for (const p of d.properties) lines.push(`| ${p.class} | ${cell(p.path)} | ${cell(showValue(p.code))} | ${cell(showValue(p.observed))} |`);
        lines.push("");
    }
    return lines;
}

/** The GitHub job summary (and the issue's body): everything that drifted, critical first. */
export function renderMarkdown(r: DriftReport, ctx: RenderContext = {}): string {
    const lines = [`## Drift: ${r.project}/${r.stack} — ${headline(r)}`, ""];
    const against = ctx.commit ? `the code at \`${ctx.commit}\`` : "the code";
    lines.push(r.source === "preview"
        ? `The cloud as \`pulumi preview --refresh\` read it, compared with ${against}.${ctx.runUrl ? ` [Workflow run](${ctx.runUrl}).` : ""}`
        : `The observed plan compared with ${against}'s plan.`, "");
    if (r.drift.length === 0) lines.push("Every resource matches the code.", "");
    for (const cls of ["critical", "warning"] as const) {
        const group = r.drift.filter((d) => d.class === cls);
        if (!group.length) continue;
        lines.push(`### ${cls === "critical" ? "Critical: a security control differs from the code" : "Warning: cosmetic differences"}`, "");
        for (const d of group) lines.push(...resourceSection(d));
    }
    if (r.drift.length) {
        lines.push(`Decide per resource whether to **adopt** the change into the code or **revert** it: [${RUNBOOK}](${RUNBOOK}#decide-adopt-or-revert).`, "");
    }
    if (r.pending.length) {
        lines.push("### Not drift: code not yet deployed", "",
            "These differ because the code changed and `pulumi up` has not run for this stack yet.", "");
        for (const p of r.pending) lines.push(`- \`${p.op}\` \`${p.urn.slice(p.urn.lastIndexOf("::") + 2)}\` (\`${p.type}\`)${p.properties.length ? `: ${p.properties.map((k) => `\`${k}\``).join(", ")}` : ""}`);
        lines.push("");
    }
    if (r.diagnostics.length) {
        lines.push("### Engine diagnostics", "", "```", ...r.diagnostics.map((d) => showDiagnostic(d)), "```", "");
    }
    return lines.join("\n");
}

const showDiagnostic = (d: string): string => (d.length > 400 ? `${d.slice(0, 399)}…` : d).replace(/```/g, "'''");

const propertyList = (ps: readonly PropertyDrift[]): string => {
    const names = [...new Set(ps.map((p) => p.path.split(/[.[#]/)[0]))];
    return names.length > 4 ? `${names.slice(0, 4).join(", ")} +${names.length - 4}` : names.join(", ");
};

const MAX_NOTIFY_LINES = 8;

/** The short text of a notification: one line per resource, critical first, then where to look. */
export function renderText(r: DriftReport, ctx: RenderContext & { issueUrl?: string } = {}): string {
    const lines = [`Drift in ${r.project}/${r.stack}: ${headline(r)}`];
    for (const d of r.drift.slice(0, MAX_NOTIFY_LINES)) {
        const what = d.kind === "changed" ? propertyList(d.properties) : KIND_TEXT[d.kind];
        lines.push(`${d.class.toUpperCase()} ${d.name} (${d.control}): ${what}`);
    }
    if (r.drift.length > MAX_NOTIFY_LINES) lines.push(`… and ${r.drift.length - MAX_NOTIFY_LINES} more`);
    if (ctx.issueUrl) lines.push(`Issue: ${ctx.issueUrl}`);
    if (ctx.runUrl) lines.push(`Run: ${ctx.runUrl}`);
    lines.push(`Runbook: ${RUNBOOK}`);
    return lines.join("\n") + "\n";
}

/**
 * The same notification as an AWS Chatbot custom notification, the SNS message format the alert
 * topics already carry (documents/aws/detections.ts): Chatbot posts it to the topic's Slack
 * channel and email subscribers read the JSON's title and description.
 * https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html
 */
export function renderChatbot(r: DriftReport, ctx: RenderContext & { issueUrl?: string } = {}): string {
    const [title, ...rest] = renderText(r, ctx).trimEnd().split("\n");
    const next = rest.filter((l) => /^(Issue|Run|Runbook): /.test(l));
    return JSON.stringify({
        version: "1.0",
        source: "custom",
        content: {
            textType: "client-markdown",
            title: `[kms-security] ${title}`,
            description: rest.filter((l) => !next.includes(l)).join("\n"),
            nextSteps: next,
        },
        // One Slack thread per stack, as the detections thread per detection.
        metadata: { threadId: `drift-${r.project}-${r.stack}`, summary: title },
    });
}

/**
 * The `aws events put-events --entries file://…` input that notifies kms-security: one event whose
 * detail is the Chatbot notification; the stack's drift rule forwards that detail to the
 * kms-security topic (documents/aws/drift-events.ts).
 */
export function renderEvents(r: DriftReport, ctx: RenderContext & { issueUrl?: string } = {}): string {
    return JSON.stringify([{ Source: DRIFT_EVENT_SOURCE, DetailType: DRIFT_DETAIL_TYPE, Detail: renderChatbot(r, ctx) }], null, 2);
}

/** The title of the one open drift issue per stack (the workflow finds it by this title and the `drift` label). */
export const issueTitle = (r: Pick<DriftReport, "project" | "stack">): string => `Drift detected: ${r.project}/${r.stack}`;

/** GitHub refuses an issue body over 65,536 characters; the rest stays in the run's summary and artifact. */
export const MAX_ISSUE_BODY = 60_000;
/**
 * GitHub drops a step summary over 1 MiB ("$GITHUB_STEP_SUMMARY upload aborted, supports content up
 * to a size of 1024k": docs.github.com/actions/using-workflows/workflow-commands-for-github-actions
 * #adding-a-markdown-summary). Counted in characters, with room for multi-byte ones.
 */
export const MAX_SUMMARY = 900_000;

/** `markdown` cut at the last resource heading that fits in `max` characters, with `note` after it. */
export function fitMarkdown(markdown: string, max: number, note: string): string {
    if (markdown.length <= max) return markdown;
    const cut = markdown.lastIndexOf("\n#### ", max - note.length - 4);
    return `${markdown.slice(0, cut > 0 ? cut : max - note.length - 4)}\n\n${note}\n`;
}

/** The job summary: the report, cut to what GitHub shows, the rest in the run's artifact. */
export const renderSummary = (r: DriftReport, ctx: RenderContext = {}): string => fitMarkdown(renderMarkdown(r, ctx), MAX_SUMMARY,
    `**The report is longer than a job summary can hold: the rest is in \`report.json\` of the \`drift-${r.stack}\` artifact.**`);

/** The issue body: the report (cut to fit an issue), and what the owner has to do. */
export function renderIssue(r: DriftReport, ctx: RenderContext = {}): string {
    const report = fitMarkdown(renderMarkdown(r, ctx), MAX_ISSUE_BODY,
        `**The report is longer than an issue can hold: the rest is in the job summary and the \`drift-${r.stack}\` artifact of ${ctx.runUrl ?? "the workflow run"}.**`);
    return [
        `<!-- kms-observability drift: ${r.project}/${r.stack} -->`,
        report,
        "### To close this issue",
        "",
        `- [ ] For each resource above, decide: adopt into the code or revert ([runbook](${RUNBOOK}#decide-adopt-or-revert)).`,
        "- [ ] Critical drift: confirm who made the change and why (CloudTrail, GitHub audit log, Grafana audit), and record it here.",
        "- [ ] Adopt: a pull request that changes the code, then `pulumi up`. Revert: `pulumi up` of the unchanged code.",
        "- [ ] The next drift run finds nothing and closes this issue itself.",
        "",
    ].join("\n");
}
