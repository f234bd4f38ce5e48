import { CredentialKey, Integration, Matcher, Receiver, Route, RoutingModel } from "./routing";
import { TEMPLATES, TEMPLATE_FILE } from "./templates";
import { toYaml } from "./yaml";

/**
 * The self-hosted Alertmanager (0.25) configuration for a routing model. Credentials appear only
 * as `*_file` paths (`api_url_file`, `routing_key_file`, `smtp_auth_password_file`): the files are
 * mounted from the secret store next to Alertmanager, never written by the plan.
 */

/**
 * File names, under the configured secrets directory, of each credential: one file per config
 * secret, so each Slack channel's receivers read that channel's own webhook (a fixed table the
 * deploy job mounts from `pulumi config get <key>`, whatever the channels are called).
 */
export const CREDENTIAL_FILES: Readonly<Record<CredentialKey, string>> = {
    slackWebhookUrl: "slack_webhook_url",
    slackCriticalWebhookUrl: "slack_critical_webhook_url",
    slackDefaultWebhookUrl: "slack_default_webhook_url",
    pagerdutyRoutingKey: "pagerduty_routing_key",
    smtpAuthPassword: "smtp_auth_password",
};

/** Alertmanager's matcher syntax: `name="value"` (value quoted and escaped). */
export function matcherString(m: Matcher): string {
    return `${m.name}${m.type}${JSON.stringify(m.value)}`;
}

/** An alertmanager.yml route node (plain data). */
export interface AmRoute {
    receiver: string;
    matchers?: string[];
    group_by: string[];
    group_wait: string;
    group_interval: string;
    repeat_interval: string;
    continue?: boolean;
    routes?: AmRoute[];
}

/** An alertmanager.yml receiver: its name and `<kind>_configs` lists. */
export type AmReceiver = { name: string } & Partial<Record<"slack_configs" | "email_configs" | "pagerduty_configs" | "webhook_configs", Record<string, unknown>[]>>;

/** The alertmanager.yml document (plain data). */
export interface AlertmanagerConfig {
    global: Record<string, unknown>;
    templates: string[];
    route: AmRoute;
    receivers: AmReceiver[];
    inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal: string[] }[];
}

function amRoute(r: Route, root: boolean): AmRoute {
    return {
        receiver: r.receiver,
        ...(root || r.matchers.length === 0 ? {} : { matchers: r.matchers.map(matcherString) }),
        group_by: [...r.groupBy],
        group_wait: r.groupWait,
        group_interval: r.groupInterval,
        repeat_interval: r.repeatInterval,
        ...(r.continue ? { continue: true } : {}),
        ...(r.routes.length > 0 ? { routes: r.routes.map((c) => amRoute(c, false)) } : {}),
    };
}

const tpl = (name: string) => `{{ template "${name}" . }}`;
const MENTION = { "@channel": "<!channel>", "@here": "<!here>" } as const;

function amIntegration(i: Integration, file: (k: CredentialKey) => string): [keyof AmReceiver, Record<string, unknown>] {
    switch (i.kind) {
        case "slack":
            return ["slack_configs", {
                send_resolved: i.sendResolved,
                api_url_file: file(i.credential),
                channel: i.channel,
                color: '{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}',
                title: tpl(TEMPLATES.title),
                title_link: "{{ .CommonAnnotations.dashboard_url }}",
                text: `${i.mention ? `${MENTION[i.mention]} ` : ""}${tpl(TEMPLATES.slackText)}`,
            }];
        case "email":
            return ["email_configs", {
                send_resolved: i.sendResolved,
                to: i.to,
                headers: { Subject: tpl(TEMPLATES.title) },
                html: tpl(TEMPLATES.emailHtml),
                text: tpl(TEMPLATES.text),
            }];
        case "pagerduty":
            return ["pagerduty_configs", {
                send_resolved: i.sendResolved,
                routing_key_file: file(i.credential),
                severity: i.severity,
                description: tpl(TEMPLATES.title),
                links: [
                    { href: "{{ .CommonAnnotations.runbook_url }}", text: "Runbook" },
                    { href: "{{ .CommonAnnotations.dashboard_url }}", text: "Dashboard" },
                ],
            }];
    }
}

function amReceiver(r: Receiver, file: (k: CredentialKey) => string): AmReceiver {
    const out: AmReceiver = { name: r.name };
    for (const i of r.integrations) {
        const [key, cfg] = amIntegration(i, file);
        ((out[key] as Record<string, unknown>[] | undefined) ??= []).push(cfg);
    }
    return out;
}

/** alertmanager.yml as data; templates are loaded from `templates/` next to the file. */
export function alertmanagerConfig(model: RoutingModel, secretsDir: string): AlertmanagerConfig {
    const file = (k: CredentialKey) => `${secretsDir}/${CREDENTIAL_FILES[k]}`;
    const s = model.smtp;
    return {
        global: {
            resolve_timeout: "5m",
            smtp_from: s.from,
            smtp_smarthost: s.smarthost,
            ...(s.authUsername && s.credential
                ? { smtp_auth_username: s.authUsername, smtp_auth_password_file: file(s.credential) }
                : {}),
            smtp_require_tls: s.requireTls,
        },
        templates: [`templates/${TEMPLATE_FILE}`],
        route: amRoute(model.route, true),
        receivers: model.receivers.map((r) => amReceiver(r, file)),
        inhibit_rules: model.inhibitRules.map((r) => ({
            source_matchers: r.source.map(matcherString),
            target_matchers: r.target.map(matcherString),
            equal: [...r.equal],
        })),
    };
}

/** alertmanager.yml text. */
export function renderAlertmanagerYaml(cfg: AlertmanagerConfig): string {
    return toYaml(cfg, "Generated from alerts/ by the kms-observability plan; do not edit.\n" +
        "Credentials are *_file paths: mount the secrets there (see docs/alerting.md).");
}
