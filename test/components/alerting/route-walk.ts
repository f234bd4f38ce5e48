import type { Route } from "../../../alerts/routing";

/**
 * A small, independent Alertmanager routing evaluator used to compare renderings: the self-hosted
 * alertmanager.yml, the AMP definition and the Grafana notification policy tree are each reduced to
 * the same tree of matchers and walked for a label set, the way Alertmanager's dispatcher does it
 * (depth first, first matching child wins unless `continue`, receivers inherited from the parent).
 */

export type MatchOp = "=" | "!=" | "=~" | "!~";

export interface Matcher {
    readonly label: string;
    readonly op: MatchOp;
    readonly value: string;
}

export interface RouteNode {
    readonly receiver?: string;
    readonly matchers: readonly Matcher[];
    readonly continue: boolean;
    readonly routes: readonly RouteNode[];
    /** Timings as written on the node (undefined: inherited). */
    readonly groupWait?: string;
    readonly groupInterval?: string;
    readonly repeatInterval?: string;
    readonly groupBy?: readonly string[];
}

/** Where a label set ends up: the receiver and the timings in force at that node. */
export interface Delivery {
    readonly receiver: string;
    readonly groupWait?: string;
    readonly groupInterval?: string;
    readonly repeatInterval?: string;
    readonly groupBy?: readonly string[];
}

/** Parses one Alertmanager matcher string: `name="v"`, `name=~"re"`, `name!=v`. */
export function parseMatcher(s: string): Matcher {
    const m = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^"]*?))\s*$/.exec(s);
    if (!m) throw new Error(`not a matcher: ${s}`);
    const value = m[3] !== undefined ? (JSON.parse(`"${m[3]}"`) as string) : m[4];
    return { label: m[1], op: m[2] as MatchOp, value };
}

export function matches(m: Matcher, labels: Readonly<Record<string, string>>): boolean {
    const v = labels[m.label] ?? "";
    switch (m.op) {
        case "=": return v === m.value;
        case "!=": return v !== m.value;
        case "=~": return new RegExp(`^(?:${m.value})$`).test(v);
        case "!~": return !new RegExp(`^(?:${m.value})$`).test(v);
    }
}

/** Deliveries for a label set, in the order Alertmanager would notify. */
export function route(root: RouteNode, labels: Readonly<Record<string, string>>): Delivery[] {
    const walk = (node: RouteNode, inherited: Delivery): Delivery[] => {
        const here: Delivery = {
            receiver: node.receiver ?? inherited.receiver,
            groupWait: node.groupWait ?? inherited.groupWait,
            groupInterval: node.groupInterval ?? inherited.groupInterval,
            repeatInterval: node.repeatInterval ?? inherited.repeatInterval,
            groupBy: node.groupBy ?? inherited.groupBy,
        };
        const out: Delivery[] = [];
        for (const child of node.routes) {
            if (!child.matchers.every((m) => matches(m, labels))) continue;
            out.push(...walk(child, here));
            if (!child.continue) break;
        }
        return out.length > 0 ? out : [here];
    };
    if (!root.receiver) throw new Error("the root route has no receiver");
    return walk(root, { receiver: root.receiver });
}

/** The routing model's tree (alerts/routing.ts) as a RouteNode. */
export function fromModel(r: Route): RouteNode {
    return {
        receiver: r.receiver,
        matchers: r.matchers.map((m) => ({ label: m.name, op: m.type, value: m.value })),
        continue: r.continue,
        routes: r.routes.map(fromModel),
    };
}

/** The receivers a label set is delivered to in the routing model: what the rendered configs are checked against. */
export const receiversFor = (model: Route, labels: Readonly<Record<string, string>>): string[] =>
    route(fromModel(model), labels).map((d) => d.receiver);

/** An Alertmanager `route:` block as parsed from YAML (self-hosted or AMP). */
export interface AmRoute {
    receiver?: string;
    matchers?: string[];
    match?: Record<string, string>;
    match_re?: Record<string, string>;
    continue?: boolean;
    routes?: AmRoute[];
    group_wait?: string;
    group_interval?: string;
    repeat_interval?: string;
    group_by?: string[];
}

export function fromAlertmanager(r: AmRoute): RouteNode {
    return {
        receiver: r.receiver,
        matchers: [
            ...(r.matchers ?? []).map(parseMatcher),
            ...Object.entries(r.match ?? {}).map(([label, value]) => ({ label, op: "=" as const, value })),
            ...Object.entries(r.match_re ?? {}).map(([label, value]) => ({ label, op: "=~" as const, value })),
        ],
        continue: r.continue ?? false,
        routes: (r.routes ?? []).map(fromAlertmanager),
        groupWait: r.group_wait,
        groupInterval: r.group_interval,
        repeatInterval: r.repeat_interval,
        groupBy: r.group_by,
    };
}

/** A Grafana policy as the engine received it (NotificationPolicy inputs, camelCase). */
export interface GrafanaPolicyInput {
    contactPoint?: string;
    matchers?: { label: string; match: string; value: string }[];
    continue?: boolean;
    policies?: GrafanaPolicyInput[];
    groupWait?: string;
    groupInterval?: string;
    repeatInterval?: string;
    groupBies?: string[];
}

export function fromGrafana(p: GrafanaPolicyInput): RouteNode {
    return {
        receiver: p.contactPoint,
        matchers: (p.matchers ?? []).map((m) => ({ label: m.label, op: m.match as MatchOp, value: m.value })),
        continue: p.continue ?? false,
        routes: (p.policies ?? []).map(fromGrafana),
        groupWait: p.groupWait,
        groupInterval: p.groupInterval,
        repeatInterval: p.repeatInterval,
        groupBy: p.groupBies,
    };
}
