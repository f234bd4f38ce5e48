import type { PlanResource } from "../engine";
import { PolicyDoc, parsePolicy } from "./iam";

/**
 * What the access computation needs from a plan.json: the KMS keys with their policies and ARNs,
 * and the IAM roles the plan creates with their trust and identity policies.
 */

export interface PlanLike {
    readonly stack: string;
    readonly resources: readonly PlanResource[];
    readonly outputs?: Record<string, unknown>;
}

export interface KeyModel {
    readonly urn: string;
    /** `alias/<name>` when the plan gives the key an alias, else the logical name. */
    readonly label: string;
    readonly arn: string;
    readonly account: string;
    /** `ENCRYPT_DECRYPT` (default), `SIGN_VERIFY` or `GENERATE_VERIFY_MAC`. */
    readonly usage: string;
    readonly production: boolean;
    readonly policy?: PolicyDoc;
}

export interface RoleModel {
    readonly urn: string;
    readonly name: string;
    readonly arn: string;
    readonly trust?: PolicyDoc;
    readonly identityPolicies: readonly PolicyDoc[];
    /** Attached policies whose documents are not in the plan (AWS managed, or created elsewhere). */
    readonly unknownPolicies: readonly string[];
}

export interface AccessModel {
    readonly keys: readonly KeyModel[];
    readonly roles: readonly RoleModel[];
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "[unknown]" && v !== "[secret]" ? v : undefined);

const PRODUCTION = /^prod(uction)?$/i;

/** A RolePolicy/attachment belongs to a role by its `role` input (the name), or by dependency while that input is unknown. */
const attachedTo = (x: PlanResource, name: string, roleUrn: string): boolean =>
    x.inputs.role === name || (str(x.inputs.role) === undefined && x.dependsOn.includes(roleUrn));

/** The access-relevant part of a plan. Key ARNs come from the aliases or topics that reference the key's id. */
export function accessModel(plan: PlanLike): AccessModel {
    const resources = plan.resources;
    const outputs = (plan.outputs?.aws ?? {}) as { accountId?: string; region?: string };
    const keyIdByUrn = new Map<string, string>();
    const aliasByUrn = new Map<string, string>();
    for (const r of resources.filter((x) => x.type === "aws:kms/alias:Alias")) {
        const target = str(r.inputs.targetKeyId);
        const keyUrn = r.dependsOn.find((u) => u.includes("$aws:kms/key:Key::") || u.includes("$aws:kms/replicaKey:ReplicaKey::"));
        if (!target || !keyUrn) continue;
        keyIdByUrn.set(keyUrn, target.replace(/^arn:.*:key\//, ""));
        if (!aliasByUrn.has(keyUrn) && str(r.inputs.name)) aliasByUrn.set(keyUrn, String(r.inputs.name));
    }
    // The ARN of each key as the plan spells it (topics, role policies): the first one per key id, in
    // one pass over the plan's inputs (a search per key would read the whole plan once per key).
    const spelledArns = new Map<string, string>();
    for (const m of JSON.stringify(resources.map((r) => r.inputs)).matchAll(/arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:key\/([^"\\,\s*?]+)/g)) {
        if (!spelledArns.has(m[1])) spelledArns.set(m[1], m[0]);
    }
    const standalonePolicies = new Map<string, unknown>();
    for (const r of resources.filter((x) => x.type === "aws:kms/keyPolicy:KeyPolicy")) {
        const id = str(r.inputs.keyId);
        if (id) standalonePolicies.set(id.replace(/^arn:.*:key\//, ""), r.inputs.policy);
    }

    const keys: KeyModel[] = [];
    for (const r of resources.filter((x) => x.type === "aws:kms/key:Key" || x.type === "aws:kms/replicaKey:ReplicaKey")) {
        const keyId = keyIdByUrn.get(r.urn);
        const policy = parsePolicy((keyId && standalonePolicies.get(keyId)) ?? r.inputs.policy);
        const root = /arn:([^:"]+):iam::(\d{12}):root/.exec(JSON.stringify(policy ?? {}));
        const rootAccount = root?.[2];
        const partition = root?.[1] ?? "aws";
        const account = outputs.accountId ?? rootAccount ?? "000000000000";
        // The ARN as the plan spells it elsewhere (topics, role policies), else built from the stack's region.
        const spelled = keyId ? spelledArns.get(keyId) : undefined;
        const arn = spelled ?? `arn:${partition}:kms:${outputs.region ?? "*"}:${account}:key/${keyId ?? r.name}`;
        const tags = (r.inputs.tags ?? {}) as Record<string, unknown>;
        keys.push({
            urn: r.urn,
            label: aliasByUrn.get(r.urn) ?? r.name,
            arn,
            account,
            usage: str(r.inputs.keyUsage) ?? "ENCRYPT_DECRYPT",
            production: PRODUCTION.test(plan.stack) || PRODUCTION.test(String(tags.env ?? tags.environment ?? "")),
            policy,
        });
    }

    // IAM ARNs in the keys' partition (aws, aws-us-gov, aws-cn).
    const partition = keys[0]?.arn.split(":")[1] ?? "aws";
    const policyByArn = new Map<string, PolicyDoc | undefined>();
    for (const r of resources.filter((x) => x.type === "aws:iam/policy:Policy")) {
        const account = keys[0]?.account ?? outputs.accountId ?? "000000000000";
        const name = str(r.inputs.name) ?? r.name;
        policyByArn.set(`arn:${partition}:iam::${account}:policy${str(r.inputs.path) ?? "/"}${name}`, parsePolicy(r.inputs.policy));
        policyByArn.set(r.urn, parsePolicy(r.inputs.policy));
    }
    const roles: RoleModel[] = [];
    for (const r of resources.filter((x) => x.type === "aws:iam/role:Role")) {
        const name = str(r.inputs.name) ?? r.name;
        const account = keys[0]?.account ?? outputs.accountId ?? "000000000000";
        const identity: PolicyDoc[] = [];
        const unknown: string[] = [];
        const add = (label: string, doc: unknown) => {
            const p = parsePolicy(doc);
            if (p) identity.push(p);
            else unknown.push(label);
        };
        for (const ip of (r.inputs.inlinePolicies ?? []) as { name?: string; policy?: unknown }[]) add(`inline ${ip.name ?? "?"}`, ip.policy);
        for (const rp of resources.filter((x) => x.type === "aws:iam/rolePolicy:RolePolicy" && attachedTo(x, name, r.urn))) {
            add(`inline ${String(rp.inputs.name ?? rp.name)}`, rp.inputs.policy);
        }
        const attached = [
            ...((r.inputs.managedPolicyArns ?? []) as string[]),
            ...resources.filter((x) => x.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && attachedTo(x, name, r.urn))
                .map((x) => String(x.inputs.policyArn)),
        ];
        for (const a of attached) {
            if (policyByArn.has(a) && policyByArn.get(a)) identity.push(policyByArn.get(a) as PolicyDoc);
            else unknown.push(a);
        }
        roles.push({
            urn: r.urn, name, arn: `arn:${partition}:iam::${account}:role${str(r.inputs.path) ?? "/"}${name}`,
            trust: parsePolicy(r.inputs.assumeRolePolicy), identityPolicies: identity, unknownPolicies: unknown,
        });
    }
    return { keys, roles };
}

/** AWS and service principals a key policy names (other than account roots and `*`). */
export function namedPrincipals(policy: PolicyDoc | undefined): { aws: string[]; services: string[] } {
    const aws = new Set<string>();
    const services = new Set<string>();
    for (const s of [policy?.Statement ?? []].flat()) {
        const p = s.Principal as { AWS?: string | string[]; Service?: string | string[] } | string | undefined;
        if (!p || typeof p === "string") continue;
        for (const a of [p.AWS ?? []].flat()) if (a !== "*" && !/:root$/.test(a) && !/^\d{12}$/.test(a)) aws.add(a);
        for (const sv of [p.Service ?? []].flat()) services.add(sv);
    }
    return { aws: [...aws].sort(), services: [...services].sort() };
}
