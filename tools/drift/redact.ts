/**
 * Secrets never reach a report. A value is withheld when Pulumi marked it secret (the preview JSON
 * prints `"[secret]"` for those: `massagePropertyValue` in pkg/backend/display/json.go of
 * github:pulumi/pulumi; the plan writes the same string), when the property's name says it holds a
 * credential, or when the text looks like one (a Slack webhook, a private key, a bearer token).
 */
import { WIRE } from "../../sdk/adapter";

export const SECRET = "[secret]";

/** Property names (any segment of a path) whose values are credentials. */
const SECRET_NAME = /(secret|passw(or)?d|token|private_?key|webhook|api_?key|integration_?key|routing_?key|service_?key|credential|secureJson)/i;
/** Names that are a credential only as a whole (`userAuthorizationRequired` is not one). */
const SECRET_EXACT_NAME = /^(auth|authorization)$/i;

/** Text that is a credential whatever the property is called. */
const SECRET_TEXT = [
    /https:\/\/hooks\.slack\.com\/\S+/i,
    /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
    /\bgh[pousr]_[A-Za-z0-9]{20,}/,
    /\bxox[abposr]-[A-Za-z0-9-]{10,}/,
    /\bAKIA[0-9A-Z]{16}\b/,
    /\bBearer\s+[A-Za-z0-9._~+/=-]{16,}/,
    /\bpul-[a-f0-9]{40}\b/,
];

/**
 * Whether a path segment names a credential. Only identifier-like segments are property names:
 * a policy condition key such as `token.actions.githubusercontent.com:sub` is data, not a secret.
 */
export const isSecretName = (segment: string): boolean =>
    /^[A-Za-z_][\w-]*$/.test(segment) && (SECRET_NAME.test(segment) || SECRET_EXACT_NAME.test(segment));

/** `v` with every secret replaced by `[secret]`; `names` are the path segments that lead to it. */
export function redactValue(v: unknown, names: readonly string[] = []): unknown {
    if (v === undefined || v === null) return v;
    if (names.some(isSecretName)) return SECRET;
    if (typeof v === "string") return SECRET_TEXT.some((re) => re.test(v)) ? SECRET : v;
    if (Array.isArray(v)) return v.map((x) => redactValue(x, names));
    if (typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (o[WIRE.sigKey] === WIRE.secretSig) return SECRET;
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, redactValue(x, [...names, k])]));
    }
    return v;
}

/** Free text (an engine diagnostic) with every credential-looking part replaced by `[secret]`. */
export function redactText(text: string): string {
    return SECRET_TEXT.reduce((t, re) => t.replace(new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`), SECRET), text);
}

/** Whether any secret survives in `text` (a last check before a report is written or sent). */
export function leaksSecret(text: string, secrets: readonly string[] = []): boolean {
    return SECRET_TEXT.some((re) => re.test(text)) || secrets.some((s) => s.length >= 6 && text.includes(s));
}
