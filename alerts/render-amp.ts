import { alertmanagerConfig } from "./alertmanager";
import { AlertLinks } from "./catalog";
import { Receiver, RoutingModel } from "./routing";
import { renderRuleFile, ruleFiles } from "./rules";
import { toYaml } from "./yaml";

/**
 * The routing model rendered as an Amazon Managed Service for Prometheus Alertmanager definition
 * (pure). AMP runs Alertmanager's routing unchanged but delivers only to SNS, signed with SigV4, and
 * takes templates inline: so the route tree and inhibitions are taken verbatim from the self-hosted
 * rendering (alerts/alertmanager.ts), and every receiver becomes one `sns_configs` entry to that
 * receiver's topic. Slack and email then hang off the topics
 * (AWS Chatbot, email subscriptions) instead of being Alertmanager integrations.
 */

/**
 * Name of the template file inside the definition. AMP (a multi-tenant Alertmanager) loads only the
 * `template_files` entries that `alertmanager_config.templates` lists by name, as in every example of
 * the AMP user guide: an unlisted file leaves `{{ template "kms.sns.subject" . }}` undefined and
 * every notification fails.
 */
export const AMP_TEMPLATE_FILE = "kms-sns.tmpl";

/**
 * SNS subject and bodies. SNS rejects subjects over 100 characters (AMP then drops the notification),
 * so the subject is cut to 99. Two bodies: plain text for topics read by people (email), and the AWS
 * Chatbot custom-notification JSON for topics that feed Chatbot, which ignores any other message
 * format. Strings inside the JSON are quoted with `printf "%q"` (a Go string literal, valid JSON for
 * the printable text alerts carry).
 */
export const AMP_TEMPLATES = `{{ define "kms.sns.subject" -}}
{{ printf "[%s:%d] %s %s/%s" (.Status | toUpper) (len .Alerts.Firing) .CommonLabels.alertname .CommonLabels.env .CommonLabels.service | printf "%.99s" }}
{{- end }}

{{ define "kms.sns.text" -}}
{{ range .Alerts -}}
[{{ .Status | toUpper }}] {{ .Labels.alertname }} severity={{ .Labels.severity }} env={{ .Labels.env }} service={{ .Labels.service }}
Summary: {{ .Annotations.summary }}
{{ with .Annotations.description }}{{ . }}
{{ end -}}
{{ with .Annotations.runbook_url }}Runbook: {{ . }}
{{ end -}}
{{ with .Annotations.dashboard_url }}Dashboard: {{ . }}
{{ end -}}
Since: {{ .StartsAt.Format "2006-01-02 15:04:05 MST" }}{{ if eq .Status "resolved" }}, resolved {{ .EndsAt.Format "2006-01-02 15:04:05 MST" }}{{ end }}

{{ end -}}
{{- end }}

{{ define "kms.sns.chatbot" -}}
{{ $first := index .Alerts 0 -}}
{{ $icon := ":rotating_light:" }}{{ if eq .Status "resolved" }}{{ $icon = ":white_check_mark:" }}{{ end -}}
{{ $more := "" }}{{ if gt (len .Alerts) 1 }}{{ $more = printf "\\n_%d alerts in this group_" (len .Alerts) }}{{ end -}}
{"version":"1.0","source":"custom","content":{"textType":"client-markdown",
"title":{{ printf "%s [%s:%d] %s %s/%s" $icon (.Status | toUpper) (len .Alerts.Firing) .CommonLabels.alertname .CommonLabels.env .CommonLabels.service | printf "%q" }},
"description":{{ printf "*%s*\\n%s%s" $first.Annotations.summary $first.Annotations.description $more | printf "%q" }},
"nextSteps":[{{ printf "Runbook: %s" $first.Annotations.runbook_url | printf "%q" }},{{ printf "Dashboard: %s" $first.Annotations.dashboard_url | printf "%q" }}],
"keywords":[{{ printf "%q" .CommonLabels.severity }},{{ printf "%q" .CommonLabels.env }},{{ printf "%q" .CommonLabels.service }}]},
"metadata":{"threadId":{{ printf "%s/%s/%s" .CommonLabels.alertname .CommonLabels.env .CommonLabels.service | printf "%q" }},"summary":{{ printf "%q" $first.Annotations.summary }}}}
{{- end }}
`;

export interface AmpDefinitionInput {
    readonly routing: RoutingModel;
    /** SNS topic ARN per receiver name; every receiver of the model needs one. */
    readonly topicArns: Readonly<Record<string, string>>;
    /** Region of the topics (SigV4 signing region; AMP requires it). */
    readonly region: string;
    /** Receivers whose topic feeds AWS Chatbot: their messages use the Chatbot JSON format. Default none. */
    readonly chatbotReceivers?: readonly string[];
}

/** A topic fans out to every subscriber, so a receiver sends resolutions if any of its integrations wants them. */
const sendsResolved = (r: Receiver): boolean => r.integrations.length === 0 || r.integrations.some((i) => i.sendResolved);

function amReceiver(r: Receiver, topicArn: string | undefined, region: string, chatbot: boolean): Record<string, unknown> {
    if (!topicArn) throw new Error(`no SNS topic for receiver ${r.name}: every receiver needs one in AMP`);
    return {
        name: r.name,
        sns_configs: [{
            topic_arn: topicArn,
            sigv4: { region },
            subject: '{{ template "kms.sns.subject" . }}',
            message: `{{ template "kms.sns.${chatbot ? "chatbot" : "text"}" . }}`,
            send_resolved: sendsResolved(r),
        }],
    };
}

/** The `alertmanager_config` document (what AMP runs), as a plain object. */
export function ampAlertmanagerConfig(input: AmpDefinitionInput): Record<string, unknown> {
    const { routing, topicArns, region } = input;
    const chatbot = new Set(input.chatbotReceivers ?? []);
    // Routes and inhibitions do not depend on where credentials live: the secrets directory is unused.
    const selfHosted = alertmanagerConfig(routing, "/unused");
    return {
        templates: [AMP_TEMPLATE_FILE],
        route: selfHosted.route,
        inhibit_rules: selfHosted.inhibit_rules,
        receivers: routing.receivers.map((r) => amReceiver(r, topicArns[r.name], region, chatbot.has(r.name))),
    };
}

/** The AMP Alertmanager definition: `template_files` plus `alertmanager_config` as a YAML string. */
export function renderAmpDefinition(input: AmpDefinitionInput): string {
    return toYaml({
        template_files: { [AMP_TEMPLATE_FILE]: AMP_TEMPLATES },
        alertmanager_config: toYaml(ampAlertmanagerConfig(input)),
    });
}

/**
 * The rule group namespace's data: every group of the self-hosted rule files (recording rules first,
 * then the alerts, then the Watchdog) in the one document a namespace holds.
 */
export function ampRuleNamespaceData(links: AlertLinks): string {
    return renderRuleFile({ name: "amp", groups: ruleFiles(links).flatMap((f) => f.groups) });
}
