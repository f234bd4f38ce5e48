import { ALERTS, AlertLinks, AlertSpec, alertAnnotations } from "./catalog";
import { RECORDING_RULES } from "./recording";
import { WATCHDOG } from "./routing";
import { toYaml } from "./yaml";

/** Prometheus rule-file documents (plain data, `groups:` as Prometheus loads them). */

export interface PrometheusRecordingRule {
    readonly record: string;
    readonly expr: string;
}

export interface PrometheusAlertingRule {
    readonly alert: string;
    readonly expr: string;
    readonly for?: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
}

export interface RuleGroup {
    readonly name: string;
    readonly rules: readonly (PrometheusRecordingRule | PrometheusAlertingRule)[];
}

export interface RuleFile {
    /** File name under prometheus/rules/. */
    readonly name: string;
    readonly groups: readonly RuleGroup[];
}

/** One alert as a Prometheus alerting rule (`for` omitted when zero). */
export function alertingRule(a: AlertSpec, links: AlertLinks): PrometheusAlertingRule {
    return {
        alert: a.name,
        expr: a.expr,
        ...(/^0+[a-z]*$/.test(a.for) ? {} : { for: a.for }),
        labels: { severity: a.severity },
        annotations: alertAnnotations(a, links),
    };
}

/**
 * The rule files: `kms.yml` with one group `kms_crypto` (seed 001's name) and `watchdog.yml`.
 * Recording rules come first in the same group as the alerts built on them: rules of a group run
 * in order at one timestamp, while separate groups run concurrently (an alert would read the
 * previous evaluation's value, or the current one, depending on timing).
 */
export function ruleFiles(links: AlertLinks): RuleFile[] {
    return [
        {
            name: "kms.yml",
            groups: [{
                name: "kms_crypto",
                rules: [
                    ...RECORDING_RULES.map((r) => ({ record: r.record, expr: r.expr })),
                    ...ALERTS.filter((a) => a.name !== WATCHDOG).map((a) => alertingRule(a, links)),
                ],
            }],
        },
        {
            name: "watchdog.yml",
            groups: [{ name: "meta", rules: ALERTS.filter((a) => a.name === WATCHDOG).map((a) => alertingRule(a, links)) }],
        },
    ];
}

/** A rule file's YAML text. */
export function renderRuleFile(f: RuleFile): string {
    return toYaml({ groups: f.groups }, `Generated from alerts/ by the kms-observability plan; do not edit.`);
}
