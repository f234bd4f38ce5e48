import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { CONTRACT_VERSION, stackOutputsSchema } from "./outputs";

/** The contract flattened to `path -> type`, e.g. `aws.keyArns: record<string>`; `?` marks optional. */
export type Shape = Record<string, string>;

export interface Snapshot {
    readonly contractVersion: string;
    readonly shape: Shape;
}

interface Def { type: string; innerType?: z.core.$ZodType; shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType; valueType?: z.core.$ZodType }

function typeName(s: z.core.$ZodType): string {
    const def = s._zod.def as Def;
    switch (def.type) {
        case "optional": return `${typeName(def.innerType!)}?`;
        case "array": return `array<${typeName(def.element!)}>`;
        case "record": return `record<${typeName(def.valueType!)}>`;
        case "enum": return "string";
        default: return def.type;
    }
}

/** Every path of the schema with its type (objects are recursed into, records and arrays are leaves). */
export function shapeOf(schema: z.core.$ZodType, prefix = ""): Shape {
    const out: Shape = {};
    let s = schema;
    let def = s._zod.def as Def;
    if (def.type === "optional") {
        s = def.innerType!;
        def = s._zod.def as Def;
    }
    for (const [k, child] of Object.entries(def.shape ?? {})) {
        const p = prefix ? `${prefix}.${k}` : k;
        out[p] = typeName(child);
        const inner = (child._zod.def as Def).type === "optional" ? (child._zod.def as Def).innerType! : child;
        if ((inner._zod.def as Def).type === "object") Object.assign(out, shapeOf(inner, p));
    }
    return out;
}

/**
 * The producer's view of the contract: every object strict (no key beyond the schema). Consumers
 * parse with the tolerant `stackOutputsSchema`; this one is for the producer's own tests, so an
 * output added without being declared in the contract (and the snapshot) fails there.
 */
export function strictSchema(schema: z.core.$ZodType): z.ZodType {
    const def = schema._zod.def as Def;
    if (def.type === "optional") return strictSchema(def.innerType!).optional();
    if (def.type === "object") {
        return z.strictObject(Object.fromEntries(Object.entries(def.shape ?? {}).map(([k, v]) => [k, strictSchema(v)])));
    }
    return schema as z.ZodType;
}

const major = (v: string) => Number(v.split(".")[0]);

/**
 * What a consumer of `before` would break on in `after`: removed or renamed paths, changed types, a
 * required output becoming optional. Empty when `after` only adds, or when the major version was bumped.
 */
export function breakingChanges(before: Snapshot, after: Snapshot): string[] {
    const problems: string[] = [];
    for (const [p, t] of Object.entries(before.shape)) {
        const now = after.shape[p];
        if (now === undefined) problems.push(`${p} (${t}) was removed or renamed`);
        else if (now.replace(/\?$/, "") !== t.replace(/\?$/, "")) problems.push(`${p} changed type from ${t} to ${now}`);
        else if (now.endsWith("?") && !t.endsWith("?")) problems.push(`${p} became optional`);
    }
    return major(after.contractVersion) > major(before.contractVersion) ? [] : problems;
}

export const SNAPSHOT_FILE = path.join("contract", "snapshot.json");

export function currentSnapshot(): Snapshot {
    return { contractVersion: CONTRACT_VERSION, shape: shapeOf(stackOutputsSchema) };
}

/** `node dist/contract/snapshot.js --write` records the current contract (after a version bump). */
if (require.main === module && process.argv.includes("--write")) {
    const root = path.resolve(__dirname, "..", "..");
    fs.writeFileSync(path.join(root, SNAPSHOT_FILE), JSON.stringify(currentSnapshot(), null, 2) + "\n");
    process.stdout.write(`wrote ${SNAPSHOT_FILE} for contract ${CONTRACT_VERSION}\n`);
}
