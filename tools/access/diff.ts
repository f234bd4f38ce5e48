import { AccessReport, ActionAccess, KeyAccess, PrincipalAccess } from "./access";
import { shortPrincipal } from "./render";

/** The change in effective key access between two plans: "role X gains kms:Decrypt on key Y". */

type Level = "none" | "cond" | "mfa" | "always";
const RANK: Record<Level, number> = { none: 0, cond: 1, mfa: 2, always: 3 };
const PHRASE: Record<Level, string> = { none: "", cond: "under request conditions", mfa: "with MFA", always: "without MFA" };

export function level(a: ActionAccess | undefined): Level {
    if (!a) return "none";
    if (a.noMfa === "allow") return "always";
    if (a.mfa === "allow") return "mfa";
    return a.mfa === "conditional" || a.noMfa === "conditional" ? "cond" : "none";
}

/** Rights whose gain on a production key is called out: reading data, changing who may, destroying the key. */
export const SENSITIVE = ["kms:Decrypt", "kms:PutKeyPolicy", "kms:CreateGrant", "kms:DisableKey", "kms:ScheduleKeyDeletion"];

export interface AccessChange {
    readonly key: string;
    readonly production: boolean;
    /** As a reviewer reads it (`role ledger-api-prod`). */
    readonly principal: string;
    readonly change: "gains" | "loses" | "no longer needs MFA for" | "now needs MFA for" | "widens" | "narrows" | "new key" | "removed key";
    readonly actions: readonly string[];
    /** `without MFA`, `with MFA`, `under request conditions`, or a summary for a new/removed key. */
    readonly detail: string;
    /** A gained sensitive right, or a dropped MFA requirement, on a production key. */
    readonly callout: boolean;
}

function verb(before: Level, after: Level): AccessChange["change"] {
    if (before === "none") return "gains";
    if (after === "none") return "loses";
    if (before === "mfa" && after === "always") return "no longer needs MFA for";
    if (before === "always" && after === "mfa") return "now needs MFA for";
    return RANK[after] > RANK[before] ? "widens" : "narrows";
}

function summary(k: KeyAccess): string {
    // Principals outside the plan count only where the key policy names them: their IAM policies are not known here.
    const holders = (action: string) => k.principals
        .filter((p) => level(p.actions[action]) !== "none" && (p.kind !== "principal" || p.actions[action].via === "key-policy"))
        .map((p) => shortPrincipal(p));
    return `decrypt: ${holders("kms:Decrypt").join(", ") || "nobody"}; PutKeyPolicy: ${holders("kms:PutKeyPolicy").join(", ") || "nobody"}`;
}

/** Every change, callouts first, then by key, principal and change. */
export function diffAccess(before: AccessReport, after: AccessReport): AccessChange[] {
    const prev = new Map(before.keys.map((k) => [k.key, k]));
    const next = new Map(after.keys.map((k) => [k.key, k]));
    const out: AccessChange[] = [];
    for (const [name, k] of next) {
        const old = prev.get(name);
        if (!old) {
            out.push({ key: name, production: k.production, principal: "", change: "new key", actions: [], detail: summary(k), callout: false });
            continue;
        }
        const principals = new Map<string, [PrincipalAccess | undefined, PrincipalAccess | undefined]>();
        for (const p of old.principals) principals.set(p.principal, [p, undefined]);
        for (const p of k.principals) principals.set(p.principal, [principals.get(p.principal)?.[0], p]);
        // A principal outside the plan that a key policy starts (or stops) naming was, and is, one of
        // "any other principal of the account": that row is its baseline, not "no access".
        const others = (r: KeyAccess) => r.principals.find((p) => p.kind === "account");
        for (const [, [a0, b0]] of principals) {
            const outside = (a0 ?? b0)?.kind === "principal";
            const a = a0 ?? (outside ? others(old) : undefined);
            const b = b0 ?? (outside ? others(k) : undefined);
            const who = shortPrincipal((b0 ?? a0) as PrincipalAccess);
            const grouped = new Map<string, { change: AccessChange["change"]; detail: string; actions: string[]; callout: boolean }>();
            const actions = [...new Set([...Object.keys(a?.actions ?? {}), ...Object.keys(b?.actions ?? {})])].sort();
            for (const action of actions) {
                const l0 = level(a?.actions[action]);
                const l1 = level(b?.actions[action]);
                const [v0, v1] = [a?.actions[action]?.via, b?.actions[action]?.via];
                let change: AccessChange["change"];
                let detail: string;
                let up: boolean;
                if (l0 !== l1) {
                    change = verb(l0, l1);
                    detail = change === "loses" || change === "no longer needs MFA for" || change === "now needs MFA for" ? "" : PHRASE[l1];
                    up = RANK[l1] > RANK[l0];
                } else if (l1 !== "none" && v0 !== v1 && (v0 === "key-policy" || v1 === "key-policy")) {
                    // Same reach, other source: the key policy itself now grants (or no longer grants) what only IAM could.
                    up = v1 === "key-policy";
                    change = up ? "gains" : "loses";
                    detail = up
                        ? `${PHRASE[l1]}, from the key policy itself (before: ${outside ? "only if its IAM policies allowed" : "through its IAM policies only"})`
                        : `from the key policy (${outside ? "still possible if its IAM policies allow" : "still granted by its IAM policies"})`;
                } else continue;
                const callout = k.production && up && (SENSITIVE.includes(action) || change === "no longer needs MFA for");
                const g = grouped.get(`${change}|${detail}|${callout}`) ?? { change, detail, actions: [], callout };
                g.actions.push(action);
                grouped.set(`${change}|${detail}|${callout}`, g);
            }
            for (const g of grouped.values()) out.push({ key: name, production: k.production, principal: who, ...g });
        }
    }
    for (const [name, k] of prev) {
        if (!next.has(name)) out.push({ key: name, production: k.production, principal: "", change: "removed key", actions: [], detail: summary(k), callout: false });
    }
    return out.sort((x, y) => Number(y.callout) - Number(x.callout) || x.key.localeCompare(y.key) || x.principal.localeCompare(y.principal));
}

/** One change as a sentence. */
export function describe(c: AccessChange): string {
    const key = `\`${c.key}\`${c.production ? " (production)" : ""}`;
    if (c.change === "new key") return `new key ${key}: ${c.detail}`;
    if (c.change === "removed key") return `key ${key} leaves the plan (it had ${c.detail})`;
    const detail = c.detail ? ` ${c.detail}` : "";
    return `${c.principal} ${c.change} ${c.actions.join(", ")} on ${key}${detail}`;
}

/** The Markdown section the plan's `--diff` and the review comment print first. */
export function formatAccessDiff(changes: readonly AccessChange[], stack?: string): string {
    const callouts = changes.filter((c) => c.callout).length;
    const lines = [`### Access changes${stack ? `: ${stack}` : ""}: ${changes.length} change(s)${callouts ? `, ${callouts} on production keys to review` : ""}`, ""];
    for (const c of changes) lines.push(c.callout ? `- ⚠ **${describe(c)}**` : `- ${describe(c)}`);
    if (changes.length === 0) lines.push("No change in effective key access.");
    return lines.join("\n") + "\n";
}
