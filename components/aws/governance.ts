import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { KeyEventAlerts, KeyEventTopicsArgs, TopicArns } from "./alerts";
import { deployerForCaller } from "../../documents/aws/deployers";
import { GOVERNANCE_ROLES, GovernanceRoleKind, MAX_SESSION_SECONDS, mfaTrustPolicy, roleKeysPolicy, roleName } from "../../documents/aws/roles";

/** A governance role as other components need it: the name for inline policies, the ARN for key policies. */
export interface GovernanceRoleRef {
    readonly name: pulumi.Output<string>;
    readonly arn: pulumi.Output<string>;
}
export type GovernanceRoleRefs = Readonly<Record<GovernanceRoleKind, GovernanceRoleRef>>;

export interface KeyGovernanceArgs extends KeyEventTopicsArgs {
    /**
     * Who may assume each role (with MFA): principal ARNs for KeyManagementAdmin (`admin`),
     * EmergencyKeyAdmin (`emergency`) and KeyRecoveryAdmin (`recovery`). Role names are
     * `<namePrefix>-<RoleName>`.
     */
    readonly trustedPrincipals: Readonly<Record<GovernanceRoleKind, readonly string[]>>;
}

/**
 * Key governance (seed 004): the KeyManagementAdmin, EmergencyKeyAdmin and KeyRecoveryAdmin roles,
 * each assumable only with MFA of at most 5 minutes and for at most 1 hour, and the key-event
 * alerting (topics, EventBridge rules, alarms). The roles' policies over the stack's data keys are
 * added by KmsKeys: KMS rejects a key policy naming a role that does not exist yet, so the roles
 * come first and the key-scoped grants after the keys.
 */
export class KeyGovernance extends pulumi.ComponentResource {
    /** Name and ARN of each governance role. */
    public readonly roles: GovernanceRoleRefs;
    /** Role ARNs for the stack outputs. */
    public readonly roleArns: pulumi.Output<Record<GovernanceRoleKind, string>>;
    /** SNS topic ARN per receiver (`kms-critical`, `kms-security`). */
    public readonly topicArns: pulumi.Output<TopicArns>;
    /** The KMS key that encrypts the topics. */
    public readonly topicKeyArn: pulumi.Output<string>;

    constructor(name: string, args: KeyGovernanceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kms-observability:aws:KeyGovernance", name, {}, opts);
        const { trustedPrincipals, ...topics } = args;
        const tags = { ...(args.tags ?? {}) };
        const role = (kind: GovernanceRoleKind): iam.Role => new iam.Role(`${name}-${kind}-role`, {
            name: roleName(args.namePrefix, kind),
            description: GOVERNANCE_ROLES[kind].description,
            assumeRolePolicy: JSON.stringify(mfaTrustPolicy([...trustedPrincipals[kind]])),
            maxSessionDuration: MAX_SESSION_SECONDS,
            tags,
        }, { parent: this });
        const admin = role("admin");
        const emergency = role("emergency");
        const recovery = role("recovery");

        const alerts = new KeyEventAlerts(`${name}-alerts`, {
            ...topics, tags,
            adminRoleArn: admin.arn, recoveryRoleArn: recovery.arn, emergencyRoleArn: emergency.arn,
        }, { parent: this });

        // The topic key is governed like the data keys, minus emergency revocation (see topicKeyPolicy).
        for (const [kind, r] of [["admin", admin], ["recovery", recovery]] as const) {
            new iam.RolePolicy(`${name}-${kind}-topic-key`, {
                name: "alert-topic-key",
                role: r.name,
                policy: pulumi.all([alerts.topicKeyArn, alerts.topicKeyAliasArn])
                    .apply(([keyArn, aliasArn]) => JSON.stringify(roleKeysPolicy(kind, [keyArn], [aliasArn]))),
            }, { parent: this });
        }

        // Who runs this preview/update: an identity outside `deployers` has no MFA exemption, so KMS
        // would refuse any key-policy change (MFA deny, lockout safety check) midway through the update.
        // A warning, not an error: a read-only preview role or an MFA session may legitimately run.
        getCallerIdentityOutput({}, { parent: this }).arn.apply((arn) => {
            if (deployerForCaller(arn, args.deployers) === undefined) {
                pulumi.log.warn(`${arn} is not one of kms-observability:aws.deployers (${args.deployers.join(", ")}): without MFA, ` +
                    "KMS will refuse every key policy this update creates or changes (docs/runbooks/aws-kms.md#deploying)", this);
            }
        });

        this.roles = {
            admin: { name: admin.name, arn: admin.arn },
            emergency: { name: emergency.name, arn: emergency.arn },
            recovery: { name: recovery.name, arn: recovery.arn },
        };
        this.roleArns = pulumi.output({ admin: admin.arn, emergency: emergency.arn, recovery: recovery.arn });
        this.topicArns = alerts.topicArns;
        this.topicKeyArn = alerts.topicKeyArn;
        this.registerOutputs({ roleArns: this.roleArns, topicArns: this.topicArns, topicKeyArn: this.topicKeyArn });
    }
}
