import { DriftClass, classify, worst } from "./classify";
import { Segment, diffPaths, formatPath, getPath, parseJsonString, parsePath } from "./paths";
import { SECRET, redactValue } from "./redact";

/**
 * - `changed`: the resource exists and some properties differ from the code;
 * - `missing`: the code has it, the cloud no longer does (deleted by hand);
 * - `unmanaged`: observed only (a plan-to-plan comparison can see it; a Pulumi refresh cannot).
 */
export type DriftKind = "changed" | "missing" | "unmanaged";

export interface PropertyDrift {
    /** Pulumi property path; `policy#Statement[1].Principal.AWS` points inside a JSON document held in a string. */
    path: string;
    class: DriftClass;
    /** What the program sets (secrets redacted; undefined = not set). */
    code: unknown;
    /** What the cloud holds now (secrets redacted; undefined = absent). */
    observed: unknown;
}

export interface ResourceDrift {
    urn: string;
    type: string;
    name: string;
    kind: DriftKind;
    class: DriftClass;
    /** What the resource controls. */
    control: string;
    /** False when the type has no classification (reported critical). */
    known: boolean;
    properties: PropertyDrift[];
    /** What `pulumi up` would do to put the code back (`update`, `replace`, `create`), when known. */
    revert?: string;
}

/** A difference that is the code's, not the cloud's: merged but not yet deployed. */
export interface PendingChange {
    urn: string;
    type: string;
    op: string;
    properties: string[];
}

export interface DriftReport {
    project: string;
    stack: string;
    /** `plan`: two plan.json documents; `preview`: `pulumi preview --refresh --json`. */
    source: "plan" | "preview";
    drift: ResourceDrift[];
    pending: PendingChange[];
    /** Errors and warnings the engine reported (a refresh that could not read a resource is one). */
    diagnostics: string[];
}

export const resourceName = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);
/** The type token in a URN: `urn:pulumi:<stack>::<project>::<parent types$>type::name`. */
export const urnType = (urn: string): string => {
    const qualified = urn.split("::")[2] ?? "";
    return qualified.slice(qualified.lastIndexOf("$") + 1);
};

const MAX_PATHS_PER_PROPERTY = 25;
const MAX_PATHS_PER_RESOURCE = 50;
const pathNames = (segments: readonly Segment[]): string[] => segments.filter((s): s is string => typeof s === "string");

export interface Sides {
    /** Inputs as the program sets them. */
    code: Record<string, unknown>;
    /** Inputs as read back from the cloud, and outputs for properties providers report only there. */
    observed: Record<string, unknown>;
    observedOutputs?: Record<string, unknown>;
    /** Output names Pulumi keeps secret on this resource. */
    secretOutputs?: readonly string[];
}

/**
 * The property drifts of one resource: at `keys` (Pulumi's detailed-diff paths) or, without keys,
 * wherever the two sides differ. A string that holds a JSON document on both sides (a key or trust
 * policy, a dashboard) is compared inside, so the report names the statement that changed.
 */
export function propertyDrifts(type: string, sides: Sides, keys?: readonly string[]): PropertyDrift[] {
    const paths = keys && keys.length > 0 ? keys.map(parsePath) : diffPaths(sides.code, sides.observed).slice(0, MAX_PATHS_PER_RESOURCE);
    const out: PropertyDrift[] = [];
    const seen = new Set<string>();
    for (const path of paths) {
        const top = path[0];
        if (typeof top !== "string") continue;
        const secretByName = sides.secretOutputs?.includes(top) ?? false;
        const code = getPath(sides.code, path);
        let observed = getPath(sides.observed, path);
        if (observed === undefined && sides.observedOutputs) observed = getPath(sides.observedOutputs, path);
        const verdict = classify(type, top);
        const add = (segments: readonly Segment[], suffix: string, a: unknown, b: unknown) => {
            const p = formatPath(segments) + suffix;
            if (seen.has(p)) return;
            seen.add(p);
            const names = [...pathNames(segments), ...pathNames(parsePath(suffix.replace(/^#/, "")))];
            const hide = secretByName || a === SECRET || b === SECRET;
            out.push({
                path: p, class: verdict.class,
                code: hide && a !== undefined ? SECRET : redactValue(a, names),
                observed: hide && b !== undefined ? SECRET : redactValue(b, names),
            });
        };
        const codeDoc = parseJsonString(code);
        const observedDoc = parseJsonString(observed);
        if (codeDoc !== undefined && observedDoc !== undefined) {
            const inner = diffPaths(codeDoc, observedDoc);
            for (const p of inner.slice(0, MAX_PATHS_PER_PROPERTY)) {
                add(path, p.length ? `#${formatPath(p)}` : "", p.length ? getPath(codeDoc, p) : code, p.length ? getPath(observedDoc, p) : observed);
            }
            if (inner.length > MAX_PATHS_PER_PROPERTY) add(path, `#(${inner.length - MAX_PATHS_PER_PROPERTY} more)`, undefined, undefined);
            continue;
        }
        add(path, "", code, observed);
    }
    return out;
}

/** One resource's drift record; its class is the worst of its properties' (the type's, when it vanished or appeared). */
export function resourceDrift(urn: string, type: string, kind: DriftKind, properties: PropertyDrift[], revert?: string): ResourceDrift {
    const v = classify(type);
    const cls = kind === "changed" && properties.length > 0 ? worst(properties.map((p) => p.class)) : v.class;
    return {
        urn, type, name: resourceName(urn), kind, control: v.control, known: v.known,
        // Unknown types are critical until someone classifies them.
        class: v.known ? cls : "critical",
        properties, ...(revert ? { revert } : {}),
    };
}

const rank = (c: DriftClass): number => (c === "critical" ? 0 : 1);
/** Critical first, then by URN: the order every rendering uses. */
export const sortDrift = (d: ResourceDrift[]): ResourceDrift[] =>
    [...d].sort((a, b) => rank(a.class) - rank(b.class) || (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
