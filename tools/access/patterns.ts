/**
 * IAM's matching primitives for the access evaluator (tools/access/iam.ts): wildcard patterns
 * (`*`, `?`; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html),
 * accounts of ARNs, and how a Principal element names a caller.
 */

/** A policy field that may be one value or a list, as a list. */
export const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

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
