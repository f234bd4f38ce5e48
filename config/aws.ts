import { ROTATION_DAYS } from "../shared/limits";

/** The rotation period: the guide's 90 days, the only value the policy pack accepts (shared/limits.ts). */
const rotationDays = () => z.number({ error: `must be ${ROTATION_DAYS}` }).refine((n) => n === ROTATION_DAYS, {
    error: `must be ${ROTATION_DAYS}: keys rotate every ${ROTATION_DAYS} days (AWS accepts 90-2560, the guide and the policy pack require ${ROTATION_DAYS})`,
});
import { z } from "zod";
import { email, iamPrincipalArn, intRange } from "./common";
import { checkKeyLifecycle, emergencySchema, keyLifecycleFields, teamSchema } from "./key-lifecycle";

const accountId = () =>
    z.string({ error: "must be a 12-digit AWS account id, quoted (\"012345678901\") so that leading zeros survive YAML" })
        .regex(/^\d{12}$/, { error: "must be a 12-digit AWS account id, quoted (\"012345678901\") so that leading zeros survive YAML" });

/** The account an IAM ARN belongs to. */
export const arnAccount = (arn: string): string | undefined => /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1];

/**
 * The principals exempt from the key policies' MFA deny are matched on `aws:PrincipalArn`, which
 * for a role session is the role's ARN (with its path): so only role and user ARNs make sense here,
 * plus one wildcard form, an IAM Identity Center permission set's roles. Identity Center names the
 * role it creates in each account `AWSReservedSSO_<permission-set>_<unique-suffix>` under the path
 * `/aws-reserved/sso.amazonaws.com/<region>/`, and the suffix changes whenever the assignment is
 * re-created, so AWS recommends matching it with a wildcard
 * (https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html).
 */
const IAM_ROLE_OR_USER = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:(role|user)\/[\w+=,.@\/-]+$/;
/** `arn:aws:iam::<acct>:role/aws-reserved/sso.amazonaws.com/[<region>/]AWSReservedSSO_<PermissionSet>_*`. */
export const SSO_PERMISSION_SET_ROLE = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/aws-reserved\/sso\.amazonaws\.com\/(?:[a-z]{2}(?:-gov)?-[a-z]+-\d\/)?AWSReservedSSO_[\w+=,.@-]{1,32}_\*$/;
const deployerArn = () =>
    z.string().refine((v) => IAM_ROLE_OR_USER.test(v) || SSO_PERMISSION_SET_ROLE.test(v), {
        error: "must be the ARN of the IAM role or user that runs `pulumi up`, like arn:aws:iam::123456789012:role/pulumi-deployer " +
            "(aws:PrincipalArn of a role session is the role ARN, never an assumed-role ARN), or an IAM Identity Center permission set's roles, " +
            "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/<region>/AWSReservedSSO_<PermissionSet>_* (the only wildcard allowed)",
    });

/** `arn:<partition>:logs:<region>:<account>:log-group:<name>[:*]` (the console shows the `:*` form). */
const LOG_GROUP_ARN = /^arn:aws(?:-cn|-us-gov)?:logs:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):log-group:([.\-_/#A-Za-z0-9]{1,512})(?::\*)?$/;

/** Region, account and name of a log group ARN that passed the schema. */
export function parseLogGroupArn(arn: string): { region: string; accountId: string; name: string } {
    const m = LOG_GROUP_ARN.exec(arn);
    if (!m) throw new Error(`not a CloudWatch Logs group ARN: ${arn}`);
    return { region: m[1], accountId: m[2], name: m[3] };
}

const RESERVED_ALIAS = /^(alias\/)?aws\//i;
const keyName = () =>
    z.string()
        .refine((n) => !RESERVED_ALIAS.test(n), {
            error: "alias/aws/ is reserved for AWS managed keys: choose a name that does not start with aws/",
            abort: true,
        })
        .refine((n) => !n.startsWith("alias/"), { error: "give the name without the alias/ prefix: the alias is alias/<name>" })
        .refine((n) => /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(n) && n.length <= 250, {
            error: "must be 1-250 letters, digits, _ or -, in /-separated parts (the key's alias is alias/<name>)",
        });

/** AWS tags: keys 1-128 characters, values up to 256, no aws: prefix (reserved by AWS). */
const awsTags = () =>
    z.record(
        z.string().regex(/^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u, {
            error: "tag keys must be 1-128 letters, digits, spaces or _.:/=+-@ and must not start with aws:",
        }),
        z.string().regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u, { error: "tag values must be up to 256 letters, digits, spaces or _.:/=+-@" }),
    );

/** One customer managed key: symmetric encryption (rotated automatically), signing or MAC (rotated by generations). */
export const awsKeySchema = z.object({
    /** Key name; the alias is `alias/<name>`. Unique within the stack; must not start with `aws/`. */
    name: keyName(),
    /** What the key protects (shown in the console and in `describe-key`). */
    description: z.string().min(1, { error: "must say what the key protects" }).max(8192),
    /** Principals that may use the key for the cryptography of its kind (see documents/aws/key-kinds.ts). Default none. */
    users: z.array(iamPrincipalArn()).default([]),
    /** Principals with key administration (no cryptographic use) besides the KeyManagementAdmin role. Default none. */
    admins: z.array(iamPrincipalArn()).default([]),
    /** Create a multi-Region primary key (key id `mrk-...`). Default false. */
    multiRegion: z.boolean().default(false),
    /** Tags for this key, added to the stack's labels. */
    tags: awsTags().default({}),
    /**
     * Rotation cadence in days: AWS's automatic rotation period for encrypt keys, the generation cadence
     * for signing and MAC keys. The guide (and the policy pack) require exactly 90 (shared/limits.ts
     * ROTATION_DAYS). Default 90.
     */
    rotationDays: rotationDays().default(ROTATION_DAYS),
    /** Waiting period before a scheduled deletion completes (AWS allows 7-30). Default 30. */
    deletionWindowDays: intRange(7, 30).default(30),
    ...keyLifecycleFields,
}).strict();

const principals = (who: string) =>
    z.array(iamPrincipalArn()).min(1, { error: `must name at least one principal allowed to assume the ${who} role` });

const emails = () => z.array(email()).default([]);

/** `kms-observability:aws`: KMS keys, their governance roles and key-event alerting in one account. */
export const awsSection = z.object({
    /** The account the keys live in (12 digits, quoted). Principals, ARNs and the root statement derive from it. */
    accountId: accountId(),
    /** Prefix of every named AWS resource (roles, topics, rules, alarms), so that stacks sharing an account do not collide. */
    namePrefix: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,30}[A-Za-z0-9]$/, {
        error: "must be 2-32 letters, digits or hyphens, starting with a letter (e.g. ledgermind-prod)",
    }),
    /** The keys this stack owns (at least one). */
    keys: z.array(awsKeySchema).min(1, { error: "must list at least one key" }),
    /**
     * The supported deploy identities: every principal that runs `pulumi up` for this stack — the CI
     * deploy role (`AWS_DEPLOY_ROLE_ARN` of up.yml) and, for workstation deploys, the roles of an
     * IAM Identity Center permission set (`.../AWSReservedSSO_<PermissionSet>_*`). Always exempt from
     * the MFA deny on PutKeyPolicy, ScheduleKeyDeletion and DisableKey: KMS's lockout safety check
     * refuses a CreateKey/PutKeyPolicy whose policy would not let the caller put the policy again,
     * and SSO sessions carry no MFA context. Same account as the keys (the key policy reaches them
     * through the root statement). docs/runbooks/aws-kms.md#deploying.
     */
    deployers: z.array(deployerArn()).min(1, {
        error: "must name the role that runs `pulumi up`: without it the MFA deny would lock the stack out of its own key policies",
    }),
    /** Who may assume each governance role (always with MFA in the last 5 minutes; sessions of at most 1 hour). */
    trustedPrincipals: z.object({
        /** Routine key administration (KeyManagementAdmin). */
        keyManagementAdmin: principals("KeyManagementAdmin"),
        /** Emergency revocation: DisableKey, and EnableKey to undo it (EmergencyKeyAdmin). */
        emergencyKeyAdmin: principals("EmergencyKeyAdmin"),
        /** Recovery: CancelKeyDeletion and EnableKey (KeyRecoveryAdmin). */
        keyRecoveryAdmin: principals("KeyRecoveryAdmin"),
    }).strict(),
    /** Email subscriptions per receiver (each address confirms once by email). Default none. */
    alertEmails: z.object({
        "kms-critical": emails(),
        "kms-security": emails(),
    }).strict().prefault({}),
    /** The key that encrypts the alert topics. */
    topicKey: z.object({
        /** Default 90. */
        rotationDays: rotationDays().default(ROTATION_DAYS),
        /** Default 30. */
        deletionWindowDays: intRange(7, 30).default(30),
    }).strict().prefault({}),
    /**
     * ARN of an existing CloudWatch Logs group, in this stack's account and `aws:region`, that a
     * CloudTrail trail delivers to (`arn:aws:logs:<region>:<account>:log-group:<name>`). When set,
     * the CIS 4.7 metric filter + alarm (DisableKey / ScheduleKeyDeletion) and one for PutKeyPolicy
     * are added. An ARN, not a name: a metric filter can only be put on a group of the stack's own
     * account and region, and each stack (account) has its own group.
     */
    cloudTrailLogGroupArn: z.string().regex(LOG_GROUP_ARN, {
        error: "must be the ARN of a CloudWatch Logs group, arn:aws:logs:<region>:<account>:log-group:<name> (name: 1-512 of letters, digits and ._-/#)",
    }).optional(),
    /** Teams that depend on keys, by name: each gets a rotation-notice topic. `platform` (keys without a team) defaults to the kms-security emails. */
    teams: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, { error: "team names must be 1-31 lower-case letters, digits or -" }), teamSchema).default({}),
    /** Failed KMS calls (any errorCode) on this account's keys within 5 minutes that raise the alarm (needs cloudTrailLogGroupArn). Default 10. */
    failedKeyOperationsThreshold: intRange(1, 100000).default(10),
    /** Emergency contacts kept in Secrets Manager, readable by the break-glass roles only. Optional. */
    emergency: emergencySchema.optional(),
}).strict().superRefine((s, ctx) => {
    checkKeyLifecycle(s.keys, s.teams, ctx);
    const seen = new Map<string, number>();
    s.keys.forEach((k, i) => {
        // Logical resource names replace "/" by "-": two names equal after that would collide too.
        const id = k.name.replace(/\//g, "-");
        const first = seen.get(id);
        if (first !== undefined) {
            ctx.addIssue({ code: "custom", path: ["keys", i, "name"], input: k.name,
                message: `duplicate key name (keys[${first}].name is "${s.keys[first].name}"): each key needs its own name and alias` });
        } else seen.set(id, i);
        k.admins.forEach((arn, j) => {
            if (arnAccount(arn) !== s.accountId) {
                ctx.addIssue({ code: "custom", path: ["keys", i, "admins", j], input: arn,
                    message: `key administrators must be in account ${s.accountId}: the MFA deny of the key policy only covers that account` });
            }
        });
    });
    const group = s.cloudTrailLogGroupArn === undefined ? undefined : LOG_GROUP_ARN.exec(s.cloudTrailLogGroupArn);
    if (group && group[2] !== s.accountId) {
        ctx.addIssue({ code: "custom", path: ["cloudTrailLogGroupArn"], input: s.cloudTrailLogGroupArn,
            message: `must be a log group of account ${s.accountId}: metric filters are created in the stack's own account` });
    }
    s.deployers.forEach((arn, j) => {
        if (arnAccount(arn) !== s.accountId) {
            ctx.addIssue({ code: "custom", path: ["deployers", j], input: arn,
                message: `must be in account ${s.accountId}: the key policy reaches deployers only through the account's root statement` });
        }
    });
});

export type AwsSettings = z.infer<typeof awsSection>;
export type AwsKeySettings = z.infer<typeof awsKeySchema>;

/**
 * Cross-check with `aws:region` (a provider setting): the CloudTrail log group must be in the
 * stack's region, where the metric filters are created. Returns problem lines for the loader.
 */
export function checkAwsRegion(aws: AwsSettings, region: string, file: string): string[] {
    if (aws.cloudTrailLogGroupArn === undefined) return [];
    const group = parseLogGroupArn(aws.cloudTrailLogGroupArn);
    return group.region === region ? [] : [
        `${file}: kms-observability:aws.cloudTrailLogGroupArn = "${aws.cloudTrailLogGroupArn}": must be a log group in aws:region ` +
        `(${region}); metric filters are created in the stack's region, and each stack needs the group its own trail delivers to there`,
    ];
}
