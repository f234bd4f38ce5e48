import { z } from "zod";
import { adoptSection } from "./adopt";
import { checkAdoption } from "./checks/adoption";
import { labels, secretString } from "./common";
import { awsSection } from "./aws";
import { alertingParsed, alertingSection, checkAlertingSecrets } from "./alerting";
import { ampSection, checkAmpHeartbeat, checkAmpQueryPrincipals } from "./amp";
import { gcpSection } from "./gcp";
import { checkGithubOidcAccount, githubSection } from "./github";
import { grafanaAlertingSection } from "./grafana-alerting";
import { checkGrafanaKeys, grafanaSection } from "./grafana";
import { checkAuditKey } from "./secrets";
import { checkAmpChatbot, checkGrafanaMirror } from "./checks/routing";

/** The project's namespace in stack files: every program setting is `kms-observability:<key>`. */
export const PROJECT = "kms-observability";

/**
 * Settings under `kms-observability:`. One structured key per concern (sections live in
 * config/<area>.ts); secrets are top-level keys of their own, because Pulumi marks a whole key
 * secret and a secret nested in a structured key could not be told apart from its neighbours.
 */
export const projectSchema = z.object({
    /** Which deployment this stack is: drives prod-only guarantees (protection, deletion windows). */
    environment: z.enum(["staging", "prod"]),
    /** `protect` and `retainOnDelete` for stateful resources (keys, datasets, buckets, environments). */
    protectStateful: z.boolean(),
    /** Labels/tags applied to every resource that takes them. */
    labels: labels().default({}),
    /** Cloud KMS audit logging (audit config, BigQuery + GCS sinks, log-based metrics): config/gcp.ts. */
    gcp: gcpSection,
    /** AWS KMS keys, key roles, key-event detection and topics: config/aws.ts. */
    aws: awsSection,
    /** The alert routing: receivers, channels, emails, timings: config/alerting.ts. */
    alerting: alertingSection,
    /** Amazon Managed Service for Prometheus: config/amp.ts. */
    amp: ampSection,
    /** The Grafana alerting mirror: config/grafana-alerting.ts. */
    grafanaAlerting: grafanaAlertingSection,
    /** Grafana folder, permissions, data sources and dashboards: config/grafana.ts. */
    grafana: grafanaSection,
    /** GitHub environments, OIDC roles, rotation workflow: config/github.ts. */
    github: githubSection,
    /** Existing resources this stack adopts (logical name -> import id) instead of creating: config/adopt.ts. Default none. */
    adopt: adoptSection,
    /** Slack incoming-webhook URL of `alerting.slack.channel` (secret). */
    slackWebhookUrl: secretString(),
    /** Slack incoming-webhook URL of `alerting.slack.criticalChannel` (secret); required when that channel is another one. */
    slackCriticalWebhookUrl: secretString().optional(),
    /** Slack incoming-webhook URL of `alerting.defaultReceiver.slackChannel` (secret); required when that channel is another one. */
    slackDefaultWebhookUrl: secretString().optional(),
    /** PagerDuty Events v2 routing key (secret); required when alerting.pagerduty.enabled. */
    pagerdutyRoutingKey: secretString().optional(),
    /**
     * HTTPS ping URL of the dead man's switch (secret: whoever knows it can keep the switch quiet),
     * e.g. https://hc-ping.com/<uuid>; required when AMP delivers the Watchdog (amp.enabled and
     * alerting.heartbeatEmail set), because AMP reaches it only through SNS (config/amp.ts).
     */
    heartbeatPingUrl: secretString().optional(),
    /** SMTP password (secret); required when alerting.email.authUsername is set. */
    smtpAuthPassword: secretString().optional(),
    /** GCP service-account key JSON of the Grafana audit data sources (secret); required when grafana.audit.auth is jwt. */
    grafanaAuditServiceAccountKey: secretString().optional(),
}).strict()
    .superRefine(checkAdoption)
    .superRefine(checkAlertingSecrets, { when: alertingParsed })
    .superRefine(checkAmpChatbot)
    .superRefine(checkAmpQueryPrincipals)
    .superRefine(checkAmpHeartbeat)
    .superRefine(checkGrafanaMirror)
    .superRefine(checkGrafanaKeys)
    .superRefine(checkAuditKey)
    .superRefine(checkGithubOidcAccount);

/** Provider settings, in the namespaces the providers themselves read (other keys there pass through). */
export const providerSchema = z.object({
    "aws:region": z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { error: "must be an AWS region like us-east-1" }),
    "gcp:project": z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, {
        error: "must be a GCP project id: 6-30 lower-case letters, digits or hyphens, starting with a letter",
    }),
    "gcp:region": z.string().regex(/^[a-z]+-[a-z]+\d$/, { error: "must be a GCP region like europe-west1" }).optional(),
    "grafana:url": z.url({ protocol: /^https?$/, error: "must be the Grafana base URL, http(s)://host[:port]" }),
    // Optional: CI passes the token as GRAFANA_AUTH from the deploy environment's secrets (docs/github.md,
    // "CI credential design"), so that no stack reader can decrypt it from the stack config.
    "grafana:auth": secretString().optional(),
    "github:owner": z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, { error: "must be a GitHub organization or user login" }),
    "github:token": secretString().optional(),
});

export type ProjectSettings = z.infer<typeof projectSchema>;
export type ProviderSettings = z.infer<typeof providerSchema>;

/** The validated settings the program is built from. */
export interface Settings extends ProjectSettings {
    /** Pulumi project and stack, and the stack file the values came from (for messages). */
    readonly project: string;
    readonly stack: string;
    readonly file: string;
    readonly providers: ProviderSettings;
}
