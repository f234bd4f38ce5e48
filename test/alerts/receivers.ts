import { Matcher, Route } from "../../alerts/routing";

/**
 * The receivers a label set is delivered to in the routing model (alerts/routing.ts), following
 * Alertmanager's matching (first match, `continue`): what the rendered configs are checked against.
 */
export function receiversFor(route: Route, labels: Readonly<Record<string, string>>): string[] {
    const matches = (m: Matcher): boolean => {
        const v = labels[m.name] ?? "";
        switch (m.type) {
            case "=": return v === m.value;
            case "!=": return v !== m.value;
            case "=~": return new RegExp(`^(?:${m.value})$`).test(v);
            case "!~": return !new RegExp(`^(?:${m.value})$`).test(v);
        }
    };
    const walk = (r: Route): string[] | undefined => {
        if (!r.matchers.every(matches)) return undefined;
        const out: string[] = [];
        for (const child of r.routes) {
            const got = walk(child);
            if (got) {
                out.push(...got);
                if (!child.continue) break;
            }
        }
        return out.length > 0 ? out : [r.receiver];
    };
    return walk(route) ?? [route.receiver];
}
