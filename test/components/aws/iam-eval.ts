/**
 * A small IAM evaluator for resource policies (key, trust, topic policies), enough to check what a
 * document means rather than how it is spelled: principal matching (an account root principal
 * stands for every principal of that account), action globs, and the condition operators this
 * project uses. Not a full IAM engine: no NotAction/NotPrincipal, no policy variables.
 */

export interface Request {
    /** `aws:PrincipalArn`: a role ARN for a role session, or a service principal like `events.amazonaws.com`. */
    readonly principal: string;
    readonly action: string;
    /** Request context keys (absent keys are absent, e.g. no aws:MultiFactorAuthPresent for access keys). */
    readonly context?: Readonly<Record<string, string>>;
}

/**
 * - `Allow`: a statement names the principal itself;
 * - `DelegatedToIam`: only the account-root statement matches, so IAM policies of the account decide;
 * - `Deny`: an explicit deny matches; `ImplicitDeny`: nothing matches.
 */
export type Decision = "Allow" | "DelegatedToIam" | "Deny" | "ImplicitDeny";

interface Stmt {
    Effect: string;
    Principal?: { AWS?: string | string[]; Service?: string | string[]; Federated?: string | string[] } | string;
    Resource?: string | string[];
    Action: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const glob = (pattern: string, value: string): boolean =>
    new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i").test(value);
const accountOf = (arn: string): string | undefined => /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1];

/** How a statement's principal matches: by name, through the account root, or not at all. */
function principalMatch(s: Stmt, principal: string): "named" | "account" | undefined {
    if (s.Principal === undefined) return undefined;
    if (typeof s.Principal === "string") return s.Principal === "*" ? "named" : undefined;
    if (list(s.Principal.Service).includes(principal)) return "named";
    // A web identity federation trust names the identity provider (AssumeRoleWithWebIdentity).
    if (list(s.Principal.Federated).includes(principal)) return "named";
    for (const p of list(s.Principal.AWS)) {
        if (p === "*" || p === principal) return "named";
        if (/:root$/.test(p) && accountOf(p) !== undefined && accountOf(p) === accountOf(principal)) return "account";
    }
    return undefined;
}

function conditionHolds(op: string, key: string, expected: string[], ctx: Readonly<Record<string, string>>): boolean {
    const ifExists = op.endsWith("IfExists");
    const base = ifExists ? op.slice(0, -"IfExists".length) : op;
    const actual = Object.entries(ctx).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
    const negated = /Not/.test(base);
    if (actual === undefined) return ifExists || negated;
    let any: boolean;
    switch (base.replace("Not", "")) {
        case "Bool":
        case "StringEqualsIgnoreCase": any = expected.some((e) => e.toLowerCase() === actual.toLowerCase()); break;
        case "StringEquals":
        case "ArnEquals": any = expected.includes(actual); break;
        case "StringLike":
        case "ArnLike": any = expected.some((e) => glob(e, actual)); break;
        case "NumericLessThanEquals": any = expected.some((e) => Number(actual) <= Number(e)); break;
        case "NumericLessThan": any = expected.some((e) => Number(actual) < Number(e)); break;
        default: throw new Error(`iam-eval: unsupported condition operator ${op}`);
    }
    return negated ? !any : any;
}

const conditionsHold = (s: Stmt, ctx: Readonly<Record<string, string>>): boolean =>
    Object.entries(s.Condition ?? {}).every(([op, block]) =>
        Object.entries(block).every(([key, v]) => conditionHolds(op, key, list(v), ctx)));

/** Evaluates one request against a policy document (object or JSON string). */
export function evaluate(doc: unknown, req: Request): Decision {
    const parsed = (typeof doc === "string" ? JSON.parse(doc) : doc) as { Statement: Stmt | Stmt[] };
    const statements = list(parsed.Statement);
    const ctx = { "aws:PrincipalArn": req.principal, ...(req.context ?? {}) };
    let decision: Decision = "ImplicitDeny";
    for (const s of statements) {
        const how = principalMatch(s, req.principal);
        if (!how || !list(s.Action).some((a) => glob(a, req.action)) || !conditionsHold(s, ctx)) continue;
        if (s.Effect === "Deny") return "Deny";
        if (how === "named") decision = "Allow";
        else if (decision === "ImplicitDeny") decision = "DelegatedToIam";
    }
    return decision;
}

/**
 * Evaluates one call against an identity policy (a role's inline policy: no Principal; the role is
 * the caller): `Allow` when an Allow statement matches the action and the resource and no Deny does.
 */
export function evaluateIdentity(doc: unknown, action: string, resource: string, context: Readonly<Record<string, string>> = {}): "Allow" | "Deny" | "ImplicitDeny" {
    const parsed = (typeof doc === "string" ? JSON.parse(doc) : doc) as { Statement: Stmt | Stmt[] };
    let decision: "Allow" | "ImplicitDeny" = "ImplicitDeny";
    for (const s of list(parsed.Statement)) {
        if (!list(s.Action).some((a) => glob(a, action)) || !list(s.Resource).some((r) => glob(r, resource)) || !conditionsHold(s, context)) continue;
        if (s.Effect === "Deny") return "Deny";
        decision = "Allow";
    }
    return decision;
}

/** An identity (inline or managed) policy: no Principal, it applies to the principal it is attached to. */
function evaluateIdentityRequest(doc: unknown, req: Request): "Allow" | "Deny" | "ImplicitDeny" {
    const parsed = (typeof doc === "string" ? JSON.parse(doc) : doc) as { Statement: Stmt | Stmt[] };
    const ctx = { "aws:PrincipalArn": req.principal, ...(req.context ?? {}) };
    let decision: "Allow" | "ImplicitDeny" = "ImplicitDeny";
    for (const s of list(parsed.Statement)) {
        if (!list(s.Action).some((a) => glob(a, req.action)) || !conditionsHold(s, ctx)) continue;
        if (s.Effect === "Deny") return "Deny";
        decision = "Allow";
    }
    return decision;
}

/**
 * A request inside one account, with the resource's policy and the caller's identity policies, by
 * AWS's policy evaluation logic for a single account
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html):
 * an explicit deny in any policy wins; otherwise an allow in either the identity policies or the
 * resource policy allows. (KMS is the exception, where an identity policy counts only if the key
 * policy delegates to the account: `DelegatedToIam`.) Service principals have no identity policies.
 */
export function evaluateAccess(resourcePolicy: unknown, identityPolicies: readonly unknown[], req: Request): "Allow" | "Deny" | "ImplicitDeny" {
    const resource = evaluate(resourcePolicy, req);
    const identity = identityPolicies.map((d) => evaluateIdentityRequest(d, req));
    if (resource === "Deny" || identity.includes("Deny")) return "Deny";
    return resource === "Allow" || identity.includes("Allow") ? "Allow" : "ImplicitDeny";
}

/** KMS: identity policies count only where the key policy delegates to IAM (the root statement). */
export function evaluateKmsAccess(keyPolicy: unknown, identityPolicies: readonly unknown[], req: Request): "Allow" | "Deny" | "ImplicitDeny" {
    const key = evaluate(keyPolicy, req);
    const identity = identityPolicies.map((d) => evaluateIdentityRequest(d, req));
    if (key === "Deny" || identity.includes("Deny")) return "Deny";
    if (key === "Allow") return "Allow";
    return key === "DelegatedToIam" && identity.includes("Allow") ? "Allow" : "ImplicitDeny";
}
