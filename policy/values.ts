/** Small readers for property values as the engine delivers them (booleans and numbers may be strings). */

/** `true` or `"true"`. */
export function isTrue(v: unknown): boolean {
    return v === true || v === "true";
}

/** A finite number from a number or a numeric string, else undefined. */
export function asNumber(v: unknown): number | undefined {
    const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
    return Number.isFinite(n) ? n : undefined;
}

/** An array property, or [] when absent. */
export function asArray(v: unknown): unknown[] {
    return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

/** An object property, or {} when absent or not an object. */
export function asObject(v: unknown): Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** A JSON-string property parsed to an object, or undefined when it is not one. */
export function parseJsonObject(v: unknown): Record<string, unknown> | undefined {
    if (typeof v !== "string") return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    try {
        const o: unknown = JSON.parse(v);
        return o !== null && typeof o === "object" && !Array.isArray(o) ? (o as Record<string, unknown>) : undefined;
    } catch {
        return undefined;
    }
}

/** A value for a message: strings quoted, absent shown as `(unset)`. */
export function show(v: unknown): string {
    return v === undefined ? "(unset)" : JSON.stringify(v);
}

export const DAY_SECONDS = 86_400;
