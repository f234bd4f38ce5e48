import { AlertLinks, AlertSpec, alertAnnotations } from "../../alerts/catalog";

/**
 * Builders for `promtool test rules` files: each alert case becomes its own test group (its own
 * input series), with the expected labels and annotations derived from the catalog, so a case
 * states only the data and which alerts must fire.
 */

/** One input series in promtool's expanding notation, e.g. `{ series: 'crypto_mode{env="prod"}', values: "1x5 0x10" }`. */
export interface InputSeries {
    readonly series: string;
    readonly values: string;
}

/** An alert expected to fire: its labels besides alertname/severity, and the text `$value` renders to. */
export interface ExpectedAlert {
    readonly labels: Readonly<Record<string, string>>;
    /** Rendered `{{ $value ... }}` of the annotations; required when they use `$value`. */
    readonly value?: string;
}

/** One scenario: input series, when to evaluate, which alerts fire then (empty: none). */
export interface AlertCase {
    /** What the scenario shows (test name). */
    readonly title: string;
    readonly series: readonly InputSeries[];
    /** Evaluation time, e.g. `6m`. */
    readonly evalTime: string;
    readonly expect: readonly ExpectedAlert[];
}

/** A firing case (at/over threshold, past `for`) and a not-firing case (just under, or not long enough). */
export interface AlertCases {
    readonly firing: AlertCase;
    /** Only an always-firing alert (the Watchdog) has none; it says why instead. */
    readonly notFiring: AlertCase | { readonly none: string };
    /** Further scenarios worth pinning (e.g. a start-up grace period). */
    readonly more?: readonly AlertCase[];
}

/** A recording rule's expected samples at a time. */
export interface RecordingCase {
    readonly title: string;
    readonly series: readonly InputSeries[];
    readonly evalTime: string;
    /** PromQL evaluated, typically the recorded series name. */
    readonly expr: string;
    /** Samples as `{labels}` in PromQL syntax and value. */
    readonly expect: readonly { readonly labels: string; readonly value: number }[];
}

/**
 * Expands the subset of Go templating the catalog uses: `{{ $labels.x }}` and `{{ $value ... }}`
 * (any pipeline on $value: the case gives the rendered text). Anything else is an error, so a new
 * template construct cannot silently go unchecked.
 */
export function expandTemplate(text: string, labels: Readonly<Record<string, string>>, value: string | undefined, where: string): string {
    return text.replace(/\{\{\s*(.*?)\s*\}\}/g, (_m, expr: string) => {
        const label = /^\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)$/.exec(expr);
        if (label) return labels[label[1]] ?? "";
        if (/^\$value\b/.test(expr)) {
            if (value === undefined) throw new Error(`${where}: the annotations use $value; give the case's expected value text`);
            return value;
        }
        throw new Error(`${where}: unsupported template expression {{ ${expr} }}`);
    });
}

type PromtoolGroup = Record<string, unknown>;

function group(name: string, series: readonly InputSeries[], extra: Record<string, unknown>): PromtoolGroup {
    return { name, interval: "1m", input_series: series.map((s) => ({ series: s.series, values: s.values })), ...extra };
}

/** The test group of one alert case. */
export function alertCaseGroup(a: AlertSpec, kind: string, c: AlertCase, links: AlertLinks): PromtoolGroup {
    const where = `${a.name} ${kind} case`;
    const annotations = alertAnnotations(a, links);
    return group(`${a.name} ${kind}: ${c.title}`, c.series, {
        alert_rule_test: [{
            eval_time: c.evalTime,
            alertname: a.name,
            exp_alerts: c.expect.map((e) => ({
                exp_labels: { ...e.labels, severity: a.severity },
                exp_annotations: Object.fromEntries(Object.entries(annotations)
                    .map(([k, v]) => [k, expandTemplate(v, e.labels, e.value, where)])),
            })),
        }],
    });
}

/** The test group of one recording case. */
export function recordingCaseGroup(c: RecordingCase): PromtoolGroup {
    return group(`recording: ${c.title}`, c.series, {
        promql_expr_test: [{ expr: c.expr, eval_time: c.evalTime, exp_samples: c.expect.map((s) => ({ labels: s.labels, value: s.value })) }],
    });
}

/** A complete promtool test file over `ruleFiles` (paths relative to the test file). */
export function promtoolTestFile(ruleFiles: readonly string[], groups: readonly PromtoolGroup[]): Record<string, unknown> {
    return { rule_files: [...ruleFiles], evaluation_interval: "1m", tests: [...groups] };
}
