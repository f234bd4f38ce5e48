/**
 * Property paths as Pulumi prints them in a preview's `detailedDiff` keys: `reviewers[0].users`,
 * `tags["cost-center"]`, `policies[1].matchers[0]` (grammar: sdk/go/common/resource/properties_path.go
 * in github:pulumi/pulumi, `ParsePropertyPath`). Pure functions over plain JSON.
 */

export type Segment = string | number;

/** Splits a Pulumi property path into keys and indices; a malformed path is one opaque key. */
export function parsePath(path: string): Segment[] {
    const out: Segment[] = [];
    let i = 0;
    let key = "";
    const flush = () => { if (key !== "") out.push(key); key = ""; };
    while (i < path.length) {
        const c = path[i];
        if (c === ".") { flush(); i++; continue; }
        if (c === "[") {
            flush();
            if (path[i + 1] === '"') {
                // A quoted key may itself contain `.` or `]`: it ends at the closing `"]`.
                const close = path.indexOf('"]', i + 2);
                if (close < 0) return [path];
                out.push(JSON.parse(path.slice(i + 1, close + 1)) as string);
                i = close + 2;
                continue;
            }
            const end = path.indexOf("]", i);
            if (end < 0) return [path];
            const inner = path.slice(i + 1, end);
            if (/^\d+$/.test(inner)) out.push(Number(inner));
            else if (inner === "*") out.push("*");
            else return [path];
            i = end + 1;
            continue;
        }
        key += c;
        i++;
    }
    flush();
    return out;
}

/**
 * A policy statement by its `Sid` (`Statement[Sid=ContractorDecrypt]`): statements are matched by
 * Sid rather than position, so one added statement is reported as itself, not as a shifted array.
 */
const SID = /^Sid=(.*)$/s;

/** Renders segments back in Pulumi's syntax (keys that are not identifiers are quoted). */
export function formatPath(segments: readonly Segment[]): string {
    return segments.map((s, i) => typeof s === "number" ? `[${s}]`
        : SID.test(s) ? `[${s}]`
        : /^[A-Za-z_$][\w$-]*$/.test(s) ? (i === 0 ? s : `.${s}`) : `[${JSON.stringify(s)}]`).join("");
}

const bySid = (list: unknown[], sid: string): unknown => list.find((x) => isObject(x) && x.Sid === sid);

/** The value at `segments` in `root`, or undefined. */
export function getPath(root: unknown, segments: readonly Segment[]): unknown {
    let cur: unknown = root;
    for (const s of segments) {
        if (cur === null || typeof cur !== "object") return undefined;
        const sid = typeof s === "string" && Array.isArray(cur) ? SID.exec(s) : null;
        cur = sid ? bySid(cur as unknown[], sid[1]) : (cur as Record<string | number, unknown>)[s];
    }
    return cur;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** A JSON document held in a string property (key policies, trust policies, dashboards), parsed. */
export function parseJsonString(v: unknown): unknown {
    if (typeof v !== "string" || !/^\s*[[{]/.test(v)) return undefined;
    try { return JSON.parse(v) as unknown; } catch { return undefined; }
}

/**
 * The leaf paths where `a` and `b` differ: objects key by key, arrays element by element when
 * their lengths match (otherwise the whole array, since an insertion shifts every index).
 */
export function diffPaths(a: unknown, b: unknown, prefix: Segment[] = []): Segment[][] {
    if (JSON.stringify(a) === JSON.stringify(b)) return [];
    if (isObject(a) && isObject(b)) {
        const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
        return keys.flatMap((k) => diffPaths(a[k], b[k], [...prefix, k]));
    }
    const sids = (l: unknown[]) => l.map((x) => (isObject(x) && typeof x.Sid === "string" ? x.Sid : undefined));
    if (Array.isArray(a) && Array.isArray(b)) {
        const [sa, sb] = [sids(a), sids(b)];
        const keyed = (l: (string | undefined)[]) => l.every((x) => x !== undefined) && new Set(l).size === l.length;
        if (a.length + b.length > 0 && keyed(sa) && keyed(sb)) {
            return [...new Set([...sa, ...sb] as string[])].sort()
                .flatMap((sid) => diffPaths(bySid(a, sid), bySid(b, sid), [...prefix, `Sid=${sid}`]));
        }
    }
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.length > 0) {
        return a.flatMap((x, i) => diffPaths(x, b[i], [...prefix, i]));
    }
    return [prefix];
}
