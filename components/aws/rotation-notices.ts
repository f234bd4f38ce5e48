import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import * as scheduler from "@pulumi/aws/scheduler";
import * as sns from "@pulumi/aws/sns";
import { autoRotates } from "../../shared/key-kinds";
import { keySlug, slug } from "../../shared/limits";
import { KeyMappingInput, mappingEntry } from "./key-mapping-input";
import { plannedKeys, rotationDue } from "../../documents/aws/key-kinds";
import { aliasMovedPattern, aliasMovedTransformer, boundedName, rotationEventPattern, rotationTransformer, scheduledNotice } from "../../documents/aws/notices";
import { ArnContext, policyDocument, regionalArn } from "../../documents/aws/document";
import { SERVICE_ENVELOPE_ACTIONS } from "../../documents/aws/key-policy";
import { topicKeyBase, topicKeyPolicy, topicPolicy } from "../../documents/aws/topics";

/** A key as its notices need it: name, kind, owning team, cadence and generations (plannedKeys). */
export type RotationNoticeKey = Parameters<typeof plannedKeys>[0] & { /** The team whose topic gets the key's notices. */ readonly team: string };

export interface RotationNoticesArgs {
    /** Partition, region and account the ARNs are built in. */
    readonly ctx: ArnContext;
    /**
     * Prefix of every name: topics `<prefix>-key-rotation-<team>`, key alias
     * `alias/<prefix>-key-rotation-notices`, rules `<prefix>-rotation-<key>`, schedules `<prefix>-due-…`.
     */
    readonly namePrefix: string;
    /** The keys notified about; each key's team gets a topic. */
    readonly keys: readonly RotationNoticeKey[];
    /** Email subscribers by team; a team listed here gets a topic even without keys. Default none. */
    readonly teamEmails?: Readonly<Record<string, readonly string[]>>;
    /** Principals that run `pulumi up`: exempt from the MFA deny of the topics' key policy. */
    readonly deployers: readonly string[];
    /** Rotation period and deletion window of the topics' key, in days. */
    readonly topicKey: { readonly rotationDays: number; readonly deletionWindowDays: number };
    /** The CEK↔CMK mapping with the keys' ARNs, an entry per key (KmsKeys `byKey` + keyMappingEntryOf). */
    readonly mapping: KeyMappingInput;
    /** The KeyManagementAdmin role: administers the notice topics' key. */
    readonly adminRoleArn: pulumi.Input<string>;
    /** The KeyRecoveryAdmin role: may cancel deletion of / re-enable that key. */
    readonly recoveryRoleArn: pulumi.Input<string>;
    /** `protect` and `retainOnDelete` of the notice topics' key. Default false. */
    readonly protect?: boolean;
    /** Tags for every resource. Default none. */
    readonly tags?: Readonly<Record<string, string>>;
}

/** SNS topic name of a team's rotation notices: `<prefix>-key-rotation-<team>`. */
export const noticeTopicName = (prefix: string, team: string): string => `${prefix}-key-rotation-${team}`;

/** The teams that get a topic: every team with subscribers and every team a key names. */
const noticeTeams = (args: RotationNoticesArgs): string[] => [...new Set([...Object.keys(args.teamEmails ?? {}), ...args.keys.map((k) => k.team)])].sort();

/**
 * Rotation notices for the application teams: one KMS-encrypted SNS topic per team (email
 * subscribers from config), and per key an EventBridge rule on its rotation (KMS CMK Rotation for
 * encrypt keys, the alias move for sign and mac keys) whose input transformer names the key, its
 * alias, the time and the SQL Server keys to re-wrap. For kinds AWS cannot rotate, EventBridge
 * Scheduler schedules notify daily once the current generation reaches the cadence (the age
 * check) and when a previous generation reaches its retirement date.
 */
export class RotationNotices extends pulumi.ComponentResource {
    /** Topic ARN by team. */
    public readonly topicArns: pulumi.Output<Record<string, string>>;
    /** The key encrypting the notice topics. */
    public readonly topicKeyArn: pulumi.Output<string>;

    constructor(name: string, args: RotationNoticesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kms-observability:aws:RotationNotices", name, {}, opts);
        const { ctx } = args;
        const tags = { ...(args.tags ?? {}) };
        const prefix = args.namePrefix;
        const teams = noticeTeams(args);
        const plannedTopicArns = teams.map((t) => regionalArn(ctx, "sns", noticeTopicName(prefix, t)));

        const topicKey = new kms.Key(`${name}-topic-key`, {
            ...topicKeyBase(`Encrypts the ${prefix} key-rotation notice topics (${teams.join(", ")})`, args.topicKey),
            // EventBridge needs the key policy's service statement; Scheduler publishes as its role (IAM, below).
            policy: pulumi.all([args.adminRoleArn, args.recoveryRoleArn]).apply(([admin, recovery]) => JSON.stringify(topicKeyPolicy({
                ctx, topicArns: plannedTopicArns, administrators: [admin], recovery: [recovery], deployers: args.deployers,
            }))),
            tags,
        }, { parent: this, protect: args.protect ?? false, retainOnDelete: args.protect ?? false });
        new kms.Alias(`${name}-topic-key-alias`, { name: `alias/${prefix}-key-rotation-notices`, targetKeyId: topicKey.keyId }, { parent: this });

        const topics: Record<string, sns.Topic> = {};
        const rules: Record<string, pulumi.Output<string>[]> = {};
        for (const team of teams) {
            topics[team] = new sns.Topic(`${name}-${team}`, {
                name: noticeTopicName(prefix, team),
                displayName: `${prefix} key rotation (${team})`,
                kmsMasterKeyId: topicKey.arn,
                tags,
            }, { parent: this });
            rules[team] = [];
            for (const address of args.teamEmails?.[team] ?? []) {
                new sns.TopicSubscription(`${name}-${team}-${slug(address)}`, { topic: topics[team].arn, protocol: "email", endpoint: address }, { parent: this });
            }
        }

        for (const k of args.keys) {
            const id = `${name}-${keySlug(k.name)}`;
            const entry = mappingEntry(args.mapping, k.name);
            const rotating = autoRotates(k.kind);
            const rule = new cloudwatch.EventRule(id, {
                name: boundedName([prefix, "rotation", keySlug(k.name)]),
                description: `Rotation notice for ${k.name} to ${noticeTopicName(prefix, k.team)}`.slice(0, 512),
                eventPattern: entry.apply((e) => JSON.stringify(rotating ? rotationEventPattern(e.keyArn) : aliasMovedPattern(e.alias))),
                state: "ENABLED",
                tags,
            }, { parent: this });
            new cloudwatch.EventTarget(`${id}-target`, {
                rule: rule.name,
                targetId: `${k.team}-notices`,
                arn: topics[k.team].arn,
                inputTransformer: entry.apply((e) => (rotating ? rotationTransformer(k.name, e) : aliasMovedTransformer(k.name, e))),
            }, { parent: this });
            rules[k.team].push(rule.arn);
        }

        const scheduled = args.keys.filter((k) => !autoRotates(k.kind));
        // Scheduler publishes as its role: the topics' explicit publish deny must exempt exactly that role.
        const schedulerRole = scheduled.length > 0 ? this.schedules(name, args, scheduled, topics, topicKey) : undefined;

        for (const team of teams) {
            new sns.TopicPolicy(`${name}-${team}-policy`, {
                arn: topics[team].arn,
                policy: pulumi.all([topics[team].arn, pulumi.all(rules[team]), schedulerRole ?? ""]).apply(([topicArn, eventRuleArns, role]) =>
                    JSON.stringify(topicPolicy({ ctx, topicArn, eventRuleArns, alarmArns: [], publisherRoleArns: role ? [role] : [] }))),
            }, { parent: this });
        }

        this.topicArns = pulumi.all(Object.fromEntries(teams.map((t) => [t, topics[t].arn])));
        this.topicKeyArn = topicKey.arn;
        this.registerOutputs({ topicArns: this.topicArns, topicKeyArn: this.topicKeyArn });
    }

    /**
     * The age check of generation-rotated keys: from the current generation's created date + cadence
     * (and from each previous generation's retirement date) a daily 09:00 UTC schedule publishes to
     * the team topic until the stack file moves on (the next `pulumi up` replaces the schedule), through
     * a role only EventBridge Scheduler of this account assumes. A recurring schedule with `startDate`
     * rather than a one-time `at(...)`: it keeps reminding every day the rotation is overdue, and a
     * start date in the past is valid, whereas a one-time fire time in the past is rejected at create
     * (DefangLabs/pulumi-defang#425), which would block every deploy of an overdue stack
     * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html;
     * https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-templated.html).
     */
    private schedules(name: string, args: RotationNoticesArgs, keys: readonly RotationNoticeKey[], topics: Record<string, sns.Topic>, topicKey: kms.Key): pulumi.Output<string> {
        const { ctx } = args;
        const tags = { ...(args.tags ?? {}) };
        const role = new iam.Role(`${name}-scheduler-role`, {
            name: boundedName([args.namePrefix, "key-rotation-scheduler"]),
            description: "EventBridge Scheduler publishes key-rotation due and retirement notices",
            assumeRolePolicy: JSON.stringify(policyDocument({
                Sid: "SchedulerOfThisAccount", Effect: "Allow", Principal: { Service: ["scheduler.amazonaws.com"] }, Action: ["sts:AssumeRole"],
                Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
            })),
            tags,
        }, { parent: this });
        const teamTopics = [...new Set(keys.map((k) => k.team))].map((t) => topics[t].arn);
        new iam.RolePolicy(`${name}-scheduler-publish`, {
            name: "publish-rotation-notices",
            role: role.name,
            policy: pulumi.all([pulumi.all(teamTopics), topicKey.arn]).apply(([topicArns, keyArn]) => JSON.stringify(policyDocument(
                { Sid: "PublishNotices", Effect: "Allow", Action: ["sns:Publish"], Resource: [...topicArns].sort() },
                { Sid: "EncryptForTopics", Effect: "Allow", Action: SERVICE_ENVELOPE_ACTIONS, Resource: [keyArn] },
            ))),
        }, { parent: this });

        for (const k of keys) {
            const entry = mappingEntry(args.mapping, k.name);
            for (const p of plannedKeys(k)) {
                const g = p.generation;
                if (!g || p.role === "retired") continue;
                const [kind, date] = p.role === "current" ? ["due", rotationDue(g, k.rotationDays)] as const : ["retire", g.retire ?? ""] as const;
                new scheduler.Schedule(`${name}-${p.suffix}-${kind}`, {
                    name: boundedName([args.namePrefix, kind, p.suffix]),
                    description: `${kind === "due" ? "Rotation due" : "Retirement"} of ${k.name} generation ${g.id} since ${date} (daily until the stack file moves on)`,
                    scheduleExpression: "cron(0 9 * * ? *)",
                    scheduleExpressionTimezone: "UTC",
                    startDate: `${date}T09:00:00Z`,
                    flexibleTimeWindow: { mode: "OFF" },
                    target: { arn: topics[k.team].arn, roleArn: role.arn, input: entry.apply((e) => scheduledNotice(kind, k.name, e, g.id, date)) },
                }, { parent: this });
            }
        }
        return role.arn;
    }
}
