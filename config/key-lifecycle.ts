import { z } from "zod";
import { email } from "./common";
import { KEY_KINDS, KIND_SPECS, KeyKind, autoRotates } from "../shared/key-kinds";

/**
 * Key kinds, generations, the CEK↔CMK mapping, rotation-notice teams and emergency material
 * (design document "key management step 5", seed 004). Validated together with `kms-observability:aws`.
 */

/** The team of keys that name none: the platform team, notified at the kms-security addresses unless `teams.platform` is set. */
export const DEFAULT_TEAM = "platform";

const isoDate = () =>
    z.string({ error: "must be a date YYYY-MM-DD (quoted)" })
        .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "must be a date YYYY-MM-DD (quoted)" })
        .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), {
            error: "must be a real calendar date YYYY-MM-DD",
        });

const sqlName = (what: string) =>
    z.string().regex(/^[A-Za-z_][\w@$#-]{0,127}$/, { error: `must be a SQL Server ${what} name (1-128 letters, digits, _@$#-, not starting with a digit)` });

/**
 * One generation of a key AWS cannot rotate. Its own KMS key, alias `alias/<name>/<id>`; the key's
 * stable alias `alias/<name>` points at the `current` one.
 */
export const generationSchema = z.object({
    /** Generation id, part of the logical name and alias (e.g. `g2026-10`). Never reuse one. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, { error: "must be 1-31 lower-case letters, digits or -, starting with a letter or digit" }),
    /** The day the generation was created (YYYY-MM-DD): its rotation is due `rotationDays` later. */
    created: isoDate(),
    /**
     * Until when a previous generation stays for verification (YYYY-MM-DD). Required for every
     * generation but the current one; after it, the generation is set `retired: true`.
     */
    retire: isoDate().optional(),
    /** Disabled (no use at all) and waiting for deletion by the key-retirement runbook. Default false. */
    retired: z.boolean().default(false),
}).strict();
export type Generation = z.infer<typeof generationSchema>;

/** A SQL Server database whose Always Encrypted column keys or TDE protector a key protects. */
export const dependentDatabaseSchema = z.object({
    /** SQL Server instance (RDS identifier or host name). */
    server: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/, { error: "must be a SQL Server instance identifier or host name" }),
    /** Database name. */
    database: sqlName("database"),
    /** The Always Encrypted column master key (CREATE COLUMN MASTER KEY) whose KEY_PATH is this KMS key. */
    columnMasterKey: sqlName("column master key").optional(),
    /** Column encryption keys wrapped by that column master key: re-wrap them when the KMS key rotates. */
    columnEncryptionKeys: z.array(sqlName("column encryption key")).default([]),
    /** TDE protectors (EKM asymmetric keys or certificates) protected by this KMS key. */
    tdeProtectors: z.array(sqlName("TDE protector")).default([]),
}).strict();
export type DependentDatabase = z.infer<typeof dependentDatabaseSchema>;

/** A team that depends on keys and receives their rotation notices. */
export const teamSchema = z.object({
    /** Email subscriptions of the team's rotation-notice topic (each address confirms once). */
    emails: z.array(email()).min(1, { error: "must list at least one address: a team nobody hears is not notified" }),
}).strict();

/** Emergency contacts and procedures kept in Secrets Manager (non-secret structure). */
export const emergencySchema = z.object({
    contacts: z.array(z.object({
        name: z.string().min(1),
        role: z.string().min(1, { error: "must say what the contact does in an incident (e.g. security on-call)" }),
        email: email(),
        /** E.164 phone number. */
        phone: z.string().regex(/^\+[1-9]\d{6,14}$/, { error: "must be an E.164 phone number like +14155550100" }).optional(),
    }).strict()).min(1, { error: "must list at least one emergency contact" }),
    /** Days Secrets Manager keeps a deleted secret recoverable (7-30). Default 30 (seed 004). */
    recoveryWindowDays: z.number().int().min(7).max(30).default(30),
}).strict();
export type EmergencySettings = z.infer<typeof emergencySchema>;

/** Fields added to each key of `kms-observability:aws.keys`. */
export const keyLifecycleFields = {
    /** `encrypt` (symmetric, default), `sign` (asymmetric SIGN_VERIFY) or `mac` (HMAC). */
    kind: z.enum(KEY_KINDS, { error: `must be one of ${KEY_KINDS.join(", ")}` }).default("encrypt"),
    /** Key spec: SYMMETRIC_DEFAULT for encrypt (default); required for sign and mac (see KIND_SPECS). */
    keySpec: z.string().optional(),
    /** Generations of a sign or mac key (oldest first); not allowed for encrypt keys, which AWS rotates. */
    generations: z.array(generationSchema).optional(),
    /** Id of the generation the stable alias points at (moving it is the rotation, a reviewed change). */
    current: z.string().optional(),
    /** Team that receives the key's rotation notices (a key of `teams`). Default `platform` (see DEFAULT_TEAM). */
    team: z.string().default(DEFAULT_TEAM),
    /** SQL Server databases, Always Encrypted CEKs and TDE protectors that depend on the key (encrypt keys only). */
    dependents: z.array(dependentDatabaseSchema).default([]),
};

interface LifecycleKey {
    readonly name: string;
    readonly kind: KeyKind;
    readonly keySpec?: string;
    readonly generations?: readonly Generation[];
    readonly current?: string;
    readonly team: string;
    readonly dependents: readonly DependentDatabase[];
    readonly rotationDays: number;
}

/** Days between two YYYY-MM-DD dates. */
export const daysBetween = (from: string, to: string): number => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;


/**
 * Cross-field rules of the key lifecycle, reported with the offending path: spec per kind,
 * generations only (and always) for kinds AWS cannot rotate, a current generation that exists and is
 * the newest, retirement dates on previous generations, dependents only on encrypt keys, teams that
 * exist, and CEK names unique per database (the mapping answers "which CMK protects CEK X").
 */
export function checkKeyLifecycle(keys: readonly LifecycleKey[], teams: Readonly<Record<string, unknown>>, ctx: z.RefinementCtx): void {
    const issue = (path: (string | number)[], input: unknown, message: string) => ctx.addIssue({ code: "custom", path, input, message });
    const cekOwner = new Map<string, string>();
    keys.forEach((k, i) => {
        const allowed = KIND_SPECS[k.kind];
        if (k.keySpec === undefined && k.kind !== "encrypt") {
            issue(["keys", i, "keySpec"], undefined, `a ${k.kind} key needs a keySpec: one of ${allowed.join(", ")}`);
        } else if (k.keySpec !== undefined && !allowed.includes(k.keySpec)) {
            issue(["keys", i, "keySpec"], k.keySpec, `is not a key spec for kind ${k.kind}: allowed ${allowed.join(", ")}`);
        }
        if (k.team !== DEFAULT_TEAM && !(k.team in teams)) {
            issue(["keys", i, "team"], k.team, `is not a team of kms-observability:aws.teams (${Object.keys(teams).join(", ") || "none configured"}): rotation notices need its subscribers`);
        }
        if (autoRotates(k.kind)) {
            if (k.generations !== undefined || k.current !== undefined) {
                issue(["keys", i, "generations"], k.generations, "encrypt keys rotate automatically (AWS keeps every key version): remove generations and current");
            }
        } else checkGenerations(k, i, issue);
        if (k.kind !== "encrypt" && k.dependents.length > 0) {
            issue(["keys", i, "dependents"], k.dependents, `a ${k.kind} key cannot wrap column encryption keys or TDE protectors: only encrypt keys protect SQL Server keys`);
        }
        k.dependents.forEach((d, j) => {
            if (d.columnEncryptionKeys.length > 0 && d.columnMasterKey === undefined) {
                issue(["keys", i, "dependents", j, "columnMasterKey"], undefined, "name the column master key that wraps these column encryption keys");
            }
            for (const cek of d.columnEncryptionKeys) {
                const at = `${d.server}/${d.database}/${cek}`;
                const other = cekOwner.get(at);
                if (other !== undefined && other !== k.name) {
                    issue(["keys", i, "dependents", j, "columnEncryptionKeys"], cek, `CEK ${at} is already mapped to key ${other}: a CEK has one column master key`);
                }
                cekOwner.set(at, k.name);
            }
        });
    });
}

function checkGenerations(k: LifecycleKey, i: number, issue: (path: (string | number)[], input: unknown, message: string) => void): void {
    const gens = k.generations ?? [];
    if (gens.length === 0) {
        issue(["keys", i, "generations"], k.generations, `a ${k.kind} key is rotated by generations (AWS cannot rotate it): list at least one { id, created }`);
        return;
    }
    const ids = new Set<string>();
    gens.forEach((g, j) => {
        if (ids.has(g.id)) issue(["keys", i, "generations", j, "id"], g.id, "duplicate generation id");
        ids.add(g.id);
        if (j > 0 && g.created <= gens[j - 1].created) {
            issue(["keys", i, "generations", j, "created"], g.created, `must be after the previous generation's (${gens[j - 1].created}): list generations oldest first`);
        }
    });
    const cur = gens.findIndex((g) => g.id === k.current);
    if (cur < 0) {
        issue(["keys", i, "current"], k.current, `must name one of the generations (${gens.map((g) => g.id).join(", ")}): the alias points at it`);
        return;
    }
    if (cur !== gens.length - 1) {
        issue(["keys", i, "current"], k.current, `must be the newest generation (${gens[gens.length - 1].id}): the alias never moves back to an older one`);
    }
    gens.forEach((g, j) => {
        if (j === cur) {
            if (g.retired) issue(["keys", i, "generations", j, "retired"], g.retired, "the current generation cannot be retired");
            return;
        }
        if (g.retire === undefined && !g.retired) {
            issue(["keys", i, "generations", j, "retire"], undefined, "a previous generation needs its retirement date (YYYY-MM-DD): until then it only verifies");
        } else if (g.retire !== undefined && g.retire < gens[cur].created) {
            issue(["keys", i, "generations", j, "retire"], g.retire, `must not be before the current generation was created (${gens[cur].created}): signatures need a key to verify them`);
        }
    });
}
