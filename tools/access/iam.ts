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

export type Outcome = "allow" | "conditional" | "no";

export interface PolicyRequest {
    /** The calling principal: a role or user ARN, or a service principal such as `events.amazonaws.com`. */
    readonly principal: string;
    readonly action: string;
    /** The resource ARN (a key ARN); absent: Resource is not checked (a resource policy read for its own resource). */
    readonly resource?: string;
    /** Known request context; `aws:PrincipalArn` and `aws:PrincipalAccount` are added from `principal`. */
    readonly context: Readonly<Record<string, string>>;
    /** Keys whose absence from `context` means "absent in the request" (the rest are unknown). */
    readonly modelled: readonly string[];
}

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

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

// The access model matches every key against identity policies that list every key's ARN, so this
// runs (keys x ARNs) times per plan: the largest marginal cost of a plan at 500 resources
// (docs/performance.md). Each pattern becomes a matcher once: a plain comparison when it has no
// wildcard (ASCII only when case is ignored, where lower-casing equals the `i` flag), else a RegExp.
const matchers = { exact: new Map<string, (v: string) => boolean>(), ignoreCase: new Map<string, (v: string) => boolean>() };

function matcher(pattern: string, ignoreCase: boolean): (v: string) => boolean {
    if (pattern.includes("${")) throw new Error(`policy variables are not supported: ${pattern}`);
    if (!pattern.includes("*") && !pattern.includes("?")) {
        if (!ignoreCase) return (v) => v === pattern;
        if (/^[\x00-\x7f]*$/.test(pattern)) {
            const lower = pattern.toLowerCase();
            return (v) => v.length === lower.length && v.toLowerCase() === lower;
        }
    }
    const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, ignoreCase ? "is" : "s");
    return (v) => re.test(v);
}

/** IAM wildcard match (`*` any run, `?` one character); actions are case-insensitive, ARNs are not. */
export function wildcard(pattern: string, value: string, ignoreCase = false): boolean {
    const cache = ignoreCase ? matchers.ignoreCase : matchers.exact;
    let m = cache.get(pattern);
    if (!m) {
        m = matcher(pattern, ignoreCase);
        cache.set(pattern, m);
    }
    return m(value);
}

const accounts = new Map<string, string | undefined>();

/** The 12-digit account of an IAM/STS ARN, or of a bare account id (asked per statement and request: remembered). */
export function accountOf(arnOrId: string): string | undefined {
    if (!accounts.has(arnOrId)) accounts.set(arnOrId, /^\d{12}$/.test(arnOrId) ? arnOrId : /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(arnOrId)?.[1]);
    return accounts.get(arnOrId);
}

const accountPrincipals = new Map<string, boolean>();

/** An account id or an account root ARN (asked per statement and request: remembered). */
function isAccountPrincipal(p: string): boolean {
    let is = accountPrincipals.get(p);
    if (is === undefined) {
        is = /^\d{12}$/.test(p) || /^arn:[^:]+:iam::\d{12}:root$/.test(p);
        accountPrincipals.set(p, is);
    }
    return is;
}

export type PrincipalMatch = "named" | "account" | undefined;

const principalMatches = new WeakMap<object, Map<string, PrincipalMatch>>();

/**
 * How a Principal element names the caller: by itself (`named`: its ARN, `*`, its service), or only
 * through its account (`account`: the account root or id, which in a key policy means "IAM policies
 * of that account decide", https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam).
 */
export function matchPrincipal(element: unknown, principal: string): PrincipalMatch {
    if (element === "*") return "named";
    if (element === null || typeof element !== "object") return undefined;
    // Every key is checked against every principal of the plan: the answer per element and principal is remembered.
    let memo = principalMatches.get(element);
    if (!memo) {
        memo = new Map();
        principalMatches.set(element, memo);
    }
    if (memo.has(principal)) return memo.get(principal);
    const how = matchPrincipalElement(element as Record<string, unknown>, principal);
    memo.set(principal, how);
    return how;
}

function matchPrincipalElement(e: Record<string, unknown>, principal: string): PrincipalMatch {
    if (list(e.Service as string | string[]).includes(principal)) return "named";
    let how: PrincipalMatch;
    for (const p of list(e.AWS as string | string[])) {
        if (p === "*" || p === principal) return "named";
        if (isAccountPrincipal(p) && accountOf(p) === accountOf(principal)) how = "account";
    }
    return how;
}

const NUMERIC: Record<string, (a: number, b: number) => boolean> = {
    NumericEquals: (a, b) => a === b, NumericLessThan: (a, b) => a < b, NumericLessThanEquals: (a, b) => a <= b,
    NumericGreaterThan: (a, b) => a > b, NumericGreaterThanEquals: (a, b) => a >= b,
};
const POSITIVE: Record<string, (expected: string, actual: string) => boolean> = {
    StringEquals: (e, a) => e === a,
    StringEqualsIgnoreCase: (e, a) => e.toLowerCase() === a.toLowerCase(),
    StringLike: (e, a) => wildcard(e, a),
    ArnEquals: (e, a) => wildcard(e, a),
    ArnLike: (e, a) => wildcard(e, a),
    Bool: (e, a) => e.toLowerCase() === a.toLowerCase(),
    ...Object.fromEntries(Object.entries(NUMERIC).map(([k, f]) => [k, (e: string, a: string) => f(Number(a), Number(e))])),
};
const NEGATED: Record<string, string> = {
    StringNotEquals: "StringEquals", StringNotEqualsIgnoreCase: "StringEqualsIgnoreCase", StringNotLike: "StringLike",
    ArnNotEquals: "ArnEquals", ArnNotLike: "ArnLike", NumericNotEquals: "NumericEquals",
};

/** One condition `operator: { key: values }` entry: true, false, or undefined when the key is unknown. */
export function conditionHolds(operator: string, key: string, values: unknown, req: PolicyRequest): boolean | undefined {
    return compileCondition(operator, key, values)(contextOf(req));
}

/** A condition entry, parsed once, as a test of a request's context. An unsupported operator throws when tested. */
type Condition = (ctx: RequestContext) => boolean | undefined;

function compileCondition(operator: string, key: string, values: unknown): Condition {
    if (/^For(Any|All)Value:/.test(operator) || /^Date/.test(operator)) {
        return () => { throw new Error(`condition operator ${operator} is not supported`); };
    }
    const ifExists = operator.endsWith("IfExists");
    const op = ifExists ? operator.slice(0, -"IfExists".length) : operator;
    const expected = list(values as string | string[]).map(String);
    const lower = key.toLowerCase();
    const negated = op in NEGATED;
    const test = POSITIVE[NEGATED[op] ?? op];
    return (ctx) => {
        const actual = ctx.values.get(lower);
        if (actual === undefined && !ctx.modelled.has(lower)) return undefined;
        if (op === "Null") return expected.some((e) => (e.toLowerCase() === "true") === (actual === undefined));
        if (actual === undefined) return ifExists || negated;
        if (!test) throw new Error(`condition operator ${operator} is not supported`);
        const any = expected.some((e) => test(e, actual));
        return negated ? !any : any;
    };
}

/** A request's context keys, lower-cased (condition keys are case-insensitive; the first spelling wins), and its modelled keys. */
interface RequestContext {
    readonly values: ReadonlyMap<string, string>;
    readonly modelled: ReadonlySet<string>;
}

// Every statement of every policy a request meets reads the same context, and the access model
// makes ~20 000 requests on a 500-resource plan from a few context objects and principals: built
// once per (context object, modelled list, principal). Request contexts are not changed once made.
const contexts = new WeakMap<object, WeakMap<object, Map<string, RequestContext>>>();

function contextOf(req: PolicyRequest): RequestContext {
    let byModelled = contexts.get(req.context);
    if (!byModelled) {
        byModelled = new WeakMap();
        contexts.set(req.context, byModelled);
    }
    let byPrincipal = byModelled.get(req.modelled);
    if (!byPrincipal) {
        byPrincipal = new Map();
        byModelled.set(req.modelled, byPrincipal);
    }
    let ctx = byPrincipal.get(req.principal);
    if (!ctx) {
        ctx = requestContext(req);
        byPrincipal.set(req.principal, ctx);
    }
    return ctx;
}

function requestContext(req: PolicyRequest): RequestContext {
    const account = accountOf(req.principal);
    const ctx: Record<string, string> = { "aws:PrincipalArn": req.principal, ...(account ? { "aws:PrincipalAccount": account } : {}), ...req.context };
    const values = new Map<string, string>();
    for (const k of Object.keys(ctx)) {
        const lower = k.toLowerCase();
        if (!values.has(lower)) values.set(lower, ctx[k]);
    }
    return { values, modelled: new Set([...values.keys(), ...req.modelled.map((k) => k.toLowerCase())]) };
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

const resourceMatches = (s: Statement, resource: string | undefined): boolean =>
    resource === undefined ? true : s.NotResource !== undefined
        ? !anyResource(s.NotResource, resource)
        : s.Resource === undefined || anyResource(s.Resource, resource);

/** Which statements of a policy apply to a request, and how (principal match, conditions). */
export interface Applicable {
    readonly statement: Statement;
    readonly principal: PrincipalMatch | "identity";
    /** false: conditions hold; true: they depend on unknown keys. */
    readonly conditional: boolean;
}

/**
 * The statements that apply to a request. `kind: "identity"` ignores Principal (the policy is
 * attached to the caller); `"resource"` requires Principal or NotPrincipal to cover the caller.
 */
export function applicable(doc: PolicyDoc, req: PolicyRequest, kind: "identity" | "resource"): Applicable[] {
    const out: Applicable[] = [];
    for (const s of list(doc.Statement)) {
        let principal: Applicable["principal"] = "identity";
        if (kind === "resource") {
            if (s.NotPrincipal !== undefined) {
                // NotPrincipal: everyone except the listed principals; listing the account excludes its principals too.
                if (matchPrincipal(s.NotPrincipal, req.principal) !== undefined) continue;
                principal = "named";
            } else {
                const m = matchPrincipal(s.Principal, req.principal);
                if (!m) continue;
                principal = m;
            }
        }
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

/**
 * A same-account request to a KMS key: allowed if the key policy allows the principal directly, or
 * the key policy allows the account (root) and an identity policy of the principal allows; an
 * explicit deny in either wins (https://docs.aws.amazon.com/kms/latest/developerguide/determining-access.html,
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html).
 */
export function evaluateKeyRequest(keyPolicy: PolicyDoc, identityPolicies: readonly PolicyDoc[], req: PolicyRequest): KeyDecision {
    // One pass over the applicable statements (the access model makes ~20 000 of these requests on a
    // 500-resource plan): the best Allow per way of granting, and whether a Deny applies.
    let direct: Outcome = "no";
    let delegated: Outcome = "no";
    let identity: Outcome = "no";
    let denyMaybe = false;
    let denied = false;
    const better = (o: Outcome, a: Applicable): Outcome => (o === "allow" || !a.conditional ? "allow" : "conditional");
    for (const [kind, docs] of [["resource", [keyPolicy]], ["identity", identityPolicies]] as const) {
        for (const d of docs) {
            for (const a of applicable(d, req, kind)) {
                if (a.statement.Effect === "Deny") {
                    denyMaybe = true;
                    if (!a.conditional) denied = true;
                } else if (a.statement.Effect === "Allow") {
                    if (kind === "identity") identity = better(identity, a);
                    else if (a.principal === "named") direct = better(direct, a);
                    else if (a.principal === "account") delegated = better(delegated, a);
                }
            }
        }
    }
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
