import { renderDashboards } from "../../dashboards";
import { auditLocation, dashboardOptions } from "../../dashboards/options";
import { parseSettings } from "../../config/load";
import { RawConfig } from "../../config/load";

/** The generated dashboard JSON as a user (or Grafana) reads it: only the parts the tests look at. */
export interface Ref { type?: string; uid?: string }
export interface Target { refId: string; datasource?: Ref; expr?: string; rawSql?: string; [k: string]: unknown }
export interface Panel {
    id: number; type: string; title: string; datasource?: Ref; targets?: Target[];
    gridPos: { x: number; y: number; w: number; h: number };
    fieldConfig?: { defaults: Record<string, unknown>; overrides: { matcher: { id: string; options: string }; properties: { id: string; value: unknown }[] }[] };
    options?: Record<string, unknown>;
    transformations?: { id: string; options: Record<string, unknown> }[];
}
export interface Variable { type: string; name: string; query: string; datasource?: Ref; includeAll?: boolean; multi?: boolean }
export interface Model {
    uid: string; title: string; refresh?: string; time: { from: string; to: string };
    templating?: { list: Variable[] }; annotations: { list: { datasource: Ref }[] }; panels: Panel[];
}

/** Every dashboard of a stack config, parsed back from the JSON the plan writes. */
export function modelsOf(raw: RawConfig): Model[] {
    const settings = parseSettings(raw);
    return renderDashboards(dashboardOptions(settings.grafana, auditLocation(settings))).map((d) => JSON.parse(d.json) as Model);
}

export function byUid(models: readonly Model[], uid: string): Model {
    const m = models.find((x) => x.uid === uid);
    if (!m) throw new Error(`no dashboard ${uid} among ${models.map((x) => x.uid).join(", ")}`);
    return m;
}

export function panel(m: Model, id: number): Panel {
    const p = m.panels.find((x) => x.id === id);
    if (!p) throw new Error(`${m.uid} has no panel ${id}`);
    return p;
}

/** Every data source reference in a model: panels, their queries, variables and annotations. */
export function dataSourceRefs(m: Model): { where: string; ref: Ref }[] {
    const out: { where: string; ref: Ref }[] = [];
    for (const p of m.panels) {
        if (p.datasource) out.push({ where: `${m.uid} panel ${p.id}`, ref: p.datasource });
        for (const t of p.targets ?? []) if (t.datasource) out.push({ where: `${m.uid} panel ${p.id} query ${t.refId}`, ref: t.datasource });
    }
    for (const v of m.templating?.list ?? []) if (v.datasource) out.push({ where: `${m.uid} variable ${v.name}`, ref: v.datasource });
    for (const a of m.annotations.list) out.push({ where: `${m.uid} annotation`, ref: a.datasource });
    return out;
}

/** Grafana's built-in annotation data source: exists in every Grafana. */
export const GRAFANA_BUILTIN: Ref = { type: "grafana", uid: "-- Grafana --" };

/** PromQL of every Prometheus query of a model, with where it is. */
export function promQueries(m: Model): { where: string; expr: string }[] {
    return m.panels.flatMap((p) => (p.targets ?? [])
        .filter((t) => t.datasource?.type === "prometheus" || t.datasource?.type === "grafana-amazonprometheus-datasource")
        .map((t) => ({ where: `${m.uid} panel ${p.id} (${p.title}) query ${t.refId}`, expr: String(t.expr) })));
}

/** The series selectors of `label_values(<selector>, <label>)` variable queries. */
export function variableSelectors(m: Model): { where: string; expr: string }[] {
    return (m.templating?.list ?? []).map((v) => {
        const match = /^label_values\((.+),\s*([a-zA-Z_]\w*)\)$/.exec(v.query);
        if (!match) throw new Error(`${m.uid} variable ${v.name}: not a label_values() query: ${v.query}`);
        return { where: `${m.uid} variable ${v.name}`, expr: match[1] };
    });
}
