import { SLACK_CHANNEL } from "../shared/limits";
import { z } from "zod";
import { AlertingSettings } from "./alerting";
import { iamPrincipalArn } from "./common";
import { SecretValue } from "./secret";

/**
 * `kms-observability:amp` — Amazon Managed Service for Prometheus: a workspace that evaluates the same
 * rules and routes as the self-hosted Alertmanager, delivering through SNS (the only receiver AMP has).
 */

/** Slack ids as AWS Chatbot takes them (Slack's "Copy link" shows both). */
const slackTeamId = () => z.string().regex(/^T[A-Z0-9]{8,12}$/, {
    error: "must be a Slack workspace (team) id like T07EA123LEP, as shown in the AWS Chatbot console",
});
const slackChannelId = () => z.string().regex(/^[CG][A-Z0-9]{8,12}$/, {
    error: "must be a Slack channel id like C07EZ1ABC23 (channel details → bottom of the About tab)",
});

export const ampSection = z.object({
    /** Provision the workspace, rules, Alertmanager definition and SNS topics. Default false. */
    enabled: z.boolean().default(false),
    /**
     * Workspace alias (console name, not unique). Default `kms-observability`. Topics, roles and the
     * key alias are named with `aws.namePrefix`, like the AWS KMS resources.
     */
    workspaceAlias: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, {
        error: "must be 1-100 letters, digits, '_', '.' or '-', starting with a letter or digit",
    }).default("kms-observability"),
    /** Name of the rule group namespace holding the recording and alerting rules. Default `kms`. */
    ruleNamespace: z.string().regex(/^[0-9A-Za-z][-.0-9A-Za-z_]{0,63}$/, {
        error: "must be 1-64 letters, digits, '-', '.' or '_', starting with a letter or digit",
    }).default("kms"),
    /**
     * Principals allowed to assume the metrics-writer role (aps:RemoteWrite into the workspace), e.g.
     * the collectors' IRSA roles. Required (at least one) when enabled. Roles only: a role trusted by
     * IAM users or an account root is one people assume, which the policy pack holds to MFA and
     * one-hour sessions (aws-iam-emergency-role-mfa) that a metrics shipper cannot meet.
     */
    writerPrincipals: z.array(iamPrincipalArn().regex(/:(role\/|sts::\d{12}:assumed-role\/)|^arn:[^:]+:sts::/, {
        error: "must be an IAM role ARN (the collectors' roles): a role trusted by IAM users or an account root is a human role and needs MFA",
    })).default([]),
    /**
     * Roles that query the workspace besides Grafana's SigV4 role (`grafana.prometheus.sigV4.assumeRoleArn`,
     * always included). The workspace is encrypted with a customer managed key: only these (and the
     * writer role) may use it, through AMP only. Required (at least one) when enabled and Grafana signs
     * with its own credentials (no assumeRoleArn). Default none.
     */
    queryPrincipals: z.array(iamPrincipalArn()).default([]),
    /**
     * AWS Chatbot delivery to Slack (optional). The Slack workspace must already be authorized in the
     * Chatbot console. `channels` maps each Slack channel named in the alerting config (`#security-ops`)
     * to its id; each gets the topics of the receivers that post to that channel.
     */
    chatbot: z.object({
        slackTeamId: slackTeamId(),
        channels: z.record(
            z.string().regex(SLACK_CHANNEL, { error: "channel keys must be Slack channel names like #security-ops" }),
            slackChannelId(),
        ),
    }).strict().optional(),
}).strict().superRefine((s, ctx) => {
    if (s.enabled && s.writerPrincipals.length === 0) {
        ctx.addIssue({
            code: "custom", path: ["writerPrincipals"], input: s.writerPrincipals,
            message: "must name at least one IAM principal ARN when amp.enabled is true (who may remote-write metrics)",
        });
    }
}).prefault({});

export type AmpSettings = z.infer<typeof ampSection>;

/** The keys `checkAmpHeartbeat` reads. */
interface AmpHeartbeatInput {
    readonly amp: AmpSettings;
    readonly alerting: AlertingSettings;
    readonly heartbeatPingUrl?: unknown;
}

/**
 * The Watchdog on the AMP path: AMP delivers only to SNS, and an SNS email subscription to the dead
 * man's switch mailbox stays pending (nobody confirms it) until SNS deletes it after 48 hours. So AMP
 * pings the switch's HTTPS URL through a Lambda subscription instead (documents/aws/forwarder-source.ts),
 * and that URL is required whenever the heartbeat is configured.
 */
export function checkAmpHeartbeat(s: AmpHeartbeatInput, ctx: z.core.$RefinementCtx<AmpHeartbeatInput>): void {
    if (s.amp.enabled && s.alerting.heartbeatEmail !== undefined && !(s.heartbeatPingUrl instanceof SecretValue)) {
        ctx.addIssue({
            code: "custom", path: ["heartbeatPingUrl"], input: undefined,
            message: "must be set (pulumi config set --secret heartbeatPingUrl https://hc-ping.com/<uuid>) when amp.enabled and " +
                "alerting.heartbeatEmail are: AMP delivers only through SNS, whose email subscription to the switch would stay " +
                "unconfirmed and be deleted after 48 hours, so AMP pings the check's URL instead",
        });
    }
}

/** The keys `checkAmpQueryPrincipals` reads. */
interface AmpQueryInput {
    readonly amp: AmpSettings;
    readonly grafana: { readonly prometheus: { readonly sigV4: { readonly assumeRoleArn?: string } } };
}

/**
 * Cross-section rule: someone must be able to read the encrypted workspace. Grafana signing with the
 * credentials of its host names no role the key policy could grant.
 */
export function checkAmpQueryPrincipals(s: AmpQueryInput, ctx: z.core.$RefinementCtx<AmpQueryInput>): void {
    if (!s.amp.enabled || s.amp.queryPrincipals.length > 0 || s.grafana.prometheus.sigV4.assumeRoleArn) return;
    ctx.addIssue({
        code: "custom", path: ["amp", "queryPrincipals"], input: s.amp.queryPrincipals,
        message: "must name the role Grafana queries AMP with when grafana.prometheus.sigV4.assumeRoleArn is not set: " +
            "the workspace key admits only named principals, so Grafana could not read the encrypted workspace",
    });
}
