import * as assert from "assert";

/** A policy statement as tests read it back (from a builder or from a plan's JSON string input). */
export interface Statement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: { AWS?: string[]; Service?: string[] };
    Action: string[];
    Resource?: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}
export interface Document { Version: string; Statement: Statement[] }

/** A policy document from a builder's result or from a resource input (JSON string). */
export const doc = (v: unknown): Document => {
    const d = (typeof v === "string" ? JSON.parse(v) : v) as Document;
    assert.strictEqual(d.Version, "2012-10-17");
    return d;
};

/** The one statement with this Sid. */
export function bySid(d: Document, sid: string): Statement {
    const found = d.Statement.filter((s) => s.Sid === sid);
    assert.strictEqual(found.length, 1, `exactly one statement ${sid}; have ${d.Statement.map((s) => s.Sid).join(", ")}`);
    return found[0];
}

export const sids = (d: Document): string[] => d.Statement.map((s) => s.Sid ?? "?");

/**
 * No Allow statement names `*` or a wildcard principal. A Deny may: `Principal: {AWS: "*"}` with a
 * condition is how a resource policy denies everyone but the named services (the topics' explicit
 * sns:Publish deny); a wildcard in a Deny can only take access away.
 */
export function assertNoWildcardPrincipal(d: Document): void {
    for (const s of d.Statement.filter((x) => x.Effect === "Allow")) {
        assert.ok(s.Principal === undefined || typeof s.Principal === "object", `${s.Sid}: Principal must not be the string "*"`);
        for (const p of [...(s.Principal?.AWS ?? []), ...(s.Principal?.Service ?? [])]) {
            assert.ok(!p.includes("*"), `${s.Sid}: wildcard principal ${p}`);
        }
    }
}

/** `kms:*` (or `*`) only in the account-root statement. */
export function assertKmsStarOnlyForRoot(d: Document, root: string): void {
    for (const s of d.Statement) {
        if (!s.Action.some((a) => a === "*" || a.toLowerCase() === "kms:*")) continue;
        assert.deepStrictEqual(s.Principal, { AWS: [root] }, `${s.Sid}: kms:* granted to someone other than ${root}`);
        assert.strictEqual(s.Effect, "Allow");
    }
}

/** Cryptographic operations, which administrators must not have. */
export const CRYPTO_ACTION = /^kms:(Encrypt|Decrypt|ReEncrypt|GenerateDataKey|GenerateMac|VerifyMac|Sign|Verify|DeriveSharedSecret|GenerateRandom)/i;
