import { z } from "zod";
import { email, iamPrincipalArn, intRange } from "./common";
import { checkKeyLifecycle, emergencySchema, keyLifecycleFields, teamSchema } from "./key-lifecycle";

/** The two alert receivers that AWS key events are delivered to (same names as the Alertmanager receivers). */
export const AWS_RECEIVERS = ["kms-critical", "kms-security"] as const;
export type AwsReceiver = (typeof AWS_RECEIVERS)[number];

const accountId = () =>
    z.string({ error: "must be a 12-digit AWS account id, quoted (\"012345678901\") so that leading zeros survive YAML" })
        .regex(/^\d{12}$/, { error: "must be a 12-digit AWS account id, quoted (\"012345678901\") so that leading zeros survive YAML" });

/** The account an IAM ARN belongs to. */
export const arnAccount = (arn: string): string | undefined => /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1];

/**
 * The principals exempt from the key policies' MFA deny are matched on `aws:PrincipalArn`, which
 * for a role session is the role's ARN: so only role and user ARNs make sense here.
 */
const deployerArn = () =>
    z.string().regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:(role|user)\/[\w+=,.@\/-]+$/, {
        error: "must be the ARN of the IAM role or user that runs `pulumi up`, like arn:aws:iam::123456789012:role/pulumi-deployer " +
            "(aws:PrincipalArn of a role session is the role ARN, never an assumed-role ARN)",
    });

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
    /** Principals that may use the key for the cryptography of its kind (see components/aws/key-kinds.ts). Default none. */
    users: z.array(iamPrincipalArn()).default([]),
    /** Principals with key administration (no cryptographic use) besides the KeyManagementAdmin role. Default none. */
    admins: z.array(iamPrincipalArn()).default([]),
    /** Create a multi-Region primary key (key id `mrk-...`). Default false. */
    multiRegion: z.boolean().default(false),
    /** Tags for this key, added to the stack's labels. */
    tags: awsTags().default({}),
    /** Rotation cadence in days: AWS's automatic rotation period for encrypt keys (90-2560), the generation cadence otherwise. Default 90. */
    rotationDays: intRange(90, 2560).default(90),
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
     * Principals that run `pulumi up` for this stack, exempt from the MFA deny on PutKeyPolicy,
     * ScheduleKeyDeletion and DisableKey so that the stack can still update its own key policies.
     * Same account as the keys (the key policy reaches them through the root statement).
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
        rotationDays: intRange(90, 2560).default(90),
        /** Default 30. */
        deletionWindowDays: intRange(7, 30).default(30),
    }).strict().prefault({}),
    /**
     * An existing CloudWatch Logs group that a CloudTrail trail delivers to. When set, the CIS 4.7
     * metric filter + alarm (DisableKey / ScheduleKeyDeletion) and one for PutKeyPolicy are added.
     */
    cloudTrailLogGroupName: z.string().regex(/^[.\-_/#A-Za-z0-9]{1,512}$/, {
        error: "must be a CloudWatch Logs group name: 1-512 of letters, digits and ._-/#",
    }).optional(),
    /** Teams that depend on keys, by name: each gets a rotation-notice topic. `platform` (keys without a team) defaults to the kms-security emails. */
    teams: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, { error: "team names must be 1-31 lower-case letters, digits or -" }), teamSchema).default({}),
    /** Failed KMS calls (any errorCode) on this account's keys within 5 minutes that raise the alarm (needs cloudTrailLogGroupName). Default 10. */
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
    s.deployers.forEach((arn, j) => {
        if (arnAccount(arn) !== s.accountId) {
            ctx.addIssue({ code: "custom", path: ["deployers", j], input: arn,
                message: `must be in account ${s.accountId}: the key policy reaches deployers only through the account's root statement` });
        }
    });
});

export type AwsSettings = z.infer<typeof awsSection>;
export type AwsKeySettings = z.infer<typeof awsKeySchema>;
