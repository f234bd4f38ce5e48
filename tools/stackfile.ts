import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { RawConfig } from "../config/load";
import { offlinePlaceholder, requiredSecrets } from "../config/secrets";
export { secureValueProblems } from "./ciphertext";

/** The prefix of the placeholder that stands for a `secure:` value offline; it never reaches a written file. */
export const SECRET_PLACEHOLDER = "offline-secret:";

/** A usage problem with the files themselves (missing, not YAML): exit code 2 territory. */
export class StackFileError extends Error {}

function readYaml(file: string): Record<string, unknown> {
    if (!fs.existsSync(file)) throw new StackFileError(`${file}: no such file`);
    let doc: unknown;
    try {
        doc = parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new StackFileError(`${file}: not valid YAML: ${(e as Error).message}`);
    }
    return doc !== null && typeof doc === "object" ? (doc as Record<string, unknown>) : {};
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
