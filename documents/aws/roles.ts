import { MAX_MFA_AGE_SECONDS, MAX_SESSION_SECONDS as LIMIT_SESSION_SECONDS } from "../../shared/limits";
import { PolicyDocument, policyDocument, uniqueSorted } from "./document";
import { EMERGENCY_ACTIONS, KEY_ADMIN_ACTIONS, RECOVERY_ACTIONS } from "./key-policy";

/**
 * The three key-governance roles of seed 004 and their documents: an MFA-gated trust policy and an
 * inline policy scoped to the ARNs of the keys a stack owns.
 */

/** MFA must have happened within the last 5 minutes when the role is assumed (break-glass). */
export const MFA_MAX_AGE_SECONDS = MAX_MFA_AGE_SECONDS;
/** A role session lasts at most one hour (IAM's minimum for MaxSessionDuration). */
export const MAX_SESSION_SECONDS = LIMIT_SESSION_SECONDS;

export type GovernanceRoleKind = "admin" | "emergency" | "recovery";

export interface GovernanceRoleSpec {
    /** Role name after the stack's prefix: `<prefix>-<suffix>`. */
    readonly suffix: string;
    readonly description: string;
    /** The actions of its inline policy, on the stack's keys only. */
    readonly actions: string[];
}

export const GOVERNANCE_ROLES: Readonly<Record<GovernanceRoleKind, GovernanceRoleSpec>> = {
    admin: {
        suffix: "KeyManagementAdmin",
        description: "Routine administration of this stack's KMS keys (no cryptographic use); MFA required",
        actions: KEY_ADMIN_ACTIONS,
    },
    emergency: {
        suffix: "EmergencyKeyAdmin",
        description: "Break-glass: disable (and re-enable) this stack's KMS keys; MFA within 5 minutes, 1 h sessions",
        actions: EMERGENCY_ACTIONS,
    },
    recovery: {
        suffix: "KeyRecoveryAdmin",
        description: "Recovery: cancel scheduled deletion and re-enable this stack's KMS keys; MFA within 5 minutes",
        actions: RECOVERY_ACTIONS,
    },
};

/** `<prefix>-KeyManagementAdmin` etc. (IAM allows 64 characters; the prefix is at most 32). */
export const roleName = (prefix: string, kind: GovernanceRoleKind): string => `${prefix}-${GOVERNANCE_ROLES[kind].suffix}`;

/**
 * Trust policy: the listed principals may assume the role only with MFA present and at most
 * {@link MFA_MAX_AGE_SECONDS} old. No other statement: services and other accounts cannot assume it.
 */
export function mfaTrustPolicy(principals: readonly string[]): PolicyDocument {
    if (principals.length === 0) throw new Error("mfaTrustPolicy: at least one trusted principal is required");
    return policyDocument({
        Sid: "AssumeWithRecentMfa",
        Effect: "Allow",
        Principal: { AWS: uniqueSorted(principals) },
        Action: ["sts:AssumeRole"],
        Condition: {
            Bool: { "aws:MultiFactorAuthPresent": "true" },
            NumericLessThanEquals: { "aws:MultiFactorAuthAge": String(MFA_MAX_AGE_SECONDS) },
        },
    });
}

/**
 * Inline policy of a governance role over a set of keys. Alias ARNs join the key ARNs for the
 * administrator, because CreateAlias/UpdateAlias/DeleteAlias are authorised on both.
 */
export function roleKeysPolicy(kind: GovernanceRoleKind, keyArns: readonly string[], aliasArns: readonly string[] = []): PolicyDocument {
    if (keyArns.length === 0) throw new Error(`roleKeysPolicy(${kind}): no key ARNs to scope the policy to`);
    const resources = kind === "admin" ? [...keyArns, ...aliasArns] : [...keyArns];
    return policyDocument({
        Sid: `${GOVERNANCE_ROLES[kind].suffix}OnStackKeys`,
        Effect: "Allow",
        Action: GOVERNANCE_ROLES[kind].actions,
        Resource: uniqueSorted(resources),
    });
}
