import { z } from "zod";
import { ConfigError, didYouMean, formatPath, formatValue, knownKeys, valueAt } from "./errors";
import { SECRET_REQUIRED } from "./common";
import { guardRawConfig } from "./guard";
import { SecretValue } from "./secret";
import { PROJECT, projectSchema, providerSchema, Settings } from "./schema";
import { SECRET_KEYS, missingSecretProblems } from "./secrets";
import { tierProblems } from "./tier";
import { checkAwsRegion } from "./aws";

/** Stack configuration as the Pulumi engine hands it to a program: flat `ns:key` -> string. */
export interface RawConfig {
    /** The stack file the values came from, for messages (e.g. `Pulumi.prod.yaml`). */
    readonly file: string;
    readonly project: string;
    readonly stack: string;
    readonly values: Readonly<Record<string, string>>;
    /** Full keys whose values were set with `--secret`. */
    readonly secretKeys: ReadonlySet<string>;
}

/** Structured values arrive JSON-encoded, scalars as plain strings. */
function decode(s: string): unknown {
    try {
        return JSON.parse(s);
    } catch {
        return s;
    }
}

function problemsOf(error: z.ZodError, file: string, ns: string, root: z.core.$ZodType, input: unknown, reported: ReadonlySet<string>): string[] {
    const out: string[] = [];
    for (const issue of error.issues) {
        // A missing secret is already reported, with its command, by missingSecretProblems.
        if (reported.has(`${ns}${String(issue.path[0])}`)) continue;
        const prefix = (p: readonly PropertyKey[]) => `${file}: ${ns}${formatPath(p)}`;
        if (issue.code === "unrecognized_keys") {
            const known = knownKeys(root, issue.path);
            for (const key of issue.keys) {
                const path = [...issue.path, key];
                const hint = didYouMean(key, known);
                // Never the value: a misspelled key may well hold a secret in plaintext.
                out.push(`${prefix(path)} = (not shown): unknown key` +
                    (hint ? ` (did you mean "${hint}"?)` : "") + `; allowed: ${known.join(", ")}`);
            }
            continue;
        }
        if (issue.code === "invalid_key") {
            // A record key failed its pattern: say the key's own rule, not zod's generic text.
            const why = issue.issues.map((i) => i.message).join("; ");
            out.push(`${prefix(issue.path)} = ${formatValue(valueAt(input, issue.path))}: invalid key: ${why}`);
            continue;
        }
        const value = "input" in issue ? issue.input : valueAt(input, issue.path);
        const missing = value === undefined;
        // A plaintext value where a secret belongs is itself sensitive: never echo it.
        const plaintextSecret = !missing && issue.code === "custom" && issue.message.startsWith(SECRET_REQUIRED);
        const shown = plaintextSecret ? "(plaintext, not shown)" : formatValue(value);
        out.push(`${prefix(issue.path)} = ${shown}: ${missing ? "is required; " : ""}${issue.message}`);
    }
    return out;
}

/**
 * Validates a stack's whole configuration before any resource exists. Throws ConfigError listing
 * every problem; never echoes a secret value.
 */
export function parseSettings(raw: RawConfig): Settings {
    const projectInput: Record<string, unknown> = {};
    const providerInput: Record<string, unknown> = {};
    const problems: string[] = guardRawConfig(raw.file, raw.project, raw.values, raw.secretKeys, raw.stack);
    for (const [fullKey, str] of Object.entries(raw.values)) {
        const colon = fullKey.indexOf(":");
        const ns = fullKey.slice(0, colon);
        const key = fullKey.slice(colon + 1);
        const nsKey = ns === raw.project ? `${PROJECT}:${key}` : fullKey;
        // A secret arrives as the string it was set to: a key file's JSON text stays text.
        if (raw.secretKeys.has(fullKey) && SECRET_KEYS.has(nsKey)) {
            if (ns === raw.project || ns === PROJECT) projectInput[key] = new SecretValue(fullKey, str);
            else providerInput[fullKey] = new SecretValue(fullKey, str);
            continue;
        }
        let value: unknown = decode(str);
        if (raw.secretKeys.has(fullKey)) {
            if (value !== null && typeof value === "object") {
                problems.push(`${raw.file}: ${fullKey} = [secret]: holds a secure value inside a structured key; ` +
                    `put each secret in a top-level key of its own (see the configuration reference in README.md)`);
                continue;
            }
            value = new SecretValue(fullKey, str);
        }
        if (ns === raw.project || ns === PROJECT) projectInput[key] = value;
        else providerInput[fullKey] = value;
    }

    // Every missing secret at once, whatever else is wrong (zod skips cross-key checks after a failure).
    const sections: Record<string, unknown> = { ...providerInput, ...Object.fromEntries(Object.entries(projectInput).map(([k, v]) => [`${PROJECT}:${k}`, v])) };
    const missing = missingSecretProblems(sections, raw.file, raw.stack);
    const reported = new Set(missing.map((m) => m.key));
    problems.push(...missing.map((m) => m.problem));
    problems.push(...tierProblems(sections, raw.file, raw.stack));

    const project = projectSchema.safeParse(projectInput, { reportInput: true });
    if (!project.success) problems.push(...problemsOf(project.error, raw.file, `${PROJECT}:`, projectSchema, projectInput, reported));
    const providers = providerSchema.safeParse(providerInput, { reportInput: true });
    if (!providers.success) problems.push(...problemsOf(providers.error, raw.file, "", providerSchema, providerInput, reported));

    if (project.success && providers.success) problems.push(...checkAwsRegion(project.data.aws, providers.data["aws:region"], raw.file));
    if (problems.length > 0 || !project.success || !providers.success) throw new ConfigError(raw.file, problems);
    return { ...project.data, project: raw.project, stack: raw.stack, file: raw.file, providers: providers.data };
}
