import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import { GovernanceRoleRefs } from "./governance";
import { ArnContext, regionalArn } from "../../documents/aws/document";
import { keyPolicy } from "../../documents/aws/key-policy";
import { GovernanceRoleKind, roleKeysPolicy } from "../../documents/aws/roles";
import { GENERATION_ROLE_TAG, GENERATION_TAG, plannedKeys } from "../../documents/aws/key-kinds";
import { keySlug } from "../../shared/limits";

/** One data key: what plannedKeys needs to plan its KMS keys, plus its policy principals and settings. */
export type KmsKeyArgs = Parameters<typeof plannedKeys>[0] & {
    /** Key description (each generation's adds its id and role). */
    readonly description: string;
    /** Principals administering the key besides KeyManagementAdmin. */
    readonly admins: readonly string[];
    /** Principals using the key (the kind's cryptographic operations). */
    readonly users: readonly string[];
    /** Waiting period before deletion, 7-30 days. */
    readonly deletionWindowDays: number;
    /** Multi-Region primary key. */
    readonly multiRegion: boolean;
    /** The key's own tags, over the component's `tags`. */
    readonly tags: Readonly<Record<string, string>>;
};

export interface KmsKeysArgs {
    /** The keys to create (at least one): kind and spec, generations, rotation period, deletion window. */
    readonly keys: readonly KmsKeyArgs[];
    /** Partition, region and account the ARNs are built in. */
    readonly ctx: ArnContext;
    /** Principals exempt from the MFA deny (they run `pulumi up`). At least one. */
    readonly deployers: readonly string[];
    /** The governance roles: named in every key policy and granted on these keys by inline policies. */
    readonly roles: GovernanceRoleRefs;
    /** `protect` and `retainOnDelete` of the keys (true in prod). Default false. */
    readonly protect?: boolean;
    /** Tags for every key, under each key's own tags. Default none. */
    readonly tags?: Readonly<Record<string, string>>;
}


/**
 * Customer managed keys of three kinds (documents/aws/key-kinds.ts): symmetric encryption keys
 * rotated automatically on the configured period (90 days by default); signing and MAC keys, which
 * AWS cannot rotate, as one KMS key per generation behind the stable alias `alias/<name>` (each
 * generation also has `alias/<name>/<generation>`). Every KMS key gets a key policy built from role
 * lists whose users hold exactly the actions of the key's kind, and the governance roles get their
 * actions on exactly these keys through inline policies.
 */
export class KmsKeys extends pulumi.ComponentResource {
    /** ARN of the key each alias `alias/<name>` points at (the current generation), by key name. */
    public readonly keyArns: pulumi.Output<Record<string, string>>;
    /** Alias name (`alias/<name>`) by key name. */
    public readonly aliases: pulumi.Output<Record<string, string>>;
    /** ARN by generation id, for keys rotated by generations (sign, mac), by key name. */
    public readonly generationArns: pulumi.Output<Record<string, Record<string, string>>>;
    /**
     * The same per key, each depending on that key's resources alone: a resource about one key built
     * from these waits for (and, in the engine's state, depends on) that key only, not every key.
     */
    public readonly byKey: Readonly<Record<string, { readonly keyArn: pulumi.Output<string>; readonly generationArns: pulumi.Output<Record<string, string>> }>>;

    constructor(name: string, args: KmsKeysArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kms-observability:aws:KmsKeys", name, {}, opts);
        const { ctx, roles } = args;
        if (args.keys.length === 0) throw new pulumi.ResourceError("KmsKeys needs at least one key", this);

        const keyArns: Record<string, pulumi.Output<string>> = {};
        const aliases: Record<string, pulumi.Output<string>> = {};
        const generationArns: Record<string, Record<string, pulumi.Output<string>>> = {};
        const allArns: pulumi.Output<string>[] = [];
        const aliasArns: string[] = [];
        for (const k of args.keys) {
            for (const p of plannedKeys(k)) {
                const id = `${name}-${p.suffix}`;
                const key = new kms.Key(id, {
                    description: p.generation ? `${k.description} (generation ${p.generation.id}, ${p.role})` : k.description,
                    keyUsage: p.keyUsage,
                    // aws provider v7 still calls the key spec customerMasterKeySpec (CreateKey's KeySpec).
                    customerMasterKeySpec: p.keySpec,
                    enableKeyRotation: p.enableKeyRotation,
                    // Unset for kinds AWS cannot rotate: a period there fails the apply.
                    ...(p.rotationPeriodInDays !== undefined ? { rotationPeriodInDays: p.rotationPeriodInDays } : {}),
                    deletionWindowInDays: k.deletionWindowDays,
                    // Only retired generations say so: an explicit true on the others would be a no-op diff.
                    ...(p.isEnabled ? {} : { isEnabled: false }),
                    multiRegion: k.multiRegion,
                    // KMS refuses a policy that would lock the caller out; keep that check on.
                    bypassPolicyLockoutSafetyCheck: false,
                    policy: pulumi.all([roles.admin.arn, roles.emergency.arn, roles.recovery.arn]).apply(([admin, emergency, recovery]) =>
                        JSON.stringify(keyPolicy({
                            partition: ctx.partition,
                            accountId: ctx.accountId,
                            administrators: [admin, ...k.admins],
                            users: k.users,
                            userActions: p.userActions,
                            grantsForAwsResources: p.kind === "encrypt",
                            emergency: [emergency],
                            recovery: [recovery],
                            deployers: args.deployers,
                        }))),
                    tags: { ...args.tags, ...k.tags, ...(p.generation ? { [GENERATION_TAG]: p.generation.id, [GENERATION_ROLE_TAG]: p.role } : {}) },
                }, { parent: this, protect: args.protect ?? false, retainOnDelete: args.protect ?? false });
                // The stable alias keeps its logical name whatever generation it points at: moving it is an UpdateAlias.
                for (const aliasName of p.aliases) {
                    const stable = aliasName === `alias/${k.name}`;
                    const alias = new kms.Alias(stable ? `${name}-${keySlug(k.name)}-alias` : `${id}-alias`,
                        { name: aliasName, targetKeyId: key.keyId }, { parent: this });
                    if (stable) aliases[k.name] = alias.name;
                    aliasArns.push(regionalArn(ctx, "kms", aliasName));
                }
                if (p.role === "current") keyArns[k.name] = key.arn;
                if (p.generation) (generationArns[k.name] ??= {})[p.generation.id] = key.arn;
                allArns.push(key.arn);
            }
        }

        const allKeyArns = pulumi.all(allArns);
        for (const kind of ["admin", "emergency", "recovery"] as const satisfies readonly GovernanceRoleKind[]) {
            new iam.RolePolicy(`${name}-${kind}-keys`, {
                name: "stack-keys",
                role: roles[kind].name,
                policy: allKeyArns.apply((arns) => JSON.stringify(roleKeysPolicy(kind, arns, aliasArns))),
            }, { parent: this });
        }

        this.keyArns = pulumi.all(keyArns);
        this.aliases = pulumi.all(aliases);
        this.generationArns = pulumi.output(generationArns) as pulumi.Output<Record<string, Record<string, string>>>;
        this.byKey = Object.fromEntries(args.keys.map((k) => [k.name, {
            keyArn: pulumi.output(keyArns[k.name]),
            generationArns: pulumi.output(generationArns[k.name] ?? {}) as pulumi.Output<Record<string, string>>,
        }]));
        this.registerOutputs({ keyArns: this.keyArns, aliases: this.aliases, generationArns: this.generationArns });
    }
}
