import * as fs from "fs";
import * as path from "path";
import { PlanResource } from "./engine";

/**
 * Which input changes make a provider replace a resource rather than update it, generated from the
 * providers' own sources by tools/gen-replace-table.ts (ForceNew / RequiresReplace attributes of the
 * Terraform providers the Pulumi packages bridge, and their schema defaults), with the versions read.
 */
interface ReplaceTable {
    readonly providers: Readonly<Record<string, { readonly package: string; readonly source: string }>>;
    readonly providerReplaceKeys: Readonly<Record<string, readonly string[]>>;
    readonly resources: Readonly<Record<string, {
        readonly replaceOnChanges: readonly string[];
        /** Replaced only when the provider's CustomizeDiff says so (e.g. a dashboard model's uid changes). */
        readonly conditionalReplace?: readonly string[];
        readonly defaults: Readonly<Record<string, unknown>>;
    }>>;
}

let table: ReplaceTable | undefined;
/** The committed table (tools/replace-table.json, next to the sources; dist/ reads it from there). */
export function replaceTable(): ReplaceTable {
    if (!table) {
        const file = [path.join(__dirname, "replace-table.json"), path.join(__dirname, "..", "..", "tools", "replace-table.json")].find((f) => fs.existsSync(f));
        if (!file) throw new Error("tools/replace-table.json is missing: run tools/gen-replace-table.ts");
        table = JSON.parse(fs.readFileSync(file, "utf8")) as ReplaceTable;
    }
    return table;
}

/** `import`: a new resource that adopts an existing one (the `import` option) instead of creating it. */
export type ChangeKind = "create" | "import" | "update" | "replace" | "delete";

export interface Change {
    kind: ChangeKind;
    urn: string;
    type: string;
    /** Inputs that differ (update/replace), or the provider settings that changed. */
    keys: string[];
    /** A protected resource would be deleted or replaced: refuse. */
    protectedViolation: boolean;
}

/** What --diff compares: a plan's resources and the provider settings they were planned with. */
export interface PlanSnapshot {
    readonly resources: readonly PlanResource[];
    /** `aws:region` → value, for the non-secret provider settings (plan.json `providers`). */
    readonly providers?: Readonly<Record<string, string>>;
}

/** A --diff file that cannot be compared: not readable, not JSON, not a plan.json. */
export class DiffInputError extends Error {}

/** Reads an older plan.json for --diff; never echoes its content (it may not be a plan at all). */
export function readPlanFile(file: string): PlanSnapshot {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new DiffInputError(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? "error"}): give the plan.json of an earlier run`);
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch {
        throw new DiffInputError(`${file} is not JSON: give the plan.json of an earlier run`);
    }
    const o = doc as { resources?: unknown; providers?: unknown };
    const ok = doc !== null && typeof doc === "object" && Array.isArray(o.resources) && o.resources.every((r: unknown) => {
        const x = r as Partial<PlanResource> | null;
        return x !== null && typeof x === "object" && typeof x.urn === "string" && typeof x.type === "string" &&
            x.inputs !== null && typeof x.inputs === "object" && !Array.isArray(x.inputs);
    });
    if (!ok) throw new DiffInputError(`${file} is not a plan.json (needs "resources": [{ "urn", "type", "inputs" }, …])`);
    const providers = o.providers !== null && typeof o.providers === "object" ? o.providers as Record<string, string> : undefined;
    return { resources: o.resources as PlanResource[], providers };
}

/** The snapshot of a plan document built in this run. */
export function planSnapshot(plan: { resources: readonly PlanResource[]; providers?: Readonly<Record<string, string>> }): PlanSnapshot {
    return { resources: plan.resources, providers: plan.providers };
}

const stable = (v: unknown): string => JSON.stringify(v);
/** The Pulumi package of a type token (`aws:kms/key:Key` → `aws`). */
const packageOf = (type: string) => type.slice(0, type.indexOf(":"));

/** An input as the provider sees it: absent means the provider's default, so an explicit default is no change. */
function effective(type: string, inputs: Readonly<Record<string, unknown>>, key: string): unknown {
    const v = inputs[key];
    return v === undefined ? replaceTable().resources[type]?.defaults[key] : v;
}

/**
 * The old resource each new one continues, as the engine pairs them: the one with the same URN, else
 * the first old URN among its aliases that no new resource has as its own URN and no earlier resource
 * claimed (tools/aliases.ts). A moved resource without an alias has no pair: delete and create.
 */
function matchAliases(before: ReadonlyMap<string, PlanResource>, after: ReadonlyMap<string, PlanResource>): Map<string, PlanResource> {
    const pairs = new Map<string, PlanResource>();
    const claimed = new Set<string>();
    for (const urn of after.keys()) {
        const old = before.get(urn);
        if (old) {
            pairs.set(urn, old);
            claimed.add(urn);
        }
    }
    for (const [urn, r] of after) {
        if (pairs.has(urn)) continue;
        const alias = (r.aliases ?? []).find((a) => before.has(a) && !after.has(a) && !claimed.has(a));
        if (alias === undefined) continue;
        pairs.set(urn, before.get(alias)!);
        claimed.add(alias);
    }
    return pairs;
}

/**
 * What applying `next` over `prev` would do, resource by resource, in URN order. Arrays of
 * resources are accepted for the older call form (no provider settings to compare).
 */
export function diffPlans(prevIn: PlanSnapshot | readonly PlanResource[], nextIn: PlanSnapshot | readonly PlanResource[]): Change[] {
    const prev: PlanSnapshot = Array.isArray(prevIn) ? { resources: prevIn } : prevIn as PlanSnapshot;
    const next: PlanSnapshot = Array.isArray(nextIn) ? { resources: nextIn } : nextIn as PlanSnapshot;
    const t = replaceTable();
    // Provider settings that move every resource of the provider elsewhere (another region, project,
    // organization or Grafana instance): each of its resources is replaced.
    const movedPackages = new Map<string, string[]>();
    if (prev.providers && next.providers) {
        for (const [pkg, keys] of Object.entries(t.providerReplaceKeys)) {
            const changed = keys.filter((k) => prev.providers?.[k] !== undefined && next.providers?.[k] !== undefined && prev.providers[k] !== next.providers[k]);
            if (changed.length) movedPackages.set(pkg, changed);
        }
    }
    const before = new Map(prev.resources.map((r) => [r.urn, r]));
    const after = new Map(next.resources.map((r) => [r.urn, r]));
    const previousOf = matchAliases(before, after);
    const changes: Change[] = [];
    for (const [urn, r] of after) {
        const old = previousOf.get(urn);
        if (!old) {
            changes.push({ kind: r.import ? "import" : "create", urn, type: r.type, keys: [], protectedViolation: false });
            continue;
        }
        const keys = [...new Set([...Object.keys(old.inputs), ...Object.keys(r.inputs)])]
            .filter((k) => stable(effective(old.type, old.inputs, k)) !== stable(effective(r.type, r.inputs, k))).sort();
        const moved = movedPackages.get(packageOf(r.type));
        if (moved && !r.type.startsWith("kms-observability:") && r.type !== "pulumi:pulumi:Stack") {
            changes.push({ kind: "replace", urn, type: r.type, keys: [...moved.map((k) => `provider ${k}`), ...keys], protectedViolation: old.protect });
            continue;
        }
        if (keys.length === 0) continue;
        const replaceKeys = t.resources[r.type]?.replaceOnChanges ?? [];
        const maybe = t.resources[r.type]?.conditionalReplace ?? [];
        const replace = keys.some((k) => replaceKeys.includes(k));
        // A conditional replacement is named, and refused for a protected resource (it may happen).
        const shown = keys.map((k) => (!replace && maybe.includes(k) ? `${k} (may replace)` : k));
        const risky = replace || keys.some((k) => maybe.includes(k));
        changes.push({ kind: replace ? "replace" : "update", urn, type: r.type, keys: shown, protectedViolation: risky && old.protect });
    }
    const kept = new Set([...previousOf.values()].map((r) => r.urn));
    for (const [urn, r] of before) {
        if (!kept.has(urn)) changes.push({ kind: "delete", urn, type: r.type, keys: [], protectedViolation: r.protect });
    }
    return changes.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
}

const SYMBOL: Record<ChangeKind, string> = { create: "+", import: "=", update: "~", replace: "+-", delete: "-" };

/** A Markdown report of the changes (also fit for a GitHub job summary). */
export function formatDiff(changes: readonly Change[]): string {
    const count = (k: ChangeKind) => changes.filter((c) => c.kind === k).length;
    const lines = [
        `### Plan diff: ${count("create")} to create, ${count("update")} to update, ${count("replace")} to replace, ${count("delete")} to delete` +
            (count("import") ? `, ${count("import")} to import` : ""),
        "",
    ];
    for (const c of changes) {
        const name = c.urn.slice(c.urn.lastIndexOf("::") + 2);
        const flag = c.protectedViolation ? " **PROTECTED: refused**" : "";
        lines.push(`- \`${SYMBOL[c.kind]}\` ${c.kind} \`${c.type}\` \`${name}\`${c.keys.length ? ` (${c.keys.join(", ")})` : ""}${flag}`);
    }
    if (changes.length === 0) lines.push("No changes.");
    const bad = changes.filter((c) => c.protectedViolation);
    if (bad.length) lines.push("", `${bad.length} protected resource(s) would be deleted or replaced. Unprotect them deliberately first.`);
    return lines.join("\n") + "\n";
}
