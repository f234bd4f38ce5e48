import { Outcome, PolicyDoc, Statement, conditionsHold, keyRequestEvaluator } from "./iam";
import { KeyModel, PlanLike, RoleModel, accessModel, namedPrincipals } from "./model";

/**
 * Effective access to every KMS key of a plan: for each principal that can do anything with a key,
 * the outcome of each action that matters to a reviewer, with MFA and without.
 */

/** The columns of the access table, each the KMS actions it stands for. */
export const CAPABILITIES = {
    decrypt: { label: "Decrypt", actions: ["kms:Decrypt"] },
    use: {
        label: "Other use",
        actions: ["kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:GenerateDataKeyPair",
            "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:Sign", "kms:Verify", "kms:GenerateMac", "kms:VerifyMac"],
    },
    putKeyPolicy: { label: "PutKeyPolicy", actions: ["kms:PutKeyPolicy"] },
    createGrant: { label: "CreateGrant", actions: ["kms:CreateGrant"] },
    disable: { label: "DisableKey", actions: ["kms:DisableKey"] },
    scheduleDeletion: { label: "ScheduleKeyDeletion", actions: ["kms:ScheduleKeyDeletion"] },
    cancelDeletion: { label: "CancelKeyDeletion", actions: ["kms:CancelKeyDeletion"] },
} as const;
export type Capability = keyof typeof CAPABILITIES;

/** Cryptographic operations a key of each KeyUsage supports (https://docs.aws.amazon.com/kms/latest/developerguide/kms-cryptography.html). */
const USAGE_ACTIONS: Record<string, readonly string[]> = {
    ENCRYPT_DECRYPT: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:GenerateDataKeyPair", "kms:ReEncryptFrom", "kms:ReEncryptTo"],
    SIGN_VERIFY: ["kms:Sign", "kms:Verify"],
    GENERATE_VERIFY_MAC: ["kms:GenerateMac", "kms:VerifyMac"],
};

const actionsByUsage = new Map<string, readonly string[]>();

/** The actions evaluated on a key: those its usage supports, plus administration and lifecycle. */
export function keyActions(usage: string): readonly string[] {
    let actions = actionsByUsage.get(usage);
    if (!actions) {
        const crypto = USAGE_ACTIONS[usage] ?? USAGE_ACTIONS.ENCRYPT_DECRYPT;
        actions = (Object.values(CAPABILITIES) as { actions: readonly string[] }[]).flatMap((c) => c.actions)
            .filter((a) => !(Object.values(USAGE_ACTIONS).flat().includes(a)) || crypto.includes(a));
        actionsByUsage.set(usage, actions);
    }
    return actions;
}

export interface ActionAccess {
    readonly mfa: Outcome;
    readonly noMfa: Outcome;
    /** `key-policy`: the key policy names the principal; `iam`: the account delegation plus an identity policy. */
    readonly via?: "key-policy" | "iam";
}

export type PrincipalKind = "role" | "principal" | "service" | "account";

export interface PrincipalAccess {
    /** ARN, service principal, or `<account>:*` for the account's other principals. */
    readonly principal: string;
    readonly kind: PrincipalKind;
    /** For roles the plan creates: who may assume it, and whether only with MFA. */
    readonly assumedBy?: string;
    readonly notes: readonly string[];
    /** Only actions with some access. */
    readonly actions: Readonly<Record<string, ActionAccess>>;
}

export interface KeyAccess {
    readonly key: string;
    readonly arn: string;
    readonly urn: string;
    /** The key's KeyUsage: which cryptographic actions apply. */
    readonly usage: string;
    readonly production: boolean;
    readonly principals: readonly PrincipalAccess[];
}

export interface AccessReport {
    readonly stack: string;
    readonly keys: readonly KeyAccess[];
}

const MFA: Record<string, string> = { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "60" };
/**
 * Without MFA: a role session carries `aws:MultiFactorAuthPresent=false`; long-term access keys carry
 * no such key (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent).
 */
const NO_MFA_ROLE: Record<string, string>[] = [{ "aws:MultiFactorAuthPresent": "false" }];
const NO_MFA_ANY: Record<string, string>[] = [{ "aws:MultiFactorAuthPresent": "false" }, {}];
const MODELLED = ["aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge", "aws:PrincipalArn", "aws:PrincipalAccount"];
/** Worst case for principals whose own IAM policies are not in the plan: they allow everything. */
const ALLOW_ALL: PolicyDoc = { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

const rank: Record<Outcome, number> = { no: 0, conditional: 1, allow: 2 };
const most = (os: Outcome[]): Outcome => os.reduce((a, b) => (rank[b] > rank[a] ? b : a), "no" as Outcome);

interface Subject {
    readonly principal: string;
    readonly kind: PrincipalKind;
    readonly identity: readonly PolicyDoc[];
    readonly noMfaContexts: readonly Record<string, string>[];
    /** The principal cannot act at all without MFA (a role whose trust policy demands it). */
    readonly mfaOnly: boolean;
    /** Its sessions can carry MFA at all (false for roles only services or web identities assume). */
    readonly mfaPossible: boolean;
    readonly assumedBy?: string;
    readonly notes: string[];
}

/** Whether a trust policy lets anyone assume the role without MFA, and a short "who" text. */
export function trustSummary(trust: PolicyDoc | undefined): { mfaOnly: boolean; mfaPossible: boolean; who: string } {
    const statements = [trust?.Statement ?? []].flat().filter((s: Statement) => s.Effect === "Allow");
    const who: string[] = [];
    let mfaOnly = statements.length > 0;
    // Only an IAM user's session (directly or through a role chain) can carry MFA; services and web identities cannot.
    const mfaPossible = statements.some((s) => s.Principal === "*" || (typeof s.Principal === "object" && s.Principal !== null && "AWS" in s.Principal));
    for (const s of statements) {
        const p = (s.Principal ?? {}) as Record<string, string | string[]>;
        const names = typeof s.Principal === "string" ? [s.Principal] : Object.values(p).flat();
        who.push(...names.map((n) => n.replace(/^arn:[^:]+:iam::\d{12}:/, "")));
        const probe = (ctx: Record<string, string>) => conditionsHold(s, { principal: names[0] ?? "*", action: "sts:AssumeRole", resource: "*", context: ctx, modelled: MODELLED });
        if (NO_MFA_ANY.some((ctx) => probe(ctx) !== false)) mfaOnly = false;
    }
    const age = JSON.stringify(trust ?? {}).match(/"aws:MultiFactorAuthAge":"?(\d+)/)?.[1];
    return { mfaOnly, mfaPossible, who: `${[...new Set(who)].sort().join(", ") || "nobody"}${mfaOnly ? ` (MFA${age ? ` ≤ ${age} s` : ""})` : ""}` };
}

// A role's trust is the same for every key: summarized once per role model.
const trustOfRole = new WeakMap<RoleModel, ReturnType<typeof trustSummary>>();

function subjects(key: KeyModel, roles: readonly RoleModel[]): Subject[] {
    const out: Subject[] = roles.map((r) => {
        let t = trustOfRole.get(r);
        if (!t) {
            t = trustSummary(r.trust);
            trustOfRole.set(r, t);
        }
        return {
            principal: r.arn, kind: "role", identity: r.identityPolicies, noMfaContexts: NO_MFA_ROLE, mfaOnly: t.mfaOnly, mfaPossible: t.mfaPossible, assumedBy: t.who,
            notes: r.unknownPolicies.length ? [`policies not in the plan: ${r.unknownPolicies.join(", ")}`] : [],
        };
    });
    const known = new Set(roles.map((r) => r.arn));
    const named = namedPrincipals(key.policy);
    const conditionArns = (JSON.stringify(key.policy ?? {}).match(/arn:[a-z-]+:(?:iam|sts)::\d{12}:(?:role|user|assumed-role)\/[^"]+/g) ?? []);
    for (const p of [...new Set([...named.aws, ...conditionArns])].sort()) {
        if (known.has(p) || p.includes("*")) continue;
        out.push({ principal: p, kind: "principal", identity: [ALLOW_ALL], noMfaContexts: NO_MFA_ANY, mfaOnly: false, mfaPossible: true, notes: ["its own IAM policies are outside this plan"] });
    }
    for (const svc of named.services) {
        // The request conditions a service's grant depends on (its `cond.` cells): what ties it to our resources.
        const keys = [key.policy?.Statement ?? []].flat()
            .filter((st) => JSON.stringify(st.Principal ?? {}).includes(`"${svc}"`))
            .flatMap((st) => Object.values(st.Condition ?? {}).flatMap((block) => Object.keys(block)));
        const notes = keys.length ? [`only when ${[...new Set(keys)].sort().join(", ")} match the key policy`] : [];
        out.push({ principal: svc, kind: "service", identity: [], noMfaContexts: [{}], mfaOnly: false, mfaPossible: false, notes });
    }
    out.push({
        principal: `arn:${key.arn.split(":")[1]}:iam::${key.account}:role/any-other-principal`, kind: "account", identity: [ALLOW_ALL], noMfaContexts: NO_MFA_ANY, mfaOnly: false, mfaPossible: true,
        notes: [`any other IAM principal of account ${key.account}, if its IAM policies allow`],
    });
    return out;
}

/** Effective access to one key. */
export function keyAccess(key: KeyModel, roles: readonly RoleModel[]): KeyAccess {
    const principals: PrincipalAccess[] = [];
    for (const s of subjects(key, roles)) {
        const actions: Record<string, ActionAccess> = {};
        const evaluate = key.policy && keyRequestEvaluator(key.policy, s.identity, s.principal, key.arn);
        // A principal nothing can allow has no row: skip its dozen actions.
        if (!evaluate || evaluate.never) continue;
        for (const action of keyActions(key.usage)) {
            const withMfa = evaluate({ action, context: MFA, modelled: MODELLED });
            const without = s.noMfaContexts.map((context) => evaluate({ action, context, modelled: MODELLED }));
            const noMfa = s.mfaOnly ? "no" : most(without.map((d) => d.outcome));
            const mfa = s.mfaPossible ? withMfa.outcome : noMfa;
            if (mfa === "no" && noMfa === "no") continue;
            actions[action] = { mfa, noMfa, via: withMfa.via ?? without.find((d) => d.via)?.via };
        }
        if (Object.keys(actions).length === 0) continue;
        principals.push({
            principal: s.kind === "account" ? `${key.account}:*` : s.principal, kind: s.kind,
            ...(s.assumedBy ? { assumedBy: s.assumedBy } : {}), notes: s.notes, actions,
        });
    }
    const order: Record<PrincipalKind, number> = { role: 0, principal: 1, service: 2, account: 3 };
    principals.sort((a, b) => order[a.kind] - order[b.kind] || (a.principal < b.principal ? -1 : 1));
    const unknownPolicy = key.policy ? [] : [{ principal: "(key policy not known in this plan)", kind: "account" as const, notes: ["the policy input is unknown or secret"], actions: {} }];
    return { key: key.label, arn: key.arn, urn: key.urn, usage: key.usage, production: key.production, principals: [...principals, ...unknownPolicy] };
}

/** Effective access to every KMS key in a plan, keys in label order. */
export function accessReport(plan: PlanLike): AccessReport {
    const model = accessModel(plan);
    const keys = model.keys.map((k) => keyAccess(k, model.roles)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { stack: plan.stack, keys };
}
