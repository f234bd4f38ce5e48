/**
 * The alerting settings as the alert catalog reads them, and which webhook secret serves which Slack
 * channel. Shared by config/alerting.ts (which validates the section: its parsed type satisfies
 * `AlertingInput`) and alerts/routing.ts (which builds the routing model from it), so that neither
 * imports the other. Plain types and pure functions only.
 */

/** Notification timings of one route (durations as Alertmanager writes them, e.g. `30s`, `5m`). */
export interface RouteTimings {
    readonly groupWait: string;
    readonly groupInterval: string;
    readonly repeatInterval: string;
}

/** The Slack channels of the alerting settings, as `SLACK_WEBHOOKS` reads them. */
export interface SlackChannels {
    readonly slack: { readonly channel: string; readonly criticalChannel: string };
    readonly defaultReceiver: { readonly slackChannel?: string };
}

/** The alerting settings the routing model is built from (`kms-observability:alerting`, parsed). */
export interface AlertingInput extends SlackChannels {
    readonly slack: SlackChannels["slack"] & { readonly criticalMention: "@channel" | "@here" };
    readonly email: {
        readonly to: string;
        readonly criticalTo: string;
        readonly from: string;
        readonly smarthost: string;
        readonly authUsername?: string;
        readonly requireTls: boolean;
    };
    readonly pagerduty: { readonly enabled: boolean };
    readonly timings: Readonly<Record<"critical" | "warning" | "info" | "heartbeat" | "default", RouteTimings>>;
    readonly groupBy: readonly string[];
    readonly defaultReceiver: SlackChannels["defaultReceiver"] & { readonly name: string; readonly email?: string };
    readonly heartbeatEmail?: string;
}

/** The top-level secret keys holding Slack incoming-webhook URLs. */
export type SlackWebhookKey = "slackWebhookUrl" | "slackCriticalWebhookUrl" | "slackDefaultWebhookUrl";

/**
 * Which channel setting each webhook secret serves, in precedence order. A Slack app's incoming
 * webhook is bound to the channel it was installed for: the `channel` of a message (Alertmanager's
 * slack_configs, Grafana's contact point) cannot redirect it, so every distinct channel needs a
 * webhook of its own. A channel named by two settings uses the first one's webhook.
 */
export const SLACK_WEBHOOKS: Readonly<Record<SlackWebhookKey, { readonly setting: string; readonly channel: (cfg: SlackChannels) => string | undefined }>> = {
    slackWebhookUrl: { setting: "alerting.slack.channel", channel: (cfg) => cfg.slack.channel },
    slackCriticalWebhookUrl: { setting: "alerting.slack.criticalChannel", channel: (cfg) => cfg.slack.criticalChannel },
    slackDefaultWebhookUrl: { setting: "alerting.defaultReceiver.slackChannel", channel: (cfg) => cfg.defaultReceiver.slackChannel },
};

/** Each Slack channel the alerting config posts to, with the webhook secret that reaches it (pure). */
export function slackWebhookKeys(cfg: SlackChannels): ReadonlyMap<string, SlackWebhookKey> {
    const out = new Map<string, SlackWebhookKey>();
    for (const [key, { channel }] of Object.entries(SLACK_WEBHOOKS) as [SlackWebhookKey, (typeof SLACK_WEBHOOKS)[SlackWebhookKey]][]) {
        const c = channel(cfg);
        if (c !== undefined && !out.has(c)) out.set(c, key);
    }
    return out;
}
