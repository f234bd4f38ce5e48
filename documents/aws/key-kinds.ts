import { KIND_USAGE, KeyKind, autoRotates, keySpecOf } from "../../shared/key-kinds";
import { keySlug } from "../../shared/limits";
import { KeyMappingEntry } from "../../contract/key-mapping";
import { KEY_USER_ACTIONS } from "./key-policy";

/** One generation of a sign or mac key (`aws.keys[].generations[]`, validated by config/key-lifecycle.ts). */
export interface Generation {
    readonly id: string;
    /** YYYY-MM-DD. */
    readonly created: string;
    /** YYYY-MM-DD: until when a previous generation stays for verification. */
    readonly retire?: string;
    readonly retired: boolean;
}

/** A configured key as the planning below reads it (`aws.keys[]`; config/aws.ts validates it). */
export interface KeyInput {
    readonly name: string;
    readonly kind: KeyKind;
    readonly keySpec?: string;
    readonly generations?: readonly Generation[];
    readonly current?: string;
    readonly rotationDays: number;
    readonly team: string;
    readonly dependents: readonly {
        readonly server: string;
        readonly database: string;
        readonly columnMasterKey?: string;
        readonly columnEncryptionKeys: readonly string[];
        readonly tdeProtectors: readonly string[];
    }[];
}

/**
 * What each kind of key lets its users do, and which KMS keys a configured key becomes. Actions per
 * kind follow the KMS permissions reference
 * (https://docs.aws.amazon.com/kms/latest/developerguide/kms-api-permissions-reference.html): a
 * symmetric encryption key supports Encrypt, Decrypt, ReEncrypt* and GenerateDataKey*; a SIGN_VERIFY key
 * Sign/Verify/GetPublicKey, an HMAC key GenerateMac/VerifyMac; every other cryptographic action
 * fails on that key anyway, so granting it only widens what a policy review has to read.
 */

/** Cryptographic actions of each kind (DescribeKey comes with all of them). */
export const KIND_USER_ACTIONS: Readonly<Record<KeyKind, readonly string[]>> = {
    encrypt: KEY_USER_ACTIONS,
    sign: ["kms:DescribeKey", "kms:GetPublicKey", "kms:Sign", "kms:Verify"],
    mac: ["kms:DescribeKey", "kms:GenerateMac", "kms:VerifyMac"],
};

/** What users keep on a previous generation until it retires: verification only. */
export const KIND_VERIFY_ACTIONS: Readonly<Record<Exclude<KeyKind, "encrypt">, readonly string[]>> = {
    sign: ["kms:DescribeKey", "kms:GetPublicKey", "kms:Verify"],
    mac: ["kms:DescribeKey", "kms:VerifyMac"],
};

/** Tag carrying a generation's id (the policy pack's GENERATION_TAG reads it: policy/aws-kms.ts). */
export const GENERATION_TAG = "kms-generation";
/** Tag carrying a generation's role (current, previous, retired). */
export const GENERATION_ROLE_TAG = "kms-generation-role";

/** Where a KMS key stands in its configured key's life. */
export type GenerationRole = "current" | "previous" | "retired";

/** One KMS key to create for a configured key. */
export interface PlannedKey {
    /** Logical-name suffix after the component's name: `<slug>` or `<slug>-<generation>`. */
    readonly suffix: string;
    /** The configured key's name. */
    readonly keyName: string;
    readonly kind: KeyKind;
    readonly keyUsage: (typeof KIND_USAGE)[KeyKind];
    readonly keySpec: string;
    readonly role: GenerationRole;
    /** Its generation (undefined for encrypt keys, which AWS rotates in place). */
    readonly generation?: Generation;
    /** Aliases of this KMS key: `alias/<name>` for the current one, `alias/<name>/<generation>` for each generation. */
    readonly aliases: readonly string[];
    /** Actions its users get (none once retired). */
    readonly userActions: readonly string[];
    /** Automatic rotation: only symmetric encryption keys (AWS rejects EnableKeyRotation on the others). */
    readonly enableKeyRotation: boolean;
    readonly rotationPeriodInDays?: number;
    /** Retired generations are disabled: nothing verifies with them any more. */
    readonly isEnabled: boolean;
}

/** The KMS keys a configured key plans to: one for an encrypt key, one per generation otherwise. */
export function plannedKeys(k: Pick<KeyInput, "name" | "kind" | "keySpec" | "generations" | "current" | "rotationDays">): PlannedKey[] {
    const base = { keyName: k.name, kind: k.kind, keyUsage: KIND_USAGE[k.kind], keySpec: keySpecOf(k) };
    if (autoRotates(k.kind)) {
        return [{
            ...base, suffix: keySlug(k.name), role: "current", aliases: [`alias/${k.name}`],
            userActions: KIND_USER_ACTIONS[k.kind], enableKeyRotation: true, rotationPeriodInDays: k.rotationDays, isEnabled: true,
        }];
    }
    const verify = KIND_VERIFY_ACTIONS[k.kind as Exclude<KeyKind, "encrypt">];
    return (k.generations ?? []).map((g): PlannedKey => {
        const role: GenerationRole = g.id === k.current ? "current" : g.retired ? "retired" : "previous";
        return {
            ...base,
            suffix: `${keySlug(k.name)}-${g.id}`,
            role,
            generation: g,
            aliases: [...(role === "current" ? [`alias/${k.name}`] : []), `alias/${k.name}/${g.id}`],
            userActions: role === "current" ? KIND_USER_ACTIONS[k.kind] : role === "previous" ? verify : [],
            enableKeyRotation: false,
            isEnabled: role !== "retired",
        };
    });
}

/** The day (YYYY-MM-DD) a generation is due for rotation: created + cadence. */
export function rotationDue(g: Generation, cadenceDays: number): string {
    return new Date(Date.parse(`${g.created}T00:00:00Z`) + cadenceDays * 86_400_000).toISOString().slice(0, 10);
}

/** One key's entry of the CEK↔CMK mapping, from that key's ARNs. */
export function keyMappingEntryOf(k: KeyInput, keyArn: string, generationArns: Readonly<Record<string, string>>): KeyMappingEntry {
    return {
        keyArn,
        alias: `alias/${k.name}`,
        kind: k.kind,
        keySpec: keySpecOf(k),
        rotation: autoRotates(k.kind) ? "automatic" : "generations",
        team: k.team,
        generations: { ...generationArns },
        databases: k.dependents.map((d) => ({
            server: d.server, database: d.database,
            ...(d.columnMasterKey !== undefined ? { columnMasterKey: d.columnMasterKey } : {}),
            columnEncryptionKeys: [...d.columnEncryptionKeys], tdeProtectors: [...d.tdeProtectors],
        })),
    };
}
