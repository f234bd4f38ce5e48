/**
 * A small EventBridge event-pattern matcher for tests, enough to check what a pattern selects rather
 * than how it is spelled. Semantics from the EventBridge user guide ("Event patterns", "Comparison
 * operators": https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html)
 * and aws/event-ruler's README (the engine behind it):
 * - every field of the pattern must match (AND); a leaf is an array of alternatives (OR);
 * - an event array matches when any element matches (non-empty intersection); objects inside an
 *   array are matched element by element, never combining fields of two elements;
 * - value matchers (exact, prefix, suffix, anything-but) only match values the event has: an absent
 *   field matches nothing but `{ "exists": false }`.
 * Supported: exact strings/numbers/booleans/null, prefix, suffix, anything-but (value, list, prefix),
 * exists. Anything else throws, so a test never passes on an operator this file does not know.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function matchesValue(m: unknown, value: Json): boolean {
    if (!isObject(m)) return m === value;
    const [op, arg] = Object.entries(m)[0] ?? [];
    switch (op) {
        case "prefix": return typeof value === "string" && typeof arg === "string" && value.startsWith(arg);
        case "suffix": return typeof value === "string" && typeof arg === "string" && value.endsWith(arg);
        case "anything-but":
            if (isObject(arg)) return !matchesValue(arg, value) && (typeof value === "string");
            return Array.isArray(arg) ? !arg.includes(value) : arg !== value;
        default: throw new Error(`event-pattern: unsupported matcher ${JSON.stringify(m)}`);
    }
}

/** A leaf (array of matchers) against the field's value(s); `present` = the field exists. */
function matchesLeaf(matchers: unknown[], present: boolean, values: Json[]): boolean {
    return matchers.some((m) => {
        if (isObject(m) && "exists" in m) return m.exists === present;
        return present && values.some((v) => matchesValue(m, v));
    });
}

/** Flattens nested arrays of scalars (event-ruler crushes array structure out). */
const scalars = (v: Json): Json[] => (Array.isArray(v) ? v.flatMap(scalars) : [v]);

function matchesObject(pattern: Record<string, unknown>, event: Json | undefined): boolean {
    if (Array.isArray(event)) return event.some((e) => matchesObject(pattern, e));
    return Object.entries(pattern).every(([key, sub]) => {
        const value = isObject(event) ? (event as Record<string, Json>)[key] : undefined;
        if (Array.isArray(sub)) return matchesLeaf(sub, value !== undefined, value === undefined ? [] : scalars(value));
        if (isObject(sub)) return value !== undefined && matchesObject(sub, value);
        throw new Error(`event-pattern: ${key} must be an array of matchers or an object`);
    });
}

/** Whether EventBridge would deliver `event` to a rule with `pattern` (object or JSON string). */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
    const p = (typeof pattern === "string" ? JSON.parse(pattern) : pattern) as Record<string, unknown>;
    if (!isObject(p)) throw new Error("event-pattern: a pattern is a JSON object");
    return matchesObject(p, event as Json);
}
