import { keyAlias, keySlug } from "../../config/limits";
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import { AwsKeySettings } from "../../config/aws";
import { GovernanceRoleRefs } from "./governance";
import { ArnContext, regionalArn } from "./policies/document";
import { keyPolicy } from "./policies/key-policy";
import { GovernanceRoleKind, roleKeysPolicy } from "./policies/roles";

export interface KmsKeysArgs {
    /** The keys to create (validated config: rotation 90-2560 days, deletion window 7-30). */
    readonly keys: readonly AwsKeySettings[];
    /** Partition, region and account the ARNs are built in. */
    readonly ctx: ArnContext;
    /** Principals exempt from the MFA deny (they run `pulumi up`). At least one. */
    readonly deployers: readonly string[];
    /** The governance roles: named in every key policy and granted on these keys by inline policies. */
    readonly roles: GovernanceRoleRefs;
    /** `protect` and `retainOnDelete` of the keys (true in prod). */
    readonly protect: boolean;
    /** Tags for every key, under each key's own tags. */
    readonly tags: Record<string, string>;
}

/** Logical-name part of a key name (`ledger/signing` -> `ledger-signing`). */
export { keySlug };

/**
 * Customer managed keys: symmetric ENCRYPT_DECRYPT, automatic rotation on the configured period
 * (90 days by default), alias `alias/<name>`, a key policy built from role lists, and the inline
 * policies that give the governance roles their actions on exactly these keys.
 */
export class KmsKeys extends pulumi.ComponentResource {
    /** Key ARN by key name. */
    public readonly keyArns: pulumi.Output<Record<string, string>>;
    /** Alias name (`alias/<name>`) by key name. */
    public readonly aliases: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: KmsKeysArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kms-observability:aws:KmsKeys", name, {}, opts);
        const { ctx, roles } = args;
        if (args.keys.length === 0) throw new pulumi.ResourceError("KmsKeys needs at least one key", this);

        const keyArns: Record<string, pulumi.Output<string>> = {};
        const aliases: Record<string, pulumi.Output<string>> = {};
        for (const k of args.keys) {
            const id = `${name}-${keySlug(k.name)}`;
            const key = new kms.Key(id, {
                description: k.description,
                keyUsage: "ENCRYPT_DECRYPT",
                customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                enableKeyRotation: true,
                rotationPeriodInDays: k.rotationDays,
                deletionWindowInDays: k.deletionWindowDays,
                multiRegion: k.multiRegion,
                // KMS refuses a policy that would lock the caller out; keep that check on.
                bypassPolicyLockoutSafetyCheck: false,
                policy: pulumi.all([roles.admin.arn, roles.emergency.arn, roles.recovery.arn]).apply(([admin, emergency, recovery]) =>
                    JSON.stringify(keyPolicy({
                        partition: ctx.partition,
                        accountId: ctx.accountId,
                        administrators: [admin, ...k.admins],
                        users: k.users,
                        emergency: [emergency],
                        recovery: [recovery],
                        deployers: args.deployers,
                    }))),
                tags: { ...args.tags, ...k.tags },
            }, { parent: this, protect: args.protect, retainOnDelete: args.protect });
            const alias = new kms.Alias(`${id}-alias`, { name: keyAlias(k.name), targetKeyId: key.keyId }, { parent: this });
            keyArns[k.name] = key.arn;
            aliases[k.name] = alias.name;
        }

        const aliasArns = args.keys.map((k) => regionalArn(ctx, "kms", keyAlias(k.name)));
        const allKeyArns = pulumi.all(Object.values(keyArns));
        for (const kind of ["admin", "emergency", "recovery"] as const satisfies readonly GovernanceRoleKind[]) {
            new iam.RolePolicy(`${name}-${kind}-keys`, {
                name: "stack-keys",
                role: roles[kind].name,
                policy: allKeyArns.apply((arns) => JSON.stringify(roleKeysPolicy(kind, arns, aliasArns))),
            }, { parent: this });
        }

        this.keyArns = pulumi.all(keyArns);
        this.aliases = pulumi.all(aliases);
        this.registerOutputs({ keyArns: this.keyArns, aliases: this.aliases });
    }
}
