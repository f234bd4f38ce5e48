/**
 * Checks on the raw stack config that no schema can make: namespaces nobody reads (a misspelled
 * `kms-observabilty:` would be silently ignored with whatever it holds), provider credential keys
 * set in plaintext (the providers read them whether or not the program does), and credentials
 * embedded in URLs. None of these messages echoes a value: every one may be a credential.
 */
import { didYouMean } from "./errors";

/** Namespaces the program or its providers read; `pulumi:` is the engine's own. */
export const KNOWN_NAMESPACES = ["kms-observability", "aws", "gcp", "grafana", "github", "pulumi"];

/**
 * Provider config keys that hold credentials, per the providers' own configuration references
 * (pulumi-aws: accessKey, secretKey, token; pulumi-gcp: credentials, accessToken; pulumiverse
 * grafana: auth, cloudAccessPolicyToken, smAccessToken, oncallAccessToken, tlsKey; pulumi-github:
 * token, appAuth). Set in plaintext they would sit readable in the stack file and in git.
 */
export const PROVIDER_CREDENTIAL_KEYS = [
    "aws:accessKey", "aws:secretKey", "aws:token",
    "gcp:credentials", "gcp:accessToken",
    "grafana:auth", "grafana:cloudAccessPolicyToken", "grafana:smAccessToken", "grafana:oncallAccessToken", "grafana:tlsKey",
    "github:token", "github:appAuth",
];

/** Credential keys config/schema.ts itself declares as secrets. */
const SCHEMA_SECRETS = ["grafana:auth", "github:token"];

/** Provider keys whose value is a URL: none may carry `user:password@`. */
const URL_KEYS = ["grafana:url", "github:baseUrl"];

/**
 * Problems of the raw config map (full `ns:key` -> string); `file` names the stack file. `stack` is
 * the stack's name (the tier check against `environment` is config/tier.ts).
 */
export function guardRawConfig(file: string, project: string, values: Readonly<Record<string, string>>, secretKeys: ReadonlySet<string>, _stack?: string): string[] {
    const out: string[] = [];
    // Stack name vs environment is config/tier.ts's check (one rule, shared with the policy pack).
    const known = [...new Set([project, ...KNOWN_NAMESPACES])];
    for (const [fullKey, value] of Object.entries(values)) {
        const colon = fullKey.indexOf(":");
        const ns = fullKey.slice(0, colon);
        if (!known.includes(ns)) {
            const hint = didYouMean(ns, known);
            out.push(`${file}: ${fullKey} = (not shown): unknown namespace "${ns}"` + (hint ? ` (did you mean "${hint}"?)` : "") +
                `; nothing reads it. Allowed namespaces: ${known.join(", ")}`);
            continue;
        }
        const caseMatch = PROVIDER_CREDENTIAL_KEYS.find((k) => k.toLowerCase() === fullKey.toLowerCase());
        // grafana:auth and github:token are the schema's own secret keys (config/schema.ts): it reports them.
        if (caseMatch && !SCHEMA_SECRETS.includes(fullKey) && !secretKeys.has(fullKey)) {
            out.push(`${file}: ${fullKey} = (plaintext, not shown): must be a secret: set it with \`pulumi config set --secret ${caseMatch}\`` +
                " (or leave it unset and use the CI credentials)");
        }
        if (URL_KEYS.includes(fullKey) && !secretKeys.has(fullKey) && hasUserInfo(value)) {
            out.push(`${file}: ${fullKey} = (not shown: it embeds credentials): must not carry user:password@; ` +
                "authenticate with the provider's credential key set as a secret");
        }
    }
    return out;
}

/** Whether a URL carries userinfo (`https://user:pass@host`), by the WHATWG URL parser. */
function hasUserInfo(value: string): boolean {
    try {
        const u = new URL(value);
        return u.username !== "" || u.password !== "";
    } catch {
        return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(value);
    }
}
