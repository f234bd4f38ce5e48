/**
 * PromQL helpers for the consistency checks: Grafana variables replaced by values a dashboard user
 * could pick, and the metric names an expression reads (a small lexer, enough for our queries).
 */

/** Grafana's interval variables and the dashboard variables, with representative values. */
const SUBSTITUTIONS: readonly [RegExp, string][] = [
    [/\$__rate_interval\b/g, "2m"],
    [/\$__interval\b/g, "1m"],
    [/\$__range\b/g, "6h"],
    [/\$\{?env\}?/g, "prod"],
    [/\$\{?service\}?/g, ".*"],
];

/** `expr` with every variable substituted; throws if a `$` is left (an unknown variable). */
export function substituteVariables(expr: string): string {
    const out = SUBSTITUTIONS.reduce((e, [re, v]) => e.replace(re, v), expr);
    if (out.includes("$")) throw new Error(`unknown variable left in: ${out}`);
    return out;
}

const KEYWORDS = new Set(["by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset", "inf", "nan"]);

/** Metric names read by a PromQL expression (identifiers that are neither functions, keywords nor labels). */
export function metricNames(expr: string): Set<string> {
    const stripped = expr
        .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""') // string literals
        .replace(/\{[^}]*\}/g, " ") // label matchers
        .replace(/\[[^\]]*\]/g, " ") // range and subquery durations
        .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " "); // label lists
    const names = new Set<string>();
    for (const m of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
        const after = stripped.slice((m.index ?? 0) + m[0].length).trimStart();
        if (after.startsWith("(") || KEYWORDS.has(m[0].toLowerCase())) continue;
        names.add(m[0]);
    }
    return names;
}
