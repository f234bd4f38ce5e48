import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import { ConfigError } from "../config/errors";
import { RawConfig } from "../config/load";
import { offlinePlaceholder, requiredSecrets } from "../config/secrets";
export { secureValueProblems } from "./ciphertext";

/** The prefix of the placeholder that stands for a `secure:` value offline; it never reaches a written file. */
export const SECRET_PLACEHOLDER = "offline-secret:";

/** A usage problem with the files themselves (missing, not YAML): exit code 2 territory. */
export class StackFileError extends Error {}

/**
 * Reads a YAML file. Problems of the content (bytes that are not UTF-8, YAML syntax) are a bad
 * configuration, exit 1 (README "Exit codes"); their messages give the position only, never the
 * source line: the yaml library's message carries a code frame that would print the line, and a
 * stack file's lines hold webhooks and tokens.
 */
function readYaml(file: string): Record<string, unknown> {
    if (!fs.existsSync(file)) throw new StackFileError(`${file}: no such file`);
    const name = path.basename(file);
    const bytes = fs.readFileSync(file);
    let text: string;
    try {
        // Not U+FFFD: a value silently changed is worse than a file refused.
        text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
        throw new ConfigError(name, [`${name}: ${badUtf8At(bytes)}: not valid UTF-8; save the file as UTF-8`]);
    }
    // prettyErrors gives each error its line and column (linePos); the code frame it adds to the message is dropped below.
    const doc = parseDocument(text, { prettyErrors: true });
    if (doc.errors.length) {
        // The first errors only: after a syntax error, the rest are usually its echoes.
        throw new ConfigError(name, doc.errors.slice(0, 3).map((e) => {
            const at = e.linePos?.[0];
            // The first sentence of the message, without the library's " at line L, column C:" frame.
            const why = e.message.split(/ at line \d+|\n/)[0];
            return `${name}:${at ? `${at.line}:${at.col}` : ""} not valid YAML: ${why} (${e.code})`;
        }));
    }
    const value: unknown = doc.toJS();
    const problems = nonFinite(value, []).map((p) => `${name}: ${p} = ${"(a non-finite number)"}: numbers must be finite (.inf and .nan are not values any setting takes)`);
    if (problems.length) throw new ConfigError(name, problems);
    return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

/** "line L, byte B" of the first byte sequence that is not UTF-8. */
function badUtf8At(bytes: Buffer): string {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    let lo = 0;
    let hi = bytes.length;
    // The longest valid prefix, by bisection (decoding a prefix may cut a character: allow 3 bytes).
    while (hi - lo > 4) {
        const mid = (lo + hi) >> 1;
        try {
            decoder.decode(bytes.subarray(0, mid), { stream: true });
            decoder.decode();
            lo = mid;
        } catch {
            hi = mid;
        }
    }
    const line = bytes.subarray(0, lo).toString("latin1").split("\n").length;
    return `line ${line}, near byte ${lo}`;
}

/** Paths (`config.key.sub[0]`) of numbers that are not finite. */
function nonFinite(v: unknown, at: (string | number)[]): string[] {
    if (typeof v === "number") return Number.isFinite(v) ? [] : [at.map((p, i) => (typeof p === "number" ? `[${p}]` : i ? `.${p}` : p)).join("").replace(/^config\./, "")];
    if (Array.isArray(v)) return v.flatMap((x, i) => nonFinite(x, [...at, i]));
    if (v !== null && typeof v === "object") return Object.entries(v).flatMap(([k, x]) => nonFinite(x, [...at, k]));
    return [];
}

const isSecure = (v: unknown): boolean =>
    v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && "secure" in v;

/** Replaces nested `secure:` values by placeholders; reports whether any was found. */
function replaceSecure(v: unknown, key: string, found: { any: boolean }): unknown {
    if (isSecure(v)) {
        found.any = true;
        return `${SECRET_PLACEHOLDER}${key}`;
    }
    if (Array.isArray(v)) return v.map((x) => replaceSecure(x, key, found));
    if (v !== null && typeof v === "object") {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceSecure(x, key, found)]));
    }
    return v;
}

/** Decoded values (objects parsed) for the requirement checks of config/secrets.ts. */
export function decoded(values: Readonly<Record<string, string>>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(values).map(([k, v]) => {
        try { return [k, JSON.parse(v) as unknown]; } catch { return [k, v]; }
    }));
}

/**
 * `raw` with a marked placeholder for every secret the stack needs: the `secure:` values (which no
 * offline run can decrypt) and the secrets the stack file does not hold yet (a fresh clone holds none:
 * they are set per stack with `pulumi config set --secret`). Keys are marked secret.
 */
export function withOfflineSecrets(raw: RawConfig): RawConfig & { readonly supplied: readonly string[] } {
    const values = { ...raw.values };
    const secretKeys = new Set(raw.secretKeys);
    const cfg = decoded(values);
    for (const key of secretKeys) {
        if (values[key] === `${SECRET_PLACEHOLDER}${key}`) values[key] = offlinePlaceholder(key, cfg, values[key]);
    }
    const supplied: string[] = [];
    for (const { spec } of requiredSecrets(cfg)) {
        if (values[spec.key] !== undefined) continue;
        values[spec.key] = offlinePlaceholder(spec.key, cfg, `${SECRET_PLACEHOLDER}${spec.key}`);
        secretKeys.add(spec.key);
        supplied.push(spec.key);
    }
    return { ...raw, values, secretKeys, supplied };
}

/**
 * Reads `Pulumi.yaml` and a stack file into the flat, string-valued config map the engine would give
 * the program: objects JSON-encoded, `secure:` values replaced by `offline-secret:<key>` and their
 * keys marked secret. Project-level defaults (`config:` in Pulumi.yaml) apply under the stack's values.
 * The result holds no missing secret: see {@link withOfflineSecrets} (`{ offline: false }` keeps
 * the file's own secrets only, as the CLI would pass them).
 */
export function readStackConfig(projectDir: string, stack: string, configFile?: string, opts: { offline?: boolean } = {}): RawConfig & { readonly supplied?: readonly string[] } {
    const raw = readFileConfig(projectDir, stack, configFile);
    return opts.offline === false ? raw : withOfflineSecrets(raw);
}

/** The stack file's values without placeholders for missing secrets. */
function readFileConfig(projectDir: string, stack: string, configFile?: string): RawConfig {
    const project = readYaml(path.join(projectDir, "Pulumi.yaml"));
    const projectName = String(project.name ?? "");
    const file = configFile ?? path.join(projectDir, `Pulumi.${stack}.yaml`);
    const stackDoc = readYaml(file);
    const values: Record<string, string> = {};
    const secretKeys = new Set<string>();
    const set = (rawKey: string, v: unknown) => {
        const key = rawKey.includes(":") ? rawKey : `${projectName}:${rawKey}`;
        if (key.startsWith("pulumi:")) return;
        const found = { any: false };
        const plain = replaceSecure(v, key, found);
        if (found.any) secretKeys.add(key);
        else secretKeys.delete(key);
        values[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
    };
    const defaults = (project.config ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(defaults)) {
        const isDecl = v !== null && typeof v === "object" && !Array.isArray(v) && ("value" in v || "default" in v);
        if (isDecl) {
            const d = v as { value?: unknown; default?: unknown };
            if ((d.value ?? d.default) !== undefined) set(k, d.value ?? d.default);
        } else set(k, v);
    }
    for (const [k, v] of Object.entries((stackDoc.config ?? {}) as Record<string, unknown>)) set(k, v);
    return { file: path.basename(file), project: projectName, stack, values, secretKeys };
}
