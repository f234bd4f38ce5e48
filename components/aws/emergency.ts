import * as pulumi from "@pulumi/pulumi";
import * as kms from "@pulumi/aws/kms";
import * as secretsmanager from "@pulumi/aws/secretsmanager";
import { NOTICE_RUNBOOK } from "../../documents/aws/notices";
import { ArnContext, PolicyDocument, policyDocument, uniqueSorted } from "../../documents/aws/document";
import { keyPolicy } from "../../documents/aws/key-policy";

/**
 * Emergency contacts and procedures per environment in Secrets Manager (seed 004 "2.3 Add Secrets
 * for Emergency Access": `emergency-procedures-<env>`, recovery window 30 days, the environment's key),
 * readable by the break-glass roles only.
 */

/** What the break-glass roles may do with the secret. */
export const READ_ACTIONS = ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"];

/**
 * The secret's resource policy: the break-glass roles read it; everyone else is denied
 * GetSecretValue by an explicit Deny (an IAM policy granting secretsmanager:* in the account cannot
 * override it), except the deployers that write it. The Deny names no role by Principal (a principal that does not exist yet would be
 * rejected) but exempts the readers by `aws:PrincipalArn`, which for a role session is the role ARN
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_resource-policies.html;
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn).
 */
export function emergencySecretPolicy(readers: readonly string[], deployers: readonly string[]): PolicyDocument {
    if (readers.length === 0) throw new Error("emergencySecretPolicy: name the break-glass roles that read the secret");
    return policyDocument(
        { Sid: "BreakGlassRolesRead", Effect: "Allow", Principal: { AWS: uniqueSorted(readers) }, Action: READ_ACTIONS, Resource: "*" },
        {
            Sid: "DenyEveryoneElseRead",
            Effect: "Deny",
            Principal: { AWS: ["*"] },
            Action: ["secretsmanager:GetSecretValue"],
            Resource: "*",
            // The deployers wrote the contents and must read them back: the provider reads a secret
            // version with GetSecretValue after every create and refresh (hashicorp/terraform-provider-aws
            // internal/service/secretsmanager/secret_version.go, findSecretVersion). They get no Allow here.
            Condition: { ArnNotEquals: { "aws:PrincipalArn": uniqueSorted([...readers, ...deployers]) } },
        },
    );
}

/** Someone to call in a key emergency, as the secret's document lists them. */
export interface EmergencyContact {
    readonly name: string;
    /** What the contact does in an incident, e.g. `security on-call`. */
    readonly role: string;
    readonly email: string;
    /** E.164 phone number. Default: none listed. */
    readonly phone?: string;
}

/** The secret's JSON: the contacts, procedures as runbook links (seed 004's three, plus DR). */
export function emergencyDocument(environment: string, contacts: readonly EmergencyContact[], roles: { emergency: string; recovery: string }, aliases: readonly string[]): string {
    return JSON.stringify({
        environment,
        emergency_contacts: contacts,
        break_glass_roles: roles,
        keys: [...aliases].sort(),
        procedures: {
            key_revocation: `Contact security on-call, assume ${roles.emergency} with MFA, DisableKey: ${NOTICE_RUNBOOK}#emergency-revocation`,
            key_recovery: `Assume ${roles.recovery} with MFA, CancelKeyDeletion / EnableKey within the deletion window: ${NOTICE_RUNBOOK}#key-recovery`,
            incident_response: `Key compromise playbook, notify stakeholders: ${NOTICE_RUNBOOK}#key-compromise`,
            disaster_recovery: `Key loss: ${NOTICE_RUNBOOK}#disaster-recovery`,
        },
    }, null, 2);
}

export interface EmergencyMaterialArgs {
    /** The emergency contacts the document lists, in this order. At least one. */
    readonly contacts: readonly EmergencyContact[];
    /** Days Secrets Manager keeps the deleted secret recoverable (7-30). Default 30 (seed 004). */
    readonly recoveryWindowDays?: number;
    /** The environment the material is for (`staging`, `prod`): in the secret's name and description. */
    readonly environment: string;
    /** Prefix of the names: secret `<prefix>/emergency-procedures-<environment>`, alias `alias/<prefix>-emergency-material`. */
    readonly namePrefix: string;
    /** Partition, region and account of the key policy. */
    readonly ctx: ArnContext;
    /** Break-glass roles: the only readers. */
    readonly emergencyRoleArn: pulumi.Input<string>;
    readonly recoveryRoleArn: pulumi.Input<string>;
    /** KeyManagementAdmin: administers the environment's emergency key. */
    readonly adminRoleArn: pulumi.Input<string>;
    /** Exempt from the key policy's MFA deny (they run `pulumi up`). */
    readonly deployers: readonly string[];
    /** Aliases listed in the document (the keys the procedures are about). */
    readonly aliases: readonly string[];
    /** `protect` and `retainOnDelete` of the key and the secret (true in prod). */
    readonly protect: boolean;
    /** Tags for the key and the secret. */
    readonly tags: Record<string, string>;
}

/**
 * The environment's emergency key and secret. A key of its own, not one of the data keys: revoking a
 * compromised data key (the emergency runbook) must not make the emergency procedures unreadable, so
 * the EmergencyKeyAdmin may read through this key but not disable it.
 */
export class EmergencyMaterial extends pulumi.ComponentResource {
    public readonly secretArn: pulumi.Output<string>;
    public readonly keyArn: pulumi.Output<string>;

    constructor(name: string, args: EmergencyMaterialArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kms-observability:aws:EmergencyMaterial", name, {}, opts);
        const { ctx, tags } = args;
        if (args.contacts.length === 0) throw new pulumi.ResourceError("EmergencyMaterial: list at least one emergency contact (the document is for the people to call)", this);
        const stateful = { parent: this, protect: args.protect, retainOnDelete: args.protect };
        const readers = pulumi.all([args.emergencyRoleArn, args.recoveryRoleArn]);
        const key = new kms.Key(`${name}-key`, {
            description: `Encrypts the ${args.environment} emergency contacts and procedures (Secrets Manager)`,
            keyUsage: "ENCRYPT_DECRYPT",
            customerMasterKeySpec: "SYMMETRIC_DEFAULT",
            enableKeyRotation: true,
            rotationPeriodInDays: 90,
            deletionWindowInDays: 30,
            bypassPolicyLockoutSafetyCheck: false,
            policy: pulumi.all([args.adminRoleArn, readers]).apply(([admin, [emergency, recovery]]) => JSON.stringify(keyPolicy({
                partition: ctx.partition, accountId: ctx.accountId,
                administrators: [admin],
                // Secrets Manager decrypts with the caller's permissions: the readers need Decrypt on the key.
                users: [emergency, recovery], userActions: ["kms:Decrypt", "kms:DescribeKey"], grantsForAwsResources: false,
                emergency: [], recovery: [recovery], deployers: args.deployers,
            }))),
            tags,
        }, stateful);
        new kms.Alias(`${name}-key-alias`, { name: `alias/${args.namePrefix}-emergency-material`, targetKeyId: key.keyId }, { parent: this });

        const secret = new secretsmanager.Secret(`${name}-secret`, {
            name: `${args.namePrefix}/emergency-procedures-${args.environment}`,
            description: `Emergency contacts and key procedures for ${args.environment} (break-glass roles only)`,
            kmsKeyId: key.arn,
            recoveryWindowInDays: args.recoveryWindowDays ?? 30,
            tags: { ...tags, purpose: "emergency-procedures", confidential: "true" },
        }, stateful);
        new secretsmanager.SecretVersion(`${name}-secret-version`, {
            secretId: secret.id,
            secretString: pulumi.secret(readers.apply(([emergency, recovery]) =>
                emergencyDocument(args.environment, args.contacts, { emergency, recovery }, args.aliases))),
        }, { parent: this });
        new secretsmanager.SecretPolicy(`${name}-secret-policy`, {
            secretArn: secret.arn,
            policy: readers.apply((r) => JSON.stringify(emergencySecretPolicy(r, args.deployers))),
            blockPublicPolicy: true,
        }, { parent: this });

        this.secretArn = secret.arn;
        this.keyArn = key.arn;
        this.registerOutputs({ secretArn: this.secretArn, keyArn: this.keyArn });
    }
}
