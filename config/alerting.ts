import { SLACK_CHANNEL } from "../shared/limits";
import { z } from "zod";
import { duration, durationSeconds, email } from "./common";
import { SecretValue } from "./secret";
import { SLACK_WEBHOOKS, SlackWebhookKey, slackWebhookKeys } from "../shared/alerting";

/**
 * `kms-observability:alerting` — where KMS alerts go and how fast (seed 001's Alertmanager routing).
 * Credentials are NOT here: the Slack webhooks (`SLACK_WEBHOOKS`), `pagerdutyRoutingKey` and
 * `smtpAuthPassword` are top-level secret keys (see projectSchema), rendered into alertmanager.yml
 * only as `*_file` paths.
 */

/** A Slack channel as Alertmanager's `channel:` takes it: `#` and the channel name. */
export const slackChannel = () => z.string().regex(SLACK_CHANNEL, {
    error: "must be a Slack channel name starting with # (lower-case letters, digits, '-', '_' or '.'), e.g. #security-ops",
});

/** A Prometheus label name (group_by, equal). */
const labelName = () => z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, {
    error: "must be a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)",
});

/** A duration Alertmanager accepts where zero is meaningless (group_interval, repeat_interval). */
const positiveDuration = () => duration().refine((d) => durationSeconds(d) > 0, { error: "must be a duration above zero, like 30s, 5m or 2h" });

/**
 * Notification timings of one route: how long a new group waits for companions (`groupWait`),
 * how often a changed group is re-notified (`groupInterval`) and an unchanged one repeated
 * (`repeatInterval`, at least `groupInterval`).
 */
export const routeTimings = z.object({
    groupWait: duration(),
    groupInterval: positiveDuration(),
    repeatInterval: positiveDuration(),
}).strict().superRefine((t, ctx) => {
    if (durationSeconds(t.repeatInterval) < durationSeconds(t.groupInterval)) {
        ctx.addIssue({
            code: "custom", path: ["repeatInterval"], input: t.repeatInterval,
            message: `must be at least groupInterval (${t.groupInterval}): Alertmanager cannot repeat faster than it flushes`,
        });
    }
});

export type RouteTimings = z.infer<typeof routeTimings>;

/** Seed 001: critical 10s/2m/30m, warning 30s/5m/2h; info and the rest are deliberately slow. */
export const DEFAULT_TIMINGS = {
    critical: { groupWait: "10s", groupInterval: "2m", repeatInterval: "30m" },
    warning: { groupWait: "30s", groupInterval: "5m", repeatInterval: "2h" },
    info: { groupWait: "1m", groupInterval: "10m", repeatInterval: "24h" },
    heartbeat: { groupWait: "0s", groupInterval: "1m", repeatInterval: "5m" },
    default: { groupWait: "30s", groupInterval: "5m", repeatInterval: "4h" },
} as const satisfies Record<string, RouteTimings>;

export const alertingSection = z.object({
    /** Slack delivery: one incoming webhook per distinct channel (see `SLACK_WEBHOOKS`). */
    slack: z.object({
        /** Channel for every KMS alert. Default `#security-ops`. */
        channel: slackChannel().default("#security-ops"),
        /** Extra channel for critical alerts. Default `#security-critical`. */
        criticalChannel: slackChannel().default("#security-critical"),
        /** Mention prefixed to critical messages. Default `@channel`. */
        criticalMention: z.enum(["@channel", "@here"], { error: "must be @channel or @here" }).default("@channel"),
    }).strict().prefault({}),
    /** Email delivery through an SMTP relay. */
    email: z.object({
        /** Recipient of every KMS alert, e.g. secops@ledger-mind.org. */
        to: email(),
        /** Additional recipient of critical alerts, e.g. oncall@ledger-mind.org. */
        criticalTo: email(),
        /** Sender address. */
        from: email(),
        /** SMTP relay as host:port. */
        smarthost: z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:\d{1,5}$/, {
            error: "must be an SMTP relay as host:port, e.g. smtp.ledger-mind.org:587",
        }),
        /** SMTP user; when set, the `smtpAuthPassword` secret is required. Default: no authentication. */
        authUsername: z.string().min(1, { error: "must be a non-empty SMTP user name" }).optional(),
        /** Refuse to send without STARTTLS. Default true. */
        requireTls: z.boolean().default(true),
    }).strict(),
    /** PagerDuty Events v2 for critical alerts; needs the `pagerdutyRoutingKey` secret. Default disabled. */
    pagerduty: z.object({
        enabled: z.boolean().default(false),
    }).strict().prefault({}),
    /** Timings per severity route (keys: critical, warning, info, heartbeat, default). Defaults: DEFAULT_TIMINGS. */
    timings: z.object({
        critical: routeTimings.default(DEFAULT_TIMINGS.critical),
        warning: routeTimings.default(DEFAULT_TIMINGS.warning),
        info: routeTimings.default(DEFAULT_TIMINGS.info),
        heartbeat: routeTimings.default(DEFAULT_TIMINGS.heartbeat),
        default: routeTimings.default(DEFAULT_TIMINGS.default),
    }).strict().prefault({}),
    /** Labels alerts are grouped by. Default alertname, env, service (one notification per alert per deployment). */
    groupBy: z.array(labelName()).min(1, { error: "must name at least one label" }).default(["alertname", "env", "service"]),
    /** Receiver of every non-KMS alert that reaches this Alertmanager. */
    defaultReceiver: z.object({
        /** Receiver name. Default `team-ops`. */
        name: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, { error: "must be 2-63 lower-case letters, digits or '-', starting with a letter" })
            .refine((n) => !n.startsWith("kms-") && n !== "watchdog-heartbeat", { error: "must not reuse a KMS receiver name (kms-*, watchdog-heartbeat)" })
            .default("team-ops"),
        /** Slack channel of the default receiver. Default: none. */
        slackChannel: slackChannel().optional(),
        /** Email recipient of the default receiver. Default: none. */
        email: email().optional(),
    }).strict().prefault({}),
    /**
     * Where the always-firing Watchdog is delivered: a dead man's switch mailbox (healthchecks.io,
     * Dead Man's Snitch) that alarms when the heartbeat stops. Default: none (visible in the Alertmanager UI only).
     */
    heartbeatEmail: email().optional(),
    /** Runbook document; each alert links to `<runbookUrl>#<alert anchor>`. */
    runbookUrl: z.url({ protocol: /^https$/, error: "must be an https URL of the runbook document" })
        .default("https://github.com/ledger-mind/kms-observability/blob/main/docs/runbooks/kms-alerts.md"),
    /** Grafana base URL for dashboard links. Default: the provider's `grafana:url`. */
    grafanaUrl: z.url({ protocol: /^https?$/, error: "must be the Grafana base URL, http(s)://host[:port]" }).optional(),
    /** Directory where the self-hosted Alertmanager finds its credential files. Default `/etc/alertmanager/secrets`. */
    secretsDir: z.string().regex(/^\/[A-Za-z0-9._/-]*[^/]$/, { error: "must be an absolute directory path without a trailing /" })
        .default("/etc/alertmanager/secrets"),
}).strict();

export type AlertingSettings = z.infer<typeof alertingSection>;

/** The secret keys the alerting section depends on (checked across keys by `checkAlertingSecrets`). */
interface AlertingSecretsInput {
    readonly alerting: AlertingSettings;
    readonly slackWebhookUrl?: unknown;
    readonly slackCriticalWebhookUrl?: unknown;
    readonly slackDefaultWebhookUrl?: unknown;
    readonly pagerdutyRoutingKey?: unknown;
    readonly smtpAuthPassword?: unknown;
}

/**
 * Run the cross-key check whenever the alerting section itself parsed, even if other sections have
 * problems, so every problem of the stack file is reported at once (zod skips it by default).
 */
export const alertingParsed = (payload: z.core.ParsePayload): boolean =>
    !payload.issues.some((i) => i.path?.[0] === "alerting");

/**
 * Slack rules: the webhook of every channel the routing posts to is set (`slackWebhookUrl` is required
 * by the schema itself), an optional one that no channel uses is refused (it would look routed but
 * never be), and no two channels share one webhook URL (it would post both channels' messages to one).
 */
function checkSlackWebhooks(s: AlertingSecretsInput, ctx: z.core.$RefinementCtx<AlertingSecretsInput>): void {
    const used = slackWebhookKeys(s.alerting);
    const usedBy = new Map([...used].map(([channel, key]) => [key, channel]));
    for (const key of ["slackCriticalWebhookUrl", "slackDefaultWebhookUrl"] as const) {
        const { setting, channel } = SLACK_WEBHOOKS[key];
        const configured = channel(s.alerting);
        if (usedBy.has(key) && s[key] === undefined) {
            ctx.addIssue({
                code: "custom", path: [key], input: undefined,
                message: `must be set (pulumi config set --secret ${key} <incoming-webhook URL of ${configured}>) because ${setting} ` +
                    `(${configured}) is a channel of its own: a Slack incoming webhook posts only to the channel it was created for`,
            });
        }
        // Only a SecretValue: a plaintext value is reported (never echoed) by its own key's schema.
        if (!usedBy.has(key) && s[key] instanceof SecretValue) {
            const owner = configured === undefined ? undefined : used.get(configured);
            ctx.addIssue({
                code: "custom", path: [key], input: s[key],
                message: "is set but no channel uses it: " + (owner === undefined ? `${setting} is not set`
                    : `${setting} (${configured}) is the channel of ${SLACK_WEBHOOKS[owner].setting}, which posts with ${owner}`) +
                    `; remove it (pulumi config rm ${key})`,
            });
        }
    }
    const byValue = new Map<string, SlackWebhookKey>();
    for (const [channel, key] of used) {
        const secret = s[key];
        if (!(secret instanceof SecretValue)) continue;
        const value = secret.reveal();
        const first = byValue.get(value);
        if (first === undefined) {
            byValue.set(value, key);
            continue;
        }
        ctx.addIssue({
            code: "custom", path: [key], input: secret,
            message: `must be another webhook than ${first}: it posts to ${channel}, ${first} to ${usedBy.get(first)}, ` +
                "and a Slack incoming webhook posts only to the channel it was created for",
        });
    }
}

/** Cross-key rules: a secret is required exactly when the section uses it. */
export function checkAlertingSecrets(s: AlertingSecretsInput, ctx: z.core.$RefinementCtx<AlertingSecretsInput>): void {
    checkSlackWebhooks(s, ctx);
    if (s.alerting.pagerduty.enabled && s.pagerdutyRoutingKey === undefined) {
        ctx.addIssue({
            code: "custom", path: ["pagerdutyRoutingKey"], input: undefined,
            message: "must be set (pulumi config set --secret pagerdutyRoutingKey <Events v2 integration key>) when alerting.pagerduty.enabled is true",
        });
    }
    if (s.alerting.email.authUsername !== undefined && s.smtpAuthPassword === undefined) {
        ctx.addIssue({
            code: "custom", path: ["smtpAuthPassword"], input: undefined,
            message: "must be set (pulumi config set --secret smtpAuthPassword <password>) when alerting.email.authUsername is set",
        });
    }
}
