import * as path from "path";
import type { PlanDocument } from "./plan";

/** The short human summary the plan prints: resources per component and per type, and where files went. */
export function summarize(plan: PlanDocument, outDir: string, written: readonly string[], evaluationMs: number): string {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const stackUrn = plan.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
    const topOf = (urn: string): string => {
        let cur = byUrn.get(urn);
        while (cur?.parent && cur.parent !== stackUrn && byUrn.has(cur.parent)) cur = byUrn.get(cur.parent);
        return cur ? `${cur.name} (${cur.type})` : urn;
    };
    const tally = (keys: string[]) => {
        const m = new Map<string, number>();
        keys.forEach((k) => m.set(k, (m.get(k) ?? 0) + 1));
        return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    };
    const resources = plan.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
    const lines = [`plan ${plan.project}/${plan.stack}: ${resources.length} resources, ${Object.keys(plan.outputs).length} outputs`];
    lines.push("  by component:");
    for (const [k, n] of tally(resources.map((r) => topOf(r.urn)))) lines.push(`    ${String(n).padStart(4)}  ${k}`);
    lines.push("  by type:");
    for (const [k, n] of tally(resources.map((r) => r.type))) lines.push(`    ${String(n).padStart(4)}  ${k}`);
    const protectedCount = resources.filter((r) => r.protect).length;
    lines.push(`  protected: ${protectedCount}; policy violations: ${plan.policy.violations.length}`);
    // Program evaluation only (SDK submodule loading included), the per-resource cost `npm run bench` reports.
    lines.push(`  evaluated ${plan.resources.length} resources in ${evaluationMs.toFixed(0)} ms ` +
        `(${(evaluationMs / Math.max(1, plan.resources.length)).toFixed(2)} ms/resource)`);
    lines.push(`  wrote ${written.length} file(s) to ${path.relative(process.cwd(), outDir) || "."}/: ${written.slice(0, 6).join(", ")}${written.length > 6 ? ", ..." : ""}`);
    return lines.join("\n") + "\n";
}
