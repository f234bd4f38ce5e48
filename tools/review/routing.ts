import { parse } from "yaml";
import type { AlertmanagerConfig, AmReceiver, AmRoute } from "../../alerts/alertmanager";

/**
 * The Alertmanager routing tree and inhibitions as a Mermaid flowchart (GitHub renders ```mermaid
 * blocks in comments and job summaries: https://docs.github.com/en/get-started/writing-on-github/working-with-advanced-formatting/creating-diagrams),
 * and the change between two configs. Built from alertmanager.yml as the plan writes it, so the
 * picture is of the file Alertmanager loads (https://prometheus.io/docs/alerting/latest/configuration/#route).
 */

export type RoutingDoc = Pick<AlertmanagerConfig, "route" | "receivers"> & Partial<Pick<AlertmanagerConfig, "inhibit_rules">>;

/** alertmanager.yml text to the parts drawn here. */
export const parseAlertmanagerYaml = (text: string): RoutingDoc => parse(text) as RoutingDoc;

/**
 * Mermaid label text in Mermaid's entity form (`#35;`, `#quot;`, `#lt;`, `#gt;`), so any matcher or
 * channel fits in a quoted label and renders as written (https://mermaid.js.org/syntax/flowchart.html#entity-codes-to-escape-characters).
 */
const ENTITY: Record<string, string> = { "#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;" };
const label = (s: string): string => s.replace(/[#"<>]/g, (c) => ENTITY[c]);

/** One line per channel of a receiver: `slack #security-ops`, `email oncall@…`, `pagerduty (critical)`, `webhook host`. */
export function channels(r: AmReceiver | undefined): string[] {
    if (!r) return ["(undefined receiver)"];
    const out: string[] = [];
    for (const c of r.slack_configs ?? []) out.push(`slack ${String(c.channel ?? "(webhook default)")}`);
    for (const c of r.email_configs ?? []) out.push(`email ${String(c.to)}`);
    for (const c of r.pagerduty_configs ?? []) out.push(`pagerduty${c.severity ? ` (${String(c.severity)})` : ""}`);
    for (const c of r.webhook_configs ?? []) out.push(`webhook ${c.url ? new URL(String(c.url)).host : "(url file)"}`);
    for (const [k, v] of Object.entries(r)) {
        if (k !== "name" && !["slack_configs", "email_configs", "pagerduty_configs", "webhook_configs"].includes(k) && Array.isArray(v)) out.push(`${k.replace(/_configs$/, "")} x${v.length}`);
    }
    return out.length ? out : ["(no channels: alerts are dropped)"];
}

/** A route's identity in the tree: the matchers from the root down (`/` for the root). */
export interface FlatRoute {
    readonly path: string;
    readonly depth: number;
    readonly matchers: readonly string[];
    readonly receiver: string;
    /** `group_wait/group_interval/repeat_interval`, and `continue` when set. */
    readonly timing: string;
    readonly parent?: string;
}

export function flattenRoutes(root: AmRoute): FlatRoute[] {
    const out: FlatRoute[] = [];
    const walk = (r: AmRoute, parent: string | undefined, depth: number) => {
        const own = r.matchers ?? [];
        const p = parent === undefined ? "/" : `${parent === "/" ? "" : parent} / ${own.join(", ") || "(any)"}`.trim();
        // Two siblings with the same matchers: keep both distinguishable.
        const unique = out.some((x) => x.path === p) ? `${p} #${out.filter((x) => x.path.startsWith(p)).length + 1}` : p;
        out.push({
            path: unique, depth, matchers: own, receiver: r.receiver, parent,
            timing: `wait ${r.group_wait ?? "-"} · every ${r.group_interval ?? "-"} · repeat ${r.repeat_interval ?? "-"}${r.continue ? " · continue" : ""}`,
        });
        for (const c of r.routes ?? []) walk(c, unique, depth + 1);
    };
    walk(root, undefined, 0);
    return out;
}

export interface Marks {
    readonly routes?: ReadonlySet<string>;
    readonly receivers?: ReadonlySet<string>;
}

/** The flowchart: route nodes (matchers on the edges), receiver nodes with their channels, inhibitions. */
export function routingMermaid(doc: RoutingDoc, changed: Marks = {}): string {
    const routes = flattenRoutes(doc.route);
    const ids = new Map(routes.map((r, i) => [r.path, `r${i}`]));
    const receivers = [...new Set([...doc.receivers.map((r) => r.name), ...routes.map((r) => r.receiver)])];
    const rid = new Map(receivers.map((n, i) => [n, `rcv${i}`]));
    const lines = ["flowchart LR"];
    for (const r of routes) {
        const name = r.parent === undefined ? "all alerts (root)" : "route";
        lines.push(`    ${ids.get(r.path)}(["${label(name)}<br/>${label(r.timing)}"])`);
    }
    for (const r of routes) {
        if (r.parent !== undefined) lines.push(`    ${ids.get(r.parent)} -->|"${label(r.matchers.join(", ") || "(any)")}"| ${ids.get(r.path)}`);
        lines.push(`    ${ids.get(r.path)} -.-> ${rid.get(r.receiver)}`);
    }
    for (const n of receivers) {
        lines.push(`    ${rid.get(n)}[["${[n, ...channels(doc.receivers.find((r) => r.name === n))].map(label).join("<br/>")}"]]`);
    }
    (doc.inhibit_rules ?? []).forEach((rule, i) => {
        lines.push(`    inh${i}s{{"${label(`if firing: ${rule.source_matchers.join(", ")}`)}"}}`);
        lines.push(`    inh${i}t{{"${label(rule.target_matchers.join(", "))}"}}`);
        lines.push(`    inh${i}s -. "${label(`mutes${rule.equal.length ? ` (same ${rule.equal.join(", ")})` : ""}`)}" .-> inh${i}t`);
    });
    lines.push("    classDef receiver fill:#eef,stroke:#55a", "    classDef changed fill:#ffd,stroke:#b80,stroke-width:2px");
    if (receivers.length) lines.push(`    class ${receivers.map((n) => rid.get(n)).join(",")} receiver`);
    const marked = [...routes.filter((r) => changed.routes?.has(r.path)).map((r) => ids.get(r.path)),
        ...receivers.filter((n) => changed.receivers?.has(n)).map((n) => rid.get(n))];
    if (marked.length) lines.push(`    class ${marked.join(",")} changed`);
    return lines.join("\n") + "\n";
}

export interface RoutingChange {
    readonly what: "route" | "receiver" | "inhibition";
    readonly change: "added" | "removed" | "changed";
    readonly name: string;
    readonly detail: string;
}

/** Routes (by matcher path), receivers (by name, their channels) and inhibitions added, removed or changed. */
export function diffRouting(before: RoutingDoc, after: RoutingDoc): RoutingChange[] {
    const out: RoutingChange[] = [];
    const r0 = new Map(flattenRoutes(before.route).map((r) => [r.path, r]));
    const r1 = new Map(flattenRoutes(after.route).map((r) => [r.path, r]));
    for (const [p, r] of r1) {
        const o = r0.get(p);
        if (!o) out.push({ what: "route", change: "added", name: p, detail: `→ ${r.receiver}` });
        else if (o.receiver !== r.receiver || o.timing !== r.timing) {
            out.push({ what: "route", change: "changed", name: p, detail: [o.receiver !== r.receiver ? `receiver ${o.receiver} → ${r.receiver}` : "", o.timing !== r.timing ? `${o.timing} → ${r.timing}` : ""].filter(Boolean).join("; ") });
        }
    }
    for (const [p, o] of r0) if (!r1.has(p)) out.push({ what: "route", change: "removed", name: p, detail: `was → ${o.receiver}` });
    const c0 = new Map(before.receivers.map((r) => [r.name, channels(r).join(", ")]));
    const c1 = new Map(after.receivers.map((r) => [r.name, channels(r).join(", ")]));
    for (const [n, c] of c1) {
        if (!c0.has(n)) out.push({ what: "receiver", change: "added", name: n, detail: c });
        else if (c0.get(n) !== c) out.push({ what: "receiver", change: "changed", name: n, detail: `${c0.get(n)} → ${c}` });
    }
    for (const [n, c] of c0) if (!c1.has(n)) out.push({ what: "receiver", change: "removed", name: n, detail: `had ${c}` });
    const key = (r: NonNullable<RoutingDoc["inhibit_rules"]>[number]) => `${r.source_matchers.join(", ")} mutes ${r.target_matchers.join(", ")} (same ${r.equal.join(", ") || "-"})`;
    const i0 = new Set((before.inhibit_rules ?? []).map(key));
    const i1 = new Set((after.inhibit_rules ?? []).map(key));
    for (const k of i1) if (!i0.has(k)) out.push({ what: "inhibition", change: "added", name: k, detail: "" });
    for (const k of i0) if (!i1.has(k)) out.push({ what: "inhibition", change: "removed", name: k, detail: "" });
    return out;
}

/** The routing section: what changed, then the diagram with changed routes and receivers highlighted. */
export function formatRouting(after: RoutingDoc, before?: RoutingDoc): string {
    const changes = before ? diffRouting(before, after) : [];
    const lines = [`### Alert routing${before ? `: ${changes.length} change(s)` : ""}`, ""];
    for (const c of changes) lines.push(`- ${c.change} ${c.what} \`${c.name}\`${c.detail ? `: ${c.detail}` : ""}`);
    if (before && changes.length === 0) lines.push("No change in routing, receivers or inhibitions.");
    const marks: Marks = {
        routes: new Set(changes.filter((c) => c.what === "route" && c.change !== "removed").map((c) => c.name)),
        receivers: new Set(changes.filter((c) => c.what === "receiver" && c.change !== "removed").map((c) => c.name)),
    };
    lines.push("", "```mermaid", routingMermaid(after, marks).trimEnd(), "```");
    return lines.join("\n") + "\n";
}
