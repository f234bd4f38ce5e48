/**
 * Condition evaluation for the access evaluator (tools/access/iam.ts): the operators of
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * (String*, Arn*, Numeric*, Bool, Null, each with `...IfExists`) against a request's context, with
 * unmodelled keys answered as unknown. Date operators and multivalued keys throw.
 */
import { accountOf, list, wildcard } from "./patterns";

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

/** A condition entry, parsed once, as a test of a request's context. An unsupported operator throws when tested. */
export type Condition = (ctx: RequestContext) => boolean | undefined;

export function compileCondition(operator: string, key: string, values: unknown): Condition {
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
export interface RequestContext {
    readonly values: ReadonlyMap<string, string>;
    readonly modelled: ReadonlySet<string>;
}

// Every statement of every policy a request meets reads the same context, and the access model
// makes ~20 000 requests on a 500-resource plan from a few context objects and principals: built
// once per (context object, modelled list, principal). Request contexts are not changed once made.
const contexts = new WeakMap<object, WeakMap<object, Map<string, RequestContext>>>();

export function contextOf(req: PolicyRequest): RequestContext {
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
