import { z } from "zod";

/** Every problem of a stack file, reported at once, each naming file, key, value and what is allowed. */
export class ConfigError extends Error {
    constructor(readonly file: string, readonly problems: readonly string[]) {
        super(`invalid configuration in ${file} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
            problems.map((p) => `  - ${p}`).join("\n"));
        this.name = "ConfigError";
    }
}

/** `a.b[0].c` from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
    return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
}

/** The longest value a message shows. */
export const MAX_SHOWN = 80;

/** A value as it appears in a message: secrets never show. */
export function formatValue(v: unknown): string {
    if (v === undefined) return "(missing)";
    // Long values are cut (a 1 MiB value must not flood the terminal); non-finite numbers are named, not shown as null.
    if (typeof v === "number" && !Number.isFinite(v)) return String(v);
    const s = JSON.stringify(v) ?? String(v);
    return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN - 3)}... (${s.length} characters)` : s;
}

function levenshtein(a: string, b: string): number {
    const d = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let prev = d[0];
        d[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const cur = d[j];
            d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
            prev = cur;
        }
    }
    return d[b.length];
}

/** The closest known key, when it is close enough to be a likely typo. */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestD = Infinity;
    for (const k of known) {
        const dist = levenshtein(key, k);
        if (dist < bestD) [best, bestD] = [k, dist];
    }
    return best !== undefined && bestD <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** Unwraps optional/default/nullable/pipe wrappers down to the schema that has a shape. */
function unwrap(s: z.core.$ZodType): z.core.$ZodType {
    let cur = s;
    for (;;) {
        const def = cur._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
        if (def.innerType) cur = def.innerType;
        else if (def.type === "pipe" && def.in) cur = def.in;
        else return cur;
    }
}

/** The schema found at `path` inside `root`, or undefined. */
export function schemaAt(root: z.core.$ZodType, path: readonly PropertyKey[]): z.core.$ZodType | undefined {
    let cur: z.core.$ZodType | undefined = root;
    for (const seg of path) {
        if (!cur) return undefined;
        const def = unwrap(cur)._zod.def as {
            type: string; shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType; valueType?: z.core.$ZodType;
        };
        if (def.type === "object" && def.shape) cur = def.shape[String(seg)];
        else if (def.type === "array") cur = def.element;
        else if (def.type === "record") cur = def.valueType;
        else return undefined;
    }
    return cur;
}

/** Keys an object schema at `path` accepts. */
export function knownKeys(root: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
    const s = schemaAt(root, path);
    if (!s) return [];
    const def = unwrap(s)._zod.def as { type: string; shape?: Record<string, unknown> };
    return def.type === "object" && def.shape ? Object.keys(def.shape) : [];
}

/** Reads the value at `path` of a plain object tree. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
    let cur: unknown = root;
    for (const seg of path) {
        if (cur === null || typeof cur !== "object") return undefined;
        cur = (cur as Record<PropertyKey, unknown>)[seg];
    }
    return cur;
}
