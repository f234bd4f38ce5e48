import * as pulumi from "@pulumi/pulumi";
import type { EmergencyMaterialArgs } from "../../components/aws/emergency";
import type { GovernanceRoleRefs, KeyGovernanceArgs } from "../../components/aws/governance";
import { usagePublishers } from "../../documents/aws/key-usage";
import type { KeyUsageAuditArgs } from "../../components/aws/key-usage";
import type { KmsKeys, KmsKeysArgs } from "../../components/aws/kms";
import type { RotationNoticesArgs } from "../../components/aws/rotation-notices";
import type { KeyMappingInput } from "../../components/aws/key-mapping-input";
import { ArnContext, arnContext } from "../../documents/aws/document";
import { keyMappingEntryOf } from "../../documents/aws/key-kinds";
import { parseLogGroupArn } from "../aws";
import { DEFAULT_TEAM } from "../key-lifecycle";
import { Settings } from "../schema";

/** The AWS components' Args: `aws` (keys, roles, topics, teams, emergency material) and `aws:region`. */

/** Partition, region and account of the stack's AWS resources. */
export const awsContext = (settings: Settings): ArnContext => arnContext(settings.providers["aws:region"], settings.aws.accountId);

/** The CloudTrail log group's name (`aws.cloudTrailLogGroupArn`), when configured. */
const trailGroupName = (settings: Settings): string | undefined =>
    settings.aws.cloudTrailLogGroupArn === undefined ? undefined : parseLogGroupArn(settings.aws.cloudTrailLogGroupArn).name;

/**
 * Key governance: the roles trusted as `aws.trustedPrincipals` says, the key-event topics; AMP may
 * publish to them when `amp.enabled`, and KeyUsageAudit's rule and alarm publish to kms-security.
 */
export function keyGovernanceArgs(settings: Settings): KeyGovernanceArgs {
    const { aws } = settings;
    const ctx = awsContext(settings);
    return {
        ctx,
        namePrefix: aws.namePrefix,
        deployers: aws.deployers,
        trustedPrincipals: {
            admin: aws.trustedPrincipals.keyManagementAdmin,
            emergency: aws.trustedPrincipals.emergencyKeyAdmin,
            recovery: aws.trustedPrincipals.keyRecoveryAdmin,
        },
        alertEmails: aws.alertEmails,
        topicKey: aws.topicKey,
        cloudTrailLogGroupName: trailGroupName(settings),
        allowAmpPublish: settings.amp.enabled,
        extraPublishers: { "kms-security": usagePublishers(ctx, aws.namePrefix, trailGroupName(settings)) },
        protect: settings.protectStateful,
        tags: settings.labels,
    };
}

/** The KMS-governance roles the notice topics' key names. */
type NoticeKeyRoles = { readonly adminRoleArn: pulumi.Input<string>; readonly recoveryRoleArn: pulumi.Input<string> };

/**
 * The CEK↔CMK mapping (contract/key-mapping.ts) of `aws.keys`, an entry per key from that key's own
 * ARNs, so a notice or metric filter about one key depends on that key alone.
 */
export function keyMappingInput(settings: Settings, byKey: KmsKeys["byKey"]): KeyMappingInput {
    return Object.fromEntries(settings.aws.keys.map((k) => [k.name, pulumi.all([byKey[k.name].keyArn, byKey[k.name].generationArns])
        .apply(([arn, generations]) => keyMappingEntryOf(k, arn, generations))]));
}

/**
 * Rotation notices for every key of `aws.keys`. Subscribers per team: `aws.teams.<team>.emails`; the
 * platform team without its own entry falls back to the kms-security addresses; a team a key names
 * but config does not list gets a topic without subscribers.
 */
export function rotationNoticesArgs(settings: Settings, mapping: KeyMappingInput, roles: NoticeKeyRoles): RotationNoticesArgs {
    const { aws } = settings;
    const teams = [...new Set([...Object.keys(aws.teams), ...aws.keys.map((k) => k.team)])].sort();
    const emails = (team: string) => aws.teams[team]?.emails ?? (team === DEFAULT_TEAM ? aws.alertEmails["kms-security"] : []);
    return {
        ctx: awsContext(settings),
        namePrefix: aws.namePrefix,
        keys: aws.keys,
        teamEmails: Object.fromEntries(teams.map((t) => [t, emails(t)])),
        deployers: aws.deployers,
        topicKey: aws.topicKey,
        mapping,
        ...roles,
        protect: settings.protectStateful,
        tags: settings.labels,
    };
}

/** Key-usage audit of every key of `aws.keys`, counted from the CloudTrail log group when configured. */
export function keyUsageAuditArgs(settings: Settings, mapping: KeyMappingInput, securityTopicArn: pulumi.Input<string>): KeyUsageAuditArgs {
    return {
        ctx: awsContext(settings),
        namePrefix: settings.aws.namePrefix,
        mapping,
        securityTopicArn,
        cloudTrailLogGroupName: trailGroupName(settings),
        failedOperationsThreshold: settings.aws.failedKeyOperationsThreshold,
        tags: settings.labels,
    };
}

/** The stack's data keys (`aws.keys`), governed by the KeyGovernance roles. */
export function kmsKeysArgs(settings: Settings, roles: GovernanceRoleRefs): KmsKeysArgs {
    return {
        keys: settings.aws.keys, ctx: awsContext(settings), deployers: settings.aws.deployers, roles,
        protect: settings.protectStateful, tags: settings.labels,
    };
}

/** The emergency material when `aws.emergency` is set: its document lists every key's stable alias. */
export function emergencyMaterialArgs(settings: Settings, roles: GovernanceRoleRefs): EmergencyMaterialArgs | undefined {
    const { aws } = settings;
    return aws.emergency && {
        contacts: aws.emergency.contacts, recoveryWindowDays: aws.emergency.recoveryWindowDays, environment: settings.environment, namePrefix: aws.namePrefix, ctx: awsContext(settings),
        emergencyRoleArn: roles.emergency.arn, recoveryRoleArn: roles.recovery.arn, adminRoleArn: roles.admin.arn,
        deployers: aws.deployers, aliases: aws.keys.map((k) => `alias/${k.name}`), protect: settings.protectStateful, tags: settings.labels,
    };
}
