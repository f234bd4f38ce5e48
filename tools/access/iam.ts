/**
 * An IAM policy evaluator for what this project's plans contain: KMS key policies, role trust
 * policies and identity (inline or customer managed) policies. It evaluates a statement the way
 * IAM does (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
 * Principal/NotPrincipal, Action/NotAction, Resource/NotResource, and the condition operators of
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * (String*, Arn*, Numeric*, Bool, Null, each with `...IfExists`). Policy variables, Date operators and
 * multivalued (`ForAnyValue:`/`ForAllValues:`) keys throw: the evaluator refuses rather than guesses.
 *
 * Its decisions are checked against a maintained engine (@cloud-copilot/iam-simulate) in
 * test/tools/access/iam-oracle.test.ts. That library is AGPL-3.0, so it is a test-only oracle and
 * this file is the project's own code.
 *
 * Condition keys the caller does not model (encryption context, `aws:SourceArn`, ...) are
 * "unknown": an Allow that depends on them is reported as `conditional`, a Deny that depends on them
 * is not applied (the most permissive reading, which is the one a reviewer of access must see).
 */
import { Condition, PolicyRequest, compileCondition, contextOf } from "./conditions";
import { PrincipalMatch, list, matchPrincipal, wildcard } from "./patterns";

export type { PolicyRequest };

export type Outcome = "allow" | "conditional" | "no";

export interface Statement {
    Sid?: string;
    Effect: string;
    Principal?: unknown;
    NotPrincipal?: unknown;
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
    NotResource?: string | string[];
    Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDoc {
    Statement: Statement | Statement[];
}

/** All conditions of a statement (AND of operators, AND of keys): true, false or undefined (unknown). */
export function conditionsHold(s: Statement, req: PolicyRequest): boolean | undefined {
    let unknown = false;
    const conditions = compiled(s).conditions;
    if (conditions.length === 0) return true;
    const ctx = contextOf(req);
    for (const holds of conditions) {
        const r = holds(ctx);
        if (r === false) return false;
        if (r === undefined) unknown = true;
    }
    return unknown ? undefined : true;
}

/**
 * What a statement's evaluation reads on every request, taken apart once per statement object: its
 * conditions as a flat list, and its Action/NotAction answer per action (a plan asks about the same
 * dozen KMS actions thousands of times). Policies are parsed from the plan and never changed after.
 */
interface CompiledStatement {
    readonly conditions: readonly Condition[];
    readonly actions: Map<string, boolean>;
}
const statements = new WeakMap<Statement, CompiledStatement>();

function compiled(s: Statement): CompiledStatement {
    let c = statements.get(s);
    if (!c) {
        c = {
            conditions: Object.entries(s.Condition ?? {}).flatMap(([op, block]) => Object.entries(block).map(([key, values]) => compileCondition(op, key, values))),
            actions: new Map(),
        };
        statements.set(s, c);
    }
    return c;
}

function actionMatches(s: Statement, action: string): boolean {
    const memo = compiled(s).actions;
    let m = memo.get(action);
    if (m === undefined) {
        m = s.NotAction !== undefined
            ? !list(s.NotAction).some((a) => wildcard(a, action, true))
            : list(s.Action).some((a) => wildcard(a, action, true));
        memo.set(action, m);
    }
    return m;
}

// A Resource list of an identity policy names every key of the stack: match it through a set of its
// literal ARNs plus its wildcard patterns, built once per list, instead of one comparison per ARN.
const resourceLists = new WeakMap<readonly string[], { literal: Set<string>; patterns: string[] }>();

function anyResource(patterns: string | string[], resource: string): boolean {
    if (!Array.isArray(patterns)) return wildcard(patterns, resource);
    let split = resourceLists.get(patterns);
    if (!split) {
        const variable = patterns.find((p) => p.includes("${"));
        if (variable !== undefined) throw new Error(`policy variables are not supported: ${variable}`);
        const wild = (p: string) => p.includes("*") || p.includes("?");
        split = { literal: new Set(patterns.filter((p) => !wild(p))), patterns: patterns.filter(wild) };
        resourceLists.set(patterns, split);
    }
    return split.literal.has(resource) || split.patterns.some((r) => wildcard(r, resource));
}

const resourceAnswers = new WeakMap<Statement, Map<string, boolean>>();

/** Resource/NotResource against a resource ARN, remembered per statement (every key meets every identity statement). */
function resourceMatches(s: Statement, resource: string | undefined): boolean {
    if (resource === undefined) return true;
    let memo = resourceAnswers.get(s);
    if (!memo) {
        memo = new Map();
        resourceAnswers.set(s, memo);
    }
    let m = memo.get(resource);
    if (m === undefined) {
        m = s.NotResource !== undefined ? !anyResource(s.NotResource, resource) : s.Resource === undefined || anyResource(s.Resource, resource);
        memo.set(resource, m);
    }
    return m;
}

/** Which statements of a policy apply to a request, and how (principal match, conditions). */
export interface Applicable {
    readonly statement: Statement;
    readonly principal: PrincipalMatch | "identity";
    /** false: conditions hold; true: they depend on unknown keys. */
    readonly conditional: boolean;
}

/** A statement that covers a caller, with how (Principal match, or "identity" for an attached policy). */
interface Covering {
    readonly statement: Statement;
    readonly principal: Applicable["principal"];
}

// The access model asks about every key for each of a few dozen principals, with a dozen actions and
// two or three contexts each (~20 000 requests at 500 resources): which statements of a policy cover
// a principal is worked out once per (policy, kind, principal), not once per request.
const covering = { identity: new WeakMap<PolicyDoc, Map<string, Covering[]>>(), resource: new WeakMap<PolicyDoc, Map<string, Covering[]>>() };

function coveringStatements(doc: PolicyDoc, principal: string, kind: "identity" | "resource"): Covering[] {
    let byPrincipal = covering[kind].get(doc);
    if (!byPrincipal) {
        byPrincipal = new Map();
        covering[kind].set(doc, byPrincipal);
    }
    let out = byPrincipal.get(principal);
    if (out) return out;
    out = [];
    for (const s of list(doc.Statement)) {
        if (kind === "identity") {
            out.push({ statement: s, principal: "identity" });
        } else if (s.NotPrincipal !== undefined) {
            // NotPrincipal: everyone except the listed principals; listing the account excludes its principals too.
            if (matchPrincipal(s.NotPrincipal, principal) === undefined) out.push({ statement: s, principal: "named" });
        } else {
            const m = matchPrincipal(s.Principal, principal);
            if (m) out.push({ statement: s, principal: m });
        }
    }
    byPrincipal.set(principal, out);
    return out;
}

/**
 * The statements that apply to a request. `kind: "identity"` ignores Principal (the policy is
 * attached to the caller); `"resource"` requires Principal or NotPrincipal to cover the caller.
 */
export function applicable(doc: PolicyDoc, req: PolicyRequest, kind: "identity" | "resource"): Applicable[] {
    const out: Applicable[] = [];
    for (const { statement: s, principal } of coveringStatements(doc, req.principal, kind)) {
        if (!actionMatches(s, req.action) || !resourceMatches(s, req.resource)) continue;
        const cond = conditionsHold(s, req);
        if (cond === false) continue;
        out.push({ statement: s, principal, conditional: cond === undefined });
    }
    return out;
}

export interface KeyDecision {
    readonly outcome: Outcome;
    /** What granted it: the key policy naming the principal, or the account delegation plus an identity policy. */
    readonly via?: "key-policy" | "iam";
}

/** A statement that applies to a request whatever its resource: it covers the caller, matches the action, and its conditions hold or are unknown. */
interface Candidate extends Covering {
    readonly conditional: boolean;
}

function candidatesFor(docs: readonly PolicyDoc[], kind: "identity" | "resource", req: PolicyRequest): Candidate[] {
    const out: Candidate[] = [];
    for (const doc of docs) {
        for (const { statement, principal } of coveringStatements(doc, req.principal, kind)) {
            if (!actionMatches(statement, req.action)) continue;
            const cond = conditionsHold(statement, req);
            if (cond !== false) out.push({ statement, principal, conditional: cond === undefined });
        }
    }
    return out;
}

// A principal's identity policies are the same for every key, and the access model asks the same
// (principal, action, context) once per key: their candidates are worked out once, leaving only the
// Resource check per key. Keyed by object identity (the policy list, the context and the modelled
// list are not changed once made); a key policy belongs to one key and is not remembered.
type ByContext = WeakMap<object, WeakMap<object, Candidate[]>>;
const identityCandidates = new WeakMap<readonly PolicyDoc[], Map<string, Map<string, ByContext>>>();

function candidatesOf(docs: readonly PolicyDoc[], kind: "identity" | "resource", req: PolicyRequest): readonly Candidate[] {
    if (kind === "resource") return candidatesFor(docs, kind, req);
    let byPrincipal = identityCandidates.get(docs);
    if (!byPrincipal) identityCandidates.set(docs, (byPrincipal = new Map()));
    let byAction = byPrincipal.get(req.principal);
    if (!byAction) byPrincipal.set(req.principal, (byAction = new Map()));
    let byContext = byAction.get(req.action);
    if (!byContext) byAction.set(req.action, (byContext = new WeakMap()));
    let byModelled = byContext.get(req.context);
    if (!byModelled) byContext.set(req.context, (byModelled = new WeakMap()));
    let out = byModelled.get(req.modelled);
    if (!out) byModelled.set(req.modelled, (out = candidatesFor(docs, kind, req)));
    return out;
}

/**
 * A same-account request to a KMS key: allowed if the key policy allows the principal directly, or
 * the key policy allows the account (root) and an identity policy of the principal allows; an
 * explicit deny in either wins (https://docs.aws.amazon.com/kms/latest/developerguide/determining-access.html,
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html).
 */
export function evaluateKeyRequest(keyPolicy: PolicyDoc, identityPolicies: readonly PolicyDoc[], req: PolicyRequest): KeyDecision {
    // One pass over the applicable statements (the access model makes ~20 000 of these requests on a
    // 500-resource plan), allocating nothing per statement: the best Allow per way of granting, and
    // whether a Deny applies.
    // Widened: the closure below assigns them, which the compiler's narrowing does not follow.
    let direct = "no" as Outcome;
    let delegated = "no" as Outcome;
    let identity = "no" as Outcome;
    let denyMaybe = false;
    let denied = false as boolean;
    const better = (o: Outcome, conditional: boolean): Outcome => (o === "allow" || !conditional ? "allow" : "conditional");
    const visit = (candidates: readonly Candidate[]) => {
        for (const { statement: s, principal, conditional } of candidates) {
            if (!resourceMatches(s, req.resource)) continue;
            if (s.Effect === "Deny") {
                denyMaybe = true;
                if (!conditional) denied = true;
            } else if (s.Effect === "Allow") {
                if (principal === "identity") identity = better(identity, conditional);
                else if (principal === "named") direct = better(direct, conditional);
                else if (principal === "account") delegated = better(delegated, conditional);
            }
        }
    };
    visit(candidatesOf([keyPolicy], "resource", req));
    visit(candidatesOf(identityPolicies, "identity", req));
    if (denied) return { outcome: "no" };
    const viaIam: Outcome = delegated === "no" || identity === "no" ? "no" : delegated === "allow" && identity === "allow" ? "allow" : "conditional";
    // A conditional deny turns a certain allow into a conditional one (it applies in some requests).
    const soften = (o: Outcome): Outcome => (o === "allow" && denyMaybe ? "conditional" : o);
    if (direct === "allow" || (direct === "conditional" && viaIam !== "allow")) return { outcome: soften(direct), via: "key-policy" };
    if (viaIam !== "no") return { outcome: soften(viaIam), via: "iam" };
    return { outcome: "no" };
}

/** Parses a policy input from a plan (a JSON string, or an object); undefined for "[unknown]"/"[secret]". */
export function parsePolicy(v: unknown): PolicyDoc | undefined {
    if (typeof v === "string") {
        if (!v.trim().startsWith("{")) return undefined;
        return JSON.parse(v) as PolicyDoc;
    }
    return v !== null && typeof v === "object" && "Statement" in v ? (v as PolicyDoc) : undefined;
}
