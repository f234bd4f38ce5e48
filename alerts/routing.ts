import { AlertingInput, RouteTimings, SlackWebhookKey, slackWebhookKeys } from "../shared/alerting";
import { RoutedSeverity } from "../shared/severity";

/**
 * The routing of KMS alerts as provider-neutral data: receivers, the route tree and inhibitions.
 * Built once from the alerting config by `buildRouting`; the self-hosted Alertmanager renderer,
 * AMP's Alertmanager definition and the Grafana notification-policy mirror all translate this one
 * model, so the three cannot drift apart. Plain data only: no Pulumi types, no secret values.
 */

/** Receiver names (seed 001) that other code and the docs refer to. */
export const RECEIVERS = {
    /** Critical KMS alerts: both Slack channels with a mention, both mailboxes, PagerDuty if enabled. */
    critical: "kms-critical",
    /** Warning KMS alerts: #security-ops and secops@. */
    warning: "kms-security",
    /** Informational KMS alerts: #security-ops only, no email, no resolution messages (low noise). */
    info: "kms-info",
    /** The Watchdog: the dead man's switch mailbox, if configured. */
    heartbeat: "watchdog-heartbeat",
} as const satisfies Record<RoutedSeverity | "heartbeat", string>;

/** Matches every KMS alert (seed 001). */
export const KMS_ALERTNAME_REGEX = "^KMS.*";

/** Name of the always-firing pipeline heartbeat alert. */
export const WATCHDOG = "Watchdog";

/** One label matcher, as Alertmanager (`name="value"`) and Grafana (`[name, type, value]`) both express it. */
export interface Matcher {
    readonly name: string;
    readonly type: "=" | "!=" | "=~" | "!~";
    readonly value: string;
}

/**
 * Which top-level config secret an integration's credential comes from. Renderers turn it into a
 * `*_file` path (self-hosted), a secret input (Grafana) or leave it out (AMP delivers via SNS).
 */
export type CredentialKey = SlackWebhookKey | "pagerdutyRoutingKey" | "smtpAuthPassword";

/**
 * A Slack message to `channel` through the incoming webhook held in `credential`: the webhook of
 * that very channel (a Slack incoming webhook cannot post elsewhere; see `SLACK_WEBHOOKS`).
 */
export interface SlackIntegration {
    readonly kind: "slack";
    /** Channel with its `#`, e.g. `#security-critical`. */
    readonly channel: string;
    /** Mention prefixed to the message (`@channel`), if any. */
    readonly mention?: "@channel" | "@here";
    /** Also post when the alert resolves. */
    readonly sendResolved: boolean;
    readonly credential: SlackWebhookKey;
}

/** An email to one address through the SMTP relay of `RoutingModel.smtp`. */
export interface EmailIntegration {
    readonly kind: "email";
    readonly to: string;
    readonly sendResolved: boolean;
}

/** A PagerDuty Events v2 incident, routing key from `credential`. */
export interface PagerDutyIntegration {
    readonly kind: "pagerduty";
    /** PagerDuty severity of the event. */
    readonly severity: "critical" | "error" | "warning" | "info";
    readonly sendResolved: boolean;
    readonly credential: "pagerdutyRoutingKey";
}

export type Integration = SlackIntegration | EmailIntegration | PagerDutyIntegration;

/** A named destination; an empty `integrations` list is a valid "null" receiver (visible in the UI only). */
export interface Receiver {
    readonly name: string;
    /** What it is for, for docs and resource descriptions. */
    readonly description: string;
    readonly integrations: readonly Integration[];
}

/**
 * A node of the route tree. Every node carries its timings and grouping explicitly (no inheritance
 * to resolve), so each provider can render a node on its own.
 */
export interface Route {
    readonly receiver: string;
    /** All must match (AND). Empty on the root. */
    readonly matchers: readonly Matcher[];
    readonly groupBy: readonly string[];
    readonly groupWait: string;
    readonly groupInterval: string;
    readonly repeatInterval: string;
    /** Keep evaluating sibling routes after this one matched. */
    readonly continue: boolean;
    /** Children, first match wins (unless `continue`). */
    readonly routes: readonly Route[];
}

/** While an alert matching `source` fires, alerts matching `target` with the same `equal` label values are muted. */
export interface InhibitRule {
    /** Why, for docs. */
    readonly description: string;
    readonly source: readonly Matcher[];
    readonly target: readonly Matcher[];
    /** Labels both sides carry and must agree on (e.g. the same env and service). */
    readonly equal: readonly string[];
}

/** SMTP relay for email integrations. */
export interface SmtpSettings {
    readonly from: string;
    /** host:port */
    readonly smarthost: string;
    readonly authUsername?: string;
    /** Present when `authUsername` is: the password comes from this config secret. */
    readonly credential?: "smtpAuthPassword";
    readonly requireTls: boolean;
}

/** The whole routing configuration. */
export interface RoutingModel {
    readonly receivers: readonly Receiver[];
    /** Root route: catches everything, sends to the default receiver. */
    readonly route: Route;
    readonly inhibitRules: readonly InhibitRule[];
    readonly smtp: SmtpSettings;
}

const eq = (name: string, value: string): Matcher => ({ name, type: "=", value });
const KMS: Matcher = { name: "alertname", type: "=~", value: KMS_ALERTNAME_REGEX };

/** The routing model for an alerting config (pure). */
export function buildRouting(cfg: AlertingInput): RoutingModel {
    const webhooks = slackWebhookKeys(cfg);
    const slack = (channel: string, sendResolved: boolean, mention?: "@channel" | "@here"): SlackIntegration => {
        const credential = webhooks.get(channel);
        if (credential === undefined) throw new Error(`no Slack webhook for ${channel}: slackWebhookKeys misses a channel setting`);
        return { kind: "slack", channel, sendResolved, credential, ...(mention ? { mention } : {}) };
    };
    const mail = (to: string, sendResolved: boolean): EmailIntegration => ({ kind: "email", to, sendResolved });

    const receivers: Receiver[] = [
        {
            name: cfg.defaultReceiver.name,
            description: "Every alert that is neither a KMS alert nor the Watchdog.",
            integrations: [
                ...(cfg.defaultReceiver.slackChannel ? [slack(cfg.defaultReceiver.slackChannel, true)] : []),
                ...(cfg.defaultReceiver.email ? [mail(cfg.defaultReceiver.email, true)] : []),
            ],
        },
        {
            name: RECEIVERS.critical,
            description: "Critical KMS alerts: page on-call and the security team.",
            integrations: [
                slack(cfg.slack.criticalChannel, true, cfg.slack.criticalMention),
                slack(cfg.slack.channel, true),
                mail(cfg.email.criticalTo, true),
                mail(cfg.email.to, true),
                ...(cfg.pagerduty.enabled
                    ? [{ kind: "pagerduty", severity: "critical", sendResolved: true, credential: "pagerdutyRoutingKey" } as const]
                    : []),
            ],
        },
        {
            name: RECEIVERS.warning,
            description: "Warning KMS alerts: the security team's channel and mailbox.",
            integrations: [slack(cfg.slack.channel, true), mail(cfg.email.to, true)],
        },
        {
            name: RECEIVERS.info,
            description: "Informational KMS alerts (e.g. a backend restart): the security channel, no email, no resolution noise.",
            integrations: [slack(cfg.slack.channel, false)],
        },
        {
            name: RECEIVERS.heartbeat,
            description: "The always-firing Watchdog, for a dead man's switch that alarms when it stops arriving.",
            integrations: cfg.heartbeatEmail ? [mail(cfg.heartbeatEmail, false)] : [],
        },
    ];

    const node = (receiver: string, matchers: Matcher[], t: RouteTimings, routes: Route[] = []): Route => ({
        receiver, matchers, groupBy: [...cfg.groupBy],
        groupWait: t.groupWait, groupInterval: t.groupInterval, repeatInterval: t.repeatInterval,
        continue: false, routes,
    });
    const bySeverity = (s: RoutedSeverity) => node(RECEIVERS[s], [eq("severity", s)], cfg.timings[s]);

    const route = node(cfg.defaultReceiver.name, [], cfg.timings.default, [
        node(RECEIVERS.heartbeat, [eq("alertname", WATCHDOG)], cfg.timings.heartbeat),
        // A KMS alert with an unexpected severity still reaches the security team, never the default receiver.
        node(RECEIVERS.warning, [KMS], cfg.timings.warning, [bySeverity("critical"), bySeverity("warning"), bySeverity("info")]),
    ]);

    const inhibitRules: InhibitRule[] = [
        {
            description: "Crypto running on the env fallback explains \"not ready\": page once, for the cause.",
            source: [eq("alertname", "KMSCryptoModeNotKMS")],
            target: [eq("alertname", "KMSCryptoNotReady")],
            equal: ["env", "service"],
        },
        {
            description: "The critical level of an alert makes its warning level redundant.",
            source: [KMS, eq("severity", "critical")],
            target: [KMS, eq("severity", "warning")],
            equal: ["alertname", "env", "service"],
        },
    ];

    return {
        receivers,
        route,
        inhibitRules,
        smtp: {
            from: cfg.email.from,
            smarthost: cfg.email.smarthost,
            requireTls: cfg.email.requireTls,
            ...(cfg.email.authUsername ? { authUsername: cfg.email.authUsername, credential: "smtpAuthPassword" as const } : {}),
        },
    };
}
