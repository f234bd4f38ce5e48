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
import { Condition, PolicyRequest, RequestContext, compileCondition, contextOf } from "./conditions";
import { PrincipalMatch, list, matchPrincipal, wildcard } from "./patterns";

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
    const conditions = compiled(s).conditions;
    return conditions.length === 0 ? true : conditionsHoldIn(conditions, contextOf(req));
}

function conditionsHoldIn(conditions: readonly Condition[], ctx: RequestContext): boolean | undefined {
    let unknown = false;
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

function actionMatches(s: Statement, c: CompiledStatement, action: string): boolean {
    const memo = c.actions;
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

/** How a statement covers a caller: its Principal names it or its account, or "identity" (an attached policy). */
type How = PrincipalMatch | "identity";

/** A statement that covers a caller, with how (Principal match, or "identity" for an attached policy). */
interface Covering {
    readonly statement: Statement;
    readonly principal: How;
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

export interface KeyDecision {
    readonly outcome: Outcome;
    /** What granted it: the key policy naming the principal, or the account delegation plus an identity policy. */
    readonly via?: "key-policy" | "iam";
}

/** A statement that covers the caller and the resource, with what its evaluation reads, taken apart once. */
interface Candidate {
    readonly statement: Statement;
    readonly principal: How;
    readonly deny: boolean;
    readonly allow: boolean;
    readonly compiled: CompiledStatement;
}

const candidate = (statement: Statement, principal: How): Candidate =>
    ({ statement, principal, deny: statement.Effect === "Deny", allow: statement.Effect === "Allow", compiled: compiled(statement) });

/** The request's part of a key request: the action, the known context and the modelled keys. */
export type KeyRequest = Pick<PolicyRequest, "action" | "context" | "modelled">;

/**
 * Evaluates requests of one principal to one KMS key: allowed if the key policy allows the principal
 * directly, or the key policy allows the account (root) and an identity policy of the principal
 * allows; an explicit deny in either wins (https://docs.aws.amazon.com/kms/latest/developerguide/determining-access.html,
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html).
 *
 * The access model asks each (key, principal) about a dozen actions in two or three contexts
 * (~20 000 requests on a 500-resource plan): which statements cover the principal and the key is
 * worked out once here, leaving the action and the conditions per request, with one context per
 * request for all statements and nothing allocated per statement.
 */
export function keyRequestEvaluator(keyPolicy: PolicyDoc, identityPolicies: readonly PolicyDoc[], principal: string, resource: string | undefined): KeyRequestEvaluator {
    const candidates: Candidate[] = [];
    for (const { statement, principal: how } of coveringStatements(keyPolicy, principal, "resource")) {
        if (resourceMatches(statement, resource)) candidates.push(candidate(statement, how));
    }
    for (const doc of identityPolicies) {
        for (const { statement } of coveringStatements(doc, principal, "identity")) {
            if (resourceMatches(statement, resource)) candidates.push(candidate(statement, "identity"));
        }
    }
    // No Allow can ever apply: no statement naming the principal, and not both the account's
    // delegation and an identity Allow. Every request is then "no" (a Deny only takes away).
    const allows = (how: Candidate["principal"]) => candidates.some((c) => c.allow && c.principal === how);
    const never = !allows("named") && !(allows("account") && allows("identity"));
    const evaluate = (req: KeyRequest): KeyDecision => {
        if (never) return DECISIONS.no;
        let ctx: RequestContext | undefined;
        let direct: Outcome = "no";
        let delegated: Outcome = "no";
        let identity: Outcome = "no";
        let denyMaybe = false;
        let denied = false;
        for (const c of candidates) {
            if (!c.deny && !c.allow) continue;
            if (!actionMatches(c.statement, c.compiled, req.action)) continue;
            let conditional = false;
            if (c.compiled.conditions.length > 0) {
                ctx ??= contextOf({ principal, action: req.action, resource, context: req.context, modelled: req.modelled });
                const holds = conditionsHoldIn(c.compiled.conditions, ctx);
                if (holds === false) continue;
                conditional = holds === undefined;
            }
            if (c.deny) {
                denyMaybe = true;
                if (!conditional) denied = true;
            } else if (c.principal === "identity") identity = better(identity, conditional);
            else if (c.principal === "named") direct = better(direct, conditional);
            else if (c.principal === "account") delegated = better(delegated, conditional);
        }
        if (denied) return DECISIONS.no;
        const viaIam: Outcome = delegated === "no" || identity === "no" ? "no" : delegated === "allow" && identity === "allow" ? "allow" : "conditional";
        // A conditional deny turns a certain allow into a conditional one (it applies in some requests).
        const soften = (o: Outcome): "allow" | "conditional" => (o === "allow" && !denyMaybe ? "allow" : "conditional");
        if (direct === "allow" || (direct === "conditional" && viaIam !== "allow")) return DECISIONS.keyPolicy[soften(direct)];
        if (viaIam !== "no") return DECISIONS.iam[soften(viaIam)];
        return DECISIONS.no;
    };
    return Object.assign(evaluate, { never });
}

/** Decides requests of one principal to one key; `never`: no request can be allowed. */
export type KeyRequestEvaluator = ((req: KeyRequest) => KeyDecision) & { readonly never: boolean };

// The six decisions there are, made once (the access model keeps ~20 000 of them on a 500-resource plan).
const DECISIONS = {
    no: Object.freeze({ outcome: "no" }) as KeyDecision,
    keyPolicy: { allow: Object.freeze({ outcome: "allow", via: "key-policy" }) as KeyDecision, conditional: Object.freeze({ outcome: "conditional", via: "key-policy" }) as KeyDecision },
    iam: { allow: Object.freeze({ outcome: "allow", via: "iam" }) as KeyDecision, conditional: Object.freeze({ outcome: "conditional", via: "iam" }) as KeyDecision },
};

const better = (o: Outcome, conditional: boolean): Outcome => (o === "allow" || !conditional ? "allow" : "conditional");

/** One request to a KMS key (keyRequestEvaluator for a single request). */
export function evaluateKeyRequest(keyPolicy: PolicyDoc, identityPolicies: readonly PolicyDoc[], req: PolicyRequest): KeyDecision {
    return keyRequestEvaluator(keyPolicy, identityPolicies, req.principal, req.resource)(req);
}

/** Parses a policy input from a plan (a JSON string, or an object); undefined for "[unknown]"/"[secret]". */
export function parsePolicy(v: unknown): PolicyDoc | undefined {
    if (typeof v === "string") {
        if (!v.trim().startsWith("{")) return undefined;
        return JSON.parse(v) as PolicyDoc;
    }
    return v !== null && typeof v === "object" && "Statement" in v ? (v as PolicyDoc) : undefined;
}
