import { z } from "zod";

/**
 * The CEK↔CMK mapping (design document "key management step 5"): which SQL Server keys each KMS key
 * protects, published as the stack output `aws.keyMapping` and read by the teams that re-wrap column
 * encryption keys. Pure: the helpers take the parsed output and answer the two questions consumers
 * ask, "which CMK protects CEK X" and "which CEKs must be re-wrapped when key Y rotates".
 *
 * Always Encrypted background (SQL Server docs, "Rotate Always Encrypted keys"): a column encryption
 * key (CEK) is stored in the database encrypted by a column master key (CMK) whose KEY_PATH names the
 * KMS key; rotating the KMS key means adding a value of the CEK encrypted under the new key material
 * (ALTER COLUMN ENCRYPTION KEY ... ADD VALUE) and then dropping the old value.
 */

export const dependentDatabaseOutput = z.object({
    server: z.string().describe("SQL Server instance (RDS identifier or host)."),
    database: z.string().describe("Database name."),
    columnMasterKey: z.string().optional().describe("Always Encrypted column master key whose KEY_PATH is this KMS key."),
    columnEncryptionKeys: z.array(z.string()).describe("CEKs wrapped by that column master key."),
    tdeProtectors: z.array(z.string()).describe("TDE protectors protected by this KMS key."),
}).strict();
export type DependentDatabaseOutput = z.infer<typeof dependentDatabaseOutput>;

export const keyMappingEntry = z.object({
    keyArn: z.string().describe("ARN of the KMS key the stable alias points at (current generation)."),
    alias: z.string().describe("Stable alias (alias/<name>): address the key by it."),
    kind: z.enum(["encrypt", "sign", "mac"]).describe("What the key is for."),
    keySpec: z.string().describe("KMS key spec (SYMMETRIC_DEFAULT, ECC_NIST_P256, HMAC_256, ...)."),
    rotation: z.enum(["automatic", "generations"]).describe("automatic: AWS rotates key material in place; generations: a new key behind the alias."),
    team: z.string().describe("Team that receives the key's rotation notices."),
    generations: z.record(z.string(), z.string()).describe("Key ARN by generation id (generations rotation only; empty otherwise)."),
    databases: z.array(dependentDatabaseOutput).describe("SQL Server databases whose CEKs or TDE protectors depend on the key."),
}).strict();
export type KeyMappingEntry = z.infer<typeof keyMappingEntry>;

/** `aws.keyMapping`: by configured key name. */
export const keyMappingSchema = z.record(z.string(), keyMappingEntry);
export type KeyMapping = z.infer<typeof keyMappingSchema>;

/** Where a column encryption key lives and which KMS key protects it. */
export interface CekProtection {
    readonly keyName: string;
    readonly keyArn: string;
    readonly alias: string;
    readonly server: string;
    readonly database: string;
    readonly columnMasterKey: string;
}

/**
 * Which CMK protects CEK `cek`: every database holding a CEK of that name (narrow with `where`), with
 * the KMS key and column master key that wrap it. Empty when no configured key protects it.
 */
export function cmkForCek(mapping: KeyMapping, cek: string, where: { server?: string; database?: string } = {}): CekProtection[] {
    const out: CekProtection[] = [];
    for (const [keyName, e] of Object.entries(mapping)) {
        for (const d of e.databases) {
            if (!d.columnEncryptionKeys.includes(cek) || d.columnMasterKey === undefined) continue;
            if ((where.server !== undefined && where.server !== d.server) || (where.database !== undefined && where.database !== d.database)) continue;
            out.push({ keyName, keyArn: e.keyArn, alias: e.alias, server: d.server, database: d.database, columnMasterKey: d.columnMasterKey });
        }
    }
    return out.sort((a, b) => `${a.server}/${a.database}`.localeCompare(`${b.server}/${b.database}`));
}

/** What to re-wrap in one database when a key rotates. */
export interface RewrapWork {
    readonly server: string;
    readonly database: string;
    readonly columnMasterKey?: string;
    readonly columnEncryptionKeys: readonly string[];
    readonly tdeProtectors: readonly string[];
}

/** The mapping entry of a key given by configured name, stable alias, key ARN or generation ARN. */
export function findKey(mapping: KeyMapping, key: string): [string, KeyMappingEntry] | undefined {
    return Object.entries(mapping).find(([name, e]) =>
        name === key || e.alias === key || e.keyArn === key || Object.values(e.generations).includes(key) ||
        // A KMS event names the key by id (detail.key-id): match the ARN's trailing key/<id>.
        e.keyArn.endsWith(`:key/${key}`));
}

/**
 * Which CEKs (and TDE protectors) must be re-wrapped when key `key` rotates (name, alias, ARN or key
 * id). Throws for an unknown key rather than answering "nothing to do".
 */
export function ceksToRewrap(mapping: KeyMapping, key: string): RewrapWork[] {
    const found = findKey(mapping, key);
    if (!found) throw new Error(`no key ${key} in the mapping (known: ${Object.keys(mapping).join(", ") || "none"})`);
    return found[1].databases
        .filter((d) => d.columnEncryptionKeys.length > 0 || d.tdeProtectors.length > 0)
        .map((d) => ({ server: d.server, database: d.database, columnMasterKey: d.columnMasterKey, columnEncryptionKeys: [...d.columnEncryptionKeys], tdeProtectors: [...d.tdeProtectors] }));
}

/** One line per database for a notification: `server/database: CEK_A, CEK_B (CMK CMK_X); TDE TDE_Y`. */
export function rewrapSummary(work: readonly RewrapWork[]): string {
    if (work.length === 0) return "no SQL Server keys depend on this key";
    return work.map((w) => {
        const parts = [
            ...(w.columnEncryptionKeys.length ? [`CEKs ${w.columnEncryptionKeys.join(", ")}${w.columnMasterKey ? ` (column master key ${w.columnMasterKey})` : ""}`] : []),
            ...(w.tdeProtectors.length ? [`TDE protectors ${w.tdeProtectors.join(", ")}`] : []),
        ];
        return `${w.server}/${w.database}: ${parts.join("; ")}`;
    }).join(" | ");
}
