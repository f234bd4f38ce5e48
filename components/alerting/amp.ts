import { MAX_SESSION_SECONDS, slug, topicName as receiverTopic, ROTATION_DAYS } from "../../shared/limits";
import * as pulumi from "@pulumi/pulumi";
import * as amp from "@pulumi/aws/amp";
import * as chatbot from "@pulumi/aws/chatbot";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import * as sns from "@pulumi/aws/sns";
import { RECEIVERS, RoutingModel } from "../../alerts/routing";
import { ArnContext, regionalArn } from "../../documents/aws/document";
import { roleKeysPolicy } from "../../documents/aws/roles";
import { ampKeyPolicy, ampTopicPolicy, chatbotPolicy, chatbotTrustPolicy, topicArnOf, writerPolicy, writerTrustPolicy } from "../../documents/aws/alerting";
import { renderAmpDefinition } from "../../alerts/render-amp";
import { SnsForwarder } from "./forwarder";
import { PAGERDUTY_EVENTS_URL } from "../../documents/aws/forwarder-source";

export interface ManagedPrometheusArgs {
    /** Partition, region and account the workspace and topics live in. */
    readonly ctx: ArnContext;
    /** Workspace alias. */
    readonly workspaceAlias: string;
    /** Name of the rule group namespace. */
    readonly ruleNamespace: string;
    /** The Prometheus rule file (YAML `groups:`) the workspace evaluates: the self-hosted rules, verbatim. */
    readonly rules: string;
    /** The routing model (receivers, route tree, inhibitions) the Alertmanager definition renders. */
    readonly routing: RoutingModel;
    /**
     * SNS topics that already exist for some receivers (the AWS KMS component's `kms-critical` and
     * `kms-security`), by receiver name. Their owner must let this account's AMP workspaces publish and
     * encrypt, and subscribes their recipients. Default: none, a topic is created for every receiver.
     */
    readonly existingTopicArns?: Readonly<Record<string, pulumi.Input<string>>>;
    /**
     * Prefix of every named resource (config `aws.namePrefix`): topics `<prefix>-<receiver>`, roles
     * `<prefix>-amp-writer` / `<prefix>-amp-chatbot`, key alias `alias/<prefix>-amp`.
     */
    readonly namePrefix: string;
    /** Principals that run `pulumi up`, exempt from the MFA deny of the key policy (config `aws.deployers`). */
    readonly keyDeployers: readonly string[];
    /** Principals allowed to assume the metrics-writer role (at least one). */
    readonly writerPrincipals: readonly string[];
    /**
     * The key-governance roles (KeyGovernance): KeyManagementAdmin administers the workspace key,
     * KeyRecoveryAdmin may cancel its deletion and re-enable it, as for the data keys.
     */
    readonly keyRoles: {
        readonly admin: { readonly name: pulumi.Input<string>; readonly arn: pulumi.Input<string> };
        readonly recovery: { readonly name: pulumi.Input<string>; readonly arn: pulumi.Input<string> };
    };
    /**
     * Roles that query the workspace (Grafana's SigV4 role): granted the workspace key through AMP
     * only (`kms:ViaService`), without which they cannot read the encrypted data. Must exist before
     * the key (KMS rejects a policy naming an unknown principal). Default none.
     */
    readonly queryPrincipals?: readonly string[];
    /**
     * The dead man's switch ping URL (secret). The heartbeat receiver's topic is forwarded to it by a
     * Lambda function; its email integration is not subscribed (an SNS email subscription to the
     * switch would never be confirmed). Required when the heartbeat receiver has an email integration.
     */
    readonly heartbeatPingUrl?: pulumi.Input<string>;
    /**
     * PagerDuty Events API v2 routing key (secret). AMP's Alertmanager delivers only to SNS: each
     * receiver with a PagerDuty integration gets a Lambda subscription on its topic that opens and
     * resolves PagerDuty incidents. Required when the routing model pages PagerDuty.
     */
    readonly pagerdutyRoutingKey?: pulumi.Input<string>;
    /** AWS Chatbot delivery: Slack team id and channel name → channel id. Default: no Chatbot. */
    readonly chatbot?: { readonly slackTeamId: string; readonly channels: Readonly<Record<string, string>> };
    /** `protect` and `retainOnDelete` for the workspace (metrics) and its key. Default false. */
    readonly protectStateful?: boolean;
    /** Tags for every taggable resource. Default none. */
    readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Amazon Managed Service for Prometheus for the KMS alerts: a workspace that evaluates the same
 * rules as the self-hosted Prometheus and routes them through the same tree, delivering to one
 * encrypted SNS topic per receiver (email subscriptions, Slack through AWS Chatbot), plus a
 * metrics-writer role for teams that ship metrics to it.
 */
export class ManagedPrometheus extends pulumi.ComponentResource {
    public readonly workspaceId: pulumi.Output<string>;
    public readonly workspaceArn: pulumi.Output<string>;
    /** Prometheus remote-write endpoint (SigV4-signed, `aps:RemoteWrite`). */
    public readonly remoteWriteUrl: pulumi.Output<string>;
    /** Prometheus HTTP API query endpoint. */
    public readonly queryUrl: pulumi.Output<string>;
    public readonly writerRoleArn: pulumi.Output<string>;
    /** SNS topic ARN per receiver (reused and created). */
    public readonly topicArns: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: ManagedPrometheusArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kms-observability:alerting:ManagedPrometheus", name, {}, opts);
        const { ctx } = args;
        const receivers = args.routing.receivers.map((r) => r.name);
        const existing = args.existingTopicArns ?? {};
        const unknown = Object.keys(existing).filter((k) => !receivers.includes(k));
        if (unknown.length > 0) {
            throw new pulumi.ResourceError(`existingTopicArns names ${unknown.join(", ")}, not receivers of the routing model (${receivers.join(", ")})`, this);
        }
        if (args.writerPrincipals.length === 0) throw new pulumi.ResourceError("writerPrincipals must name at least one principal", this);
        const tags = { ...(args.tags ?? {}) };
        const stateful = { protect: args.protectStateful ?? false, retainOnDelete: args.protectStateful ?? false };

        // Receivers without an existing topic get one here.
        const created = args.routing.receivers.filter((r) => existing[r.name] === undefined);
        const topicName = (receiver: string) => receiverTopic(args.namePrefix, receiver);

        // The writer role comes first: the key's policy names it (KMS rejects unknown principals).
        const writer = new iam.Role(`${name}-writer`, {
            name: `${args.namePrefix}-amp-writer`,
            description: `Remote-writes metrics into the AMP workspace ${args.workspaceAlias}`,
            assumeRolePolicy: JSON.stringify(writerTrustPolicy(args.writerPrincipals)),
            maxSessionDuration: MAX_SESSION_SECONDS,
            tags,
        }, { parent: this });

        // One customer managed key encrypts the stored metrics and the topics created here.
        const key = new kms.Key(`${name}-key`, {
            description: `Encrypts the AMP workspace ${args.workspaceAlias} and its alert topics`,
            enableKeyRotation: true,
            rotationPeriodInDays: ROTATION_DAYS,
            deletionWindowInDays: 30,
            // KMS refuses a policy that would lock the caller out; keep that check on.
            bypassPolicyLockoutSafetyCheck: false,
            policy: pulumi.all([args.keyRoles.admin.arn, args.keyRoles.recovery.arn, writer.arn]).apply(([admin, recovery, writerArn]) =>
                JSON.stringify(ampKeyPolicy({
                    ctx, topicArns: created.map((r) => topicArnOf(ctx, topicName(r.name))), deployers: args.keyDeployers,
                    administrators: [admin], recovery: [recovery], workspaceUsers: [...(args.queryPrincipals ?? []), writerArn],
                }))),
            tags,
        }, { parent: this, ...stateful });
        const keyAlias = new kms.Alias(`${name}-key-alias`, { name: `alias/${args.namePrefix}-amp`, targetKeyId: key.keyId }, { parent: this });
        // Governed like the data keys: the roles' inline policies cover this key as well.
        for (const kind of ["admin", "recovery"] as const) {
            new iam.RolePolicy(`${name}-${kind}-amp-key`, {
                name: "amp-workspace-key",
                role: args.keyRoles[kind].name,
                policy: key.arn.apply((keyArn) => JSON.stringify(roleKeysPolicy(kind, [keyArn], [regionalArn(ctx, "kms", `alias/${args.namePrefix}-amp`)]))),
            }, { parent: this, dependsOn: [keyAlias] });
        }

        const workspace = new amp.Workspace(`${name}-workspace`, { alias: args.workspaceAlias, kmsKeyArn: key.arn, tags }, { parent: this, ...stateful });

        new amp.RuleGroupNamespace(`${name}-rules`, {
            workspaceId: workspace.id, name: args.ruleNamespace, data: args.rules, tags,
        }, { parent: this });

        const topics: Record<string, pulumi.Input<string>> = { ...existing };
        for (const r of created) {
            const topic = new sns.Topic(`${name}-${r.name}`, {
                name: topicName(r.name), displayName: `KMS alerts: ${r.name}`, kmsMasterKeyId: key.arn, tags,
            }, { parent: this });
            new sns.TopicPolicy(`${name}-${r.name}-policy`, {
                arn: topic.arn,
                policy: pulumi.all([topic.arn, workspace.arn]).apply(([t, w]) => JSON.stringify(ampTopicPolicy(ctx, t, w))),
            }, { parent: this });
            for (const i of r.integrations) {
                if (i.kind !== "email" || r.name === RECEIVERS.heartbeat) continue;
                new sns.TopicSubscription(`${name}-${r.name}-${slug(i.to)}`, {
                    topic: topic.arn, protocol: "email", endpoint: i.to,
                }, { parent: this });
            }
            topics[r.name] = topic.arn;
        }
        this.topicArns = pulumi.output(topics) as pulumi.Output<Record<string, string>>;
        this.forwarders(name, args, topics, tags);

        const chatbotReceivers = this.chatbot(name, args, tags);

        new amp.AlertManagerDefinition(`${name}-alertmanager`, {
            workspaceId: workspace.id,
            definition: this.topicArns.apply((topicArns) =>
                renderAmpDefinition({ routing: args.routing, topicArns, region: ctx.region, chatbotReceivers })),
        }, { parent: this });

        new iam.RolePolicy(`${name}-writer-remote-write`, {
            role: writer.name, policy: workspace.arn.apply((a) => JSON.stringify(writerPolicy(a))),
        }, { parent: this });

        this.workspaceId = workspace.id;
        this.workspaceArn = workspace.arn;
        this.remoteWriteUrl = workspace.prometheusEndpoint.apply((e) => `${e.replace(/\/$/, "")}/api/v1/remote_write`);
        this.queryUrl = workspace.prometheusEndpoint.apply((e) => `${e.replace(/\/$/, "")}/api/v1/query`);
        this.writerRoleArn = writer.arn;
        this.registerOutputs({
            workspaceId: this.workspaceId, workspaceArn: this.workspaceArn, remoteWriteUrl: this.remoteWriteUrl,
            queryUrl: this.queryUrl, writerRoleArn: this.writerRoleArn, topicArns: this.topicArns,
        });
    }

    /**
     * Deliveries SNS cannot make by itself (forwarder-source.ts): the Watchdog to the dead man's
     * switch's ping URL, and PagerDuty incidents for the receivers that page.
     */
    private forwarders(name: string, args: ManagedPrometheusArgs, topics: Record<string, pulumi.Input<string>>, tags: Record<string, string>): void {
        for (const r of args.routing.receivers) {
            if (r.name === RECEIVERS.heartbeat && r.integrations.some((i) => i.kind === "email")) {
                if (args.heartbeatPingUrl === undefined) {
                    throw new pulumi.ResourceError("the heartbeat receiver needs heartbeatPingUrl: an SNS email subscription to the switch is never confirmed", this);
                }
                new SnsForwarder(`${name}-${r.name}-ping`, {
                    ctx: args.ctx, topicArn: topics[r.name], mode: "heartbeat", targetUrl: args.heartbeatPingUrl,
                    functionName: `${args.namePrefix}-amp-heartbeat`, tags,
                }, { parent: this });
            }
            if (r.integrations.some((i) => i.kind === "pagerduty")) {
                if (args.pagerdutyRoutingKey === undefined) throw new pulumi.ResourceError(`receiver ${r.name} pages PagerDuty but no pagerdutyRoutingKey was given`, this);
                new SnsForwarder(`${name}-${r.name}-pagerduty`, {
                    ctx: args.ctx, topicArn: topics[r.name], mode: "pagerduty", targetUrl: PAGERDUTY_EVENTS_URL,
                    routingKey: args.pagerdutyRoutingKey, functionName: `${args.namePrefix}-amp-pagerduty-${r.name}`.slice(0, 59), tags,
                }, { parent: this });
            }
        }
    }

    /**
     * One Chatbot channel configuration per configured Slack channel, subscribed to the topics of the
     * receivers that post there. Returns those receivers: their messages must use Chatbot's format.
     */
    private chatbot(name: string, args: ManagedPrometheusArgs, tags: Record<string, string>): string[] {
        if (!args.chatbot) return [];
        const role = new iam.Role(`${name}-chatbot`, {
            name: `${args.namePrefix}-amp-chatbot`,
            description: "AWS Chatbot relays KMS alerts to Slack (notifications only)",
            assumeRolePolicy: JSON.stringify(chatbotTrustPolicy()),
            tags,
        }, { parent: this });
        new iam.RolePolicy(`${name}-chatbot-read`, { role: role.name, policy: JSON.stringify(chatbotPolicy()) }, { parent: this });
        const fed = new Set<string>();
        for (const [channel, channelId] of Object.entries(args.chatbot.channels)) {
            const receivers = args.routing.receivers
                .filter((r) => r.integrations.some((i) => i.kind === "slack" && i.channel === channel))
                .map((r) => r.name);
            receivers.forEach((r) => fed.add(r));
            const slug = channel.slice(1).replace(/[^A-Za-z0-9_-]/g, "-");
            new chatbot.SlackChannelConfiguration(`${name}-slack-${slug}`, {
                configurationName: `${args.namePrefix}-${slug}`,
                slackTeamId: args.chatbot.slackTeamId,
                slackChannelId: channelId,
                iamRoleArn: role.arn,
                // The default guardrail is AdministratorAccess: cap the channel at CloudWatch read-only.
                guardrailPolicyArns: [`arn:${args.ctx.partition}:iam::aws:policy/CloudWatchReadOnlyAccess`],
                userAuthorizationRequired: true,
                loggingLevel: "ERROR",
                snsTopicArns: this.topicArns.apply((t) => receivers.map((r) => t[r])),
                tags,
            }, { parent: this });
        }
        return [...fed].sort();
    }
}
