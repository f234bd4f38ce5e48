/**
 * AWS IAM policy documents (key policies, trust policies, inline and topic policies) in a shape
 * rules can reason about. Documents arrive as JSON strings (how the engine receives `policy`,
 * `assumeRolePolicy`) or as objects (the SDKs' typed `PolicyDocument` inputs). Not the SDK's
 * `aws.iam.PolicyDocument` type: that describes what may be written; rules read whatever a resource
 * carries (a Principal as a string or a map, NotAction/NotPrincipal/NotResource, condition keys in any
 * case), normalised here to lists and lower-cased keys.
 */

export interface Principals {
    /** `"*"` or any principal value containing a wildcard. */
    readonly wildcard: boolean;
    readonly aws: readonly string[];
    readonly service: readonly string[];
    readonly federated: readonly string[];
}

export interface Statement {
    /** Sid, or `#<index>` when the statement has none (for messages). */
    readonly id: string;
    readonly effect: "Allow" | "Deny";
    readonly principals: Principals;
    /** The statement uses NotPrincipal: it applies to everyone but the listed principals. */
    readonly notPrincipal: boolean;
    readonly actions: readonly string[];
    /** The statement uses NotAction: it applies to every action but the listed ones. */
    readonly notAction: boolean;
    readonly resources: readonly string[];
    /** The statement uses NotResource: it applies to every resource but the listed ones. */
    readonly notResource: boolean;
    /** operator -> condition key (lower-cased) -> values as strings. */
    readonly conditions: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

export type Parsed = { ok: true; readonly statements: readonly Statement[] } | { ok: false; error: string };

const list = (v: unknown): string[] => (v === undefined || v === null ? [] : (Array.isArray(v) ? v : [v]).map((x) => String(x)));

function principalsOf(p: unknown): Principals {
    if (p === undefined) return { wildcard: false, aws: [], service: [], federated: [] };
    if (typeof p === "string") return { wildcard: p.includes("*"), aws: [p], service: [], federated: [] };
    const o = (p ?? {}) as Record<string, unknown>;
    const aws = list(o.AWS), service = list(o.Service), federated = list(o.Federated);
    return { wildcard: [...aws, ...service, ...federated].some((x) => x.includes("*")), aws, service, federated };
}

function conditionsOf(c: unknown): Record<string, Record<string, string[]>> {
    const out: Record<string, Record<string, string[]>> = {};
    for (const [op, block] of Object.entries((c ?? {}) as Record<string, unknown>)) {
        out[op] = {};
        for (const [key, v] of Object.entries((block ?? {}) as Record<string, unknown>)) out[op][key.toLowerCase()] = list(v);
    }
    return out;
}

// Several rules read the same policy of the same resource (a key policy is read by every KMS
// key-policy rule): each document text (a string cannot change) is parsed once. Results are
// read-only (the types say so); the cache is emptied when it grows past a bound, for processes that
// check many plans.
const parsedTexts = new Map<string, Parsed>();
export const PARSED_BOUND = 10_000;

/** Parses a policy document; `error` says why it is not one. */
export function parseDocument(doc: unknown): Parsed {
    if (typeof doc === "string") {
        let parsed = parsedTexts.get(doc);
        if (!parsed) {
            if (parsedTexts.size >= PARSED_BOUND) parsedTexts.clear();
            parsed = parseUncached(doc);
            parsedTexts.set(doc, parsed);
        }
        return parsed;
    }
    // An object may be changed after it was read (a test's mutation, a transform): parsed each time.
    return parseUncached(doc);
}

function parseUncached(doc: unknown): Parsed {
    let obj: unknown = doc;
    if (typeof doc === "string") {
        try {
            obj = JSON.parse(doc);
        } catch {
            return { ok: false, error: "is not valid JSON" };
        }
    }
    if (obj === null || typeof obj !== "object" || !("Statement" in obj)) return { ok: false, error: "has no Statement" };
    const raw = (obj as { Statement: unknown }).Statement;
    const statements = (Array.isArray(raw) ? raw : [raw]).map((s, i): Statement => {
        const st = (s ?? {}) as Record<string, unknown>;
        return {
            id: typeof st.Sid === "string" && st.Sid ? st.Sid : `#${i}`,
            effect: st.Effect === "Deny" ? "Deny" : "Allow",
            principals: principalsOf(st.Principal ?? st.NotPrincipal),
            notPrincipal: st.NotPrincipal !== undefined,
            actions: list(st.Action ?? st.NotAction),
            notAction: st.NotAction !== undefined,
            resources: list(st.Resource ?? st.NotResource),
            notResource: st.NotResource !== undefined,
            conditions: conditionsOf(st.Condition),
        };
    });
    return { ok: true, statements };
}

// The key-policy rules ask about the same few patterns for every key: each compiles once.
const globs = new Map<string, RegExp>();

/** IAM's action glob: `*` any run, `?` one character, case-insensitive. */
export function globMatch(pattern: string, value: string): boolean {
    let re = globs.get(pattern);
    if (!re) {
        re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
        globs.set(pattern, re);
    }
    return re.test(value);
}

/** Whether the statement applies to `action` (honouring wildcards and NotAction). */
export function coversAction(st: Statement, action: string): boolean {
    const listed = st.actions.some((p) => globMatch(p, action));
    return st.notAction ? !listed : listed;
}

/** Whether the statement grants every action of a service (`*`, `kms:*`, or any NotAction). */
export function grantsAll(st: Statement, service: string): boolean {
    return st.notAction || st.actions.some((a) => a === "*" || a.toLowerCase() === `${service}:*`);
}

/**
 * The values of a condition key under an operator, looking through the `IfExists` variant;
 * undefined when the statement has no such condition.
 */
export function conditionValues(st: Statement, operator: string, key: string): readonly string[] | undefined {
    for (const op of [operator, `${operator}IfExists`]) {
        const v = st.conditions[op]?.[key.toLowerCase()];
        if (v) return v;
    }
    return undefined;
}

/** An account's root principal: `arn:aws:iam::<account>:root` or the bare 12-digit account id. */
export function isRootPrincipal(p: string): boolean {
    return /^arn:aws[a-z-]*:iam::\d{12}:root$/.test(p) || /^\d{12}$/.test(p);
}

/** The account of an IAM principal ARN (`arn:aws:iam::<account>:...`) or bare account id, else undefined. */
export function accountOf(p: string): string | undefined {
    return /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(p)?.[1] ?? (/^\d{12}$/.test(p) ? p : undefined);
}

/** The principals of a statement as one readable list (for messages). */
export function describePrincipals(st: Statement): string {
    const p = st.principals;
    const all = [...p.aws, ...p.service.map((s) => `Service:${s}`), ...p.federated.map((f) => `Federated:${f}`)];
    return all.length ? all.join(", ") : "(none)";
}

/** Runs `check` over a document's statements: nothing when the document is absent, one message when it is not a policy. */
export function checkDocument(doc: unknown, label: string, check: (statements: readonly Statement[]) => string[]): string[] {
    if (doc === undefined) return [];
    const parsed = parseDocument(doc);
    return parsed.ok ? check(parsed.statements) : [`${label} ${parsed.error}`];
}
