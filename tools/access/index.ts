import { AccessReport, accessReport } from "./access";
import { diffAccess, formatAccessDiff } from "./diff";
import { PlanLike } from "./model";
import { renderAccessMarkdown } from "./render";

/** The plan's access artifacts: `access.json` (the report) and `access.md` (a table per key). */
export function accessArtifacts(plan: PlanLike): { path: string; content: string }[] {
    const report = accessReport(plan);
    return [
        { path: "access.json", content: JSON.stringify(report, null, 2) + "\n" },
        { path: "access.md", content: renderAccessMarkdown(report) },
    ];
}

/** The access diff between two plans as Markdown (printed before the resource diff). */
export function accessDiffMarkdown(before: PlanLike, after: PlanLike): { markdown: string; callouts: number } {
    const changes = diffAccess(accessReport(before), accessReport(after));
    return { markdown: formatAccessDiff(changes, after.stack), callouts: changes.filter((c) => c.callout).length };
}

export type { AccessReport };
export { accessReport, diffAccess, formatAccessDiff, renderAccessMarkdown };
