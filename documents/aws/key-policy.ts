import { Conditions, PolicyDocument, PolicyStatement, accountRoot, policyDocument, uniqueSorted } from "./document";

/**
 * KMS key policies built from role lists (the terraform-aws-kms idea, typed): each kind of
 * principal gets exactly the actions of its job, and nobody but the account root gets `kms:*`.
 */

/** Cryptographic use (seed 003's list, with the ReEncrypt and GenerateDataKey variants). */
export const KEY_USER_ACTIONS = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"];

/** Grants that key users may create, only for AWS services acting for them (EBS, RDS, ...). */
export const KEY_GRANT_ACTIONS = ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"];

/** Key administration: lifecycle, policy, rotation, aliases and tags; no cryptographic operation. */
export const KEY_ADMIN_ACTIONS = [
    "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias", "kms:DescribeKey", "kms:DisableKey",
    "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus",
    "kms:ListGrants", "kms:ListKeyPolicies", "kms:ListKeyRotations", "kms:ListResourceTags", "kms:PutKeyPolicy",
    "kms:RevokeGrant", "kms:RotateKeyOnDemand", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource",
    "kms:UpdateAlias", "kms:UpdateKeyDescription",
];

/** Emergency revocation (seed 004): disable a compromised key, and enable it again to undo the revocation. */
export const EMERGENCY_ACTIONS = ["kms:DescribeKey", "kms:DisableKey", "kms:EnableKey"];

/** Recovery (seed 003 "Solution 2"): cancel a pending deletion and re-enable the key. */
export const RECOVERY_ACTIONS = ["kms:CancelKeyDeletion", "kms:DescribeKey", "kms:EnableKey"];

/** What nobody may do without MFA, except the deployers (seed 004 "multi-person approval for sensitive operations"). */
export const MFA_PROTECTED_ACTIONS = ["kms:DisableKey", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"];

/** Actions a service needs to encrypt for a resource it writes to (an SNS topic's messages). */
export const SERVICE_ENVELOPE_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey*"];

/** An AWS service principal allowed to use the key, under conditions that tie it to our resources. */
export interface ServiceKeyUse {
    readonly sid: string;
    /** e.g. `events.amazonaws.com`. */
    readonly service: string;
    readonly actions: string[];
    readonly conditions: Conditions;
}

export interface KeyPolicyInput {
    readonly partition: string;
    readonly accountId: string;
    /** Key administrators: the KeyManagementAdmin role and any per-key admins. */
    readonly administrators: readonly string[];
    /** Principals that encrypt and decrypt with the key. */
    readonly users: readonly string[];
    /** The EmergencyKeyAdmin role (empty for keys it must not revoke, such as the alert topics' key). */
    readonly emergency: readonly string[];
    /** The KeyRecoveryAdmin role. */
    readonly recovery: readonly string[];
    /** Principals exempt from the MFA deny: whoever runs `pulumi up` must keep updating the policy. */
    readonly deployers: readonly string[];
    /** Service principals that use the key (default none). */
    readonly services?: readonly ServiceKeyUse[];
    /** What the users may do: the actions of the key's kind (documents/aws/key-kinds.ts). Default KEY_USER_ACTIONS. */
    readonly userActions?: readonly string[];
    /**
     * Let users create grants for AWS services (only symmetric encryption keys integrate with AWS
     * services, so signing and MAC keys need none). Default true.
     */
    readonly grantsForAwsResources?: boolean;
}

const allow = (sid: string, principals: readonly string[], actions: string[], conditions?: Conditions): PolicyStatement | undefined =>
    principals.length === 0 ? undefined : {
        Sid: sid, Effect: "Allow", Principal: { AWS: uniqueSorted(principals) }, Action: actions, Resource: "*",
        ...(conditions ? { Condition: conditions } : {}),
    };

/**
 * The key policy. Statement by statement:
 * - `EnableRootAccountPermissions`: the account root gets `kms:*`, which lets IAM policies of this
 *   account grant access (without it a wrong policy can make the key unmanageable for good);
 * - `KeyAdministration`, `KeyUsage`, `KeyGrantsForAwsResources` (only with `kms:GrantIsForAWSResource`),
 *   `EmergencyRevocation`, `KeyRecovery`: one statement per role list, omitted when the list is empty;
 * - one statement per service use;
 * - `DenyDestructiveActionsWithoutMfa`: DisableKey, PutKeyPolicy and ScheduleKeyDeletion are denied to
 *   every principal of the account without MFA, except the deployers. The principal is the account
 *   (never `"*"`); `BoolIfExists` also catches long-term access keys, whose requests carry no MFA key.
 */
export function keyPolicy(input: KeyPolicyInput): PolicyDocument {
    // An empty exemption list would deny the stack its own PutKeyPolicy: the config layer requires one.
    if (input.deployers.length === 0) throw new Error("keyPolicy: at least one deployer must be exempt from the MFA deny");
    const root = accountRoot(input);
    return policyDocument(
        { Sid: "EnableRootAccountPermissions", Effect: "Allow", Principal: { AWS: [root] }, Action: ["kms:*"], Resource: "*" },
        allow("KeyAdministration", input.administrators, KEY_ADMIN_ACTIONS),
        allow("KeyUsage", input.userActions?.length === 0 ? [] : input.users, [...(input.userActions ?? KEY_USER_ACTIONS)]),
        allow("KeyGrantsForAwsResources", input.grantsForAwsResources === false ? [] : input.users, KEY_GRANT_ACTIONS,
            { Bool: { "kms:GrantIsForAWSResource": "true" } }),
        allow("EmergencyRevocation", input.emergency, EMERGENCY_ACTIONS),
        allow("KeyRecovery", input.recovery, RECOVERY_ACTIONS),
        ...(input.services ?? []).map((s): PolicyStatement => ({
            Sid: s.sid, Effect: "Allow", Principal: { Service: [s.service] }, Action: s.actions, Resource: "*", Condition: s.conditions,
        })),
        {
            Sid: "DenyDestructiveActionsWithoutMfa",
            Effect: "Deny",
            Principal: { AWS: [root] },
            Action: MFA_PROTECTED_ACTIONS,
            Resource: "*",
            Condition: {
                BoolIfExists: { "aws:MultiFactorAuthPresent": "false" },
                ArnNotLike: { "aws:PrincipalArn": uniqueSorted(input.deployers) },
            },
        },
    );
}
