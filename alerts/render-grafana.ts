import { CredentialKey, Integration, Matcher, Receiver, Route, RoutingModel, SlackIntegration } from "./routing";
import { RoutedSeverity } from "../shared/severity";

/**
 * The routing model rendered for Grafana alerting (pure): contact points, the notification policy
 * tree, the message template and the maintenance mute timing, in the shapes of the
 * `@pulumiverse/grafana/alerting` resources. Credentials stay symbolic (`credential`): the component
 * swaps them for secret Outputs, so this module never sees a secret value.
 */

/** `<group>.title` / `<group>.message` are the template names contact points reference. */
export const templateNames = (group: string) => ({ title: `${group}.title`, message: `${group}.message` });

/**
 * Grafana's notification data: like Alertmanager's, plus per-alert DashboardURL/PanelURL/SilenceURL
 * for Grafana-managed rules. The dashboard link falls back to the catalog's `dashboard_url` annotation.
 */
export function grafanaMessageTemplate(group: string): string {
    const t = templateNames(group);
    return `{{ define "${t.title}" -}}
[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }} {{ .CommonLabels.env }}/{{ .CommonLabels.service }}
{{- end }}

{{ define "${t.message}" -}}
{{ range .Alerts -}}
*{{ .Status | toUpper }}* {{ .Labels.alertname }} ({{ .Labels.severity }}) env={{ .Labels.env }} service={{ .Labels.service }}
{{ .Annotations.summary }}
{{ with .Annotations.description }}{{ . }}
{{ end -}}
{{ with .Annotations.runbook_url }}Runbook: {{ . }}
{{ end -}}
{{ if .DashboardURL }}Dashboard: {{ .DashboardURL }}
{{ else }}{{ with .Annotations.dashboard_url }}Dashboard: {{ . }}
{{ end }}{{ end -}}
{{ with .SilenceURL }}Silence: {{ . }}
{{ end }}
{{ end -}}
{{- end }}
`;
}

export interface GrafanaSlack {
    readonly recipient: string;
    readonly mentionChannel?: "channel" | "here";
    readonly title: string;
    readonly text: string;
    readonly disableResolveMessage: boolean;
    /** The webhook URL comes from this config secret: the one of `recipient` (the URL decides the channel). */
    readonly credential: SlackIntegration["credential"];
}

export interface GrafanaEmail {
    readonly addresses: string[];
    readonly singleEmail: boolean;
    readonly subject: string;
    readonly message: string;
    readonly disableResolveMessage: boolean;
}

export interface GrafanaPagerDuty {
    readonly severity: string;
    readonly summary: string;
    readonly class: string;
    readonly disableResolveMessage: boolean;
    /** The integration key comes from this config secret. */
    readonly credential: Extract<CredentialKey, "pagerdutyRoutingKey">;
}

export interface GrafanaContactPoint {
    readonly name: string;
    readonly slacks: GrafanaSlack[];
    readonly emails: GrafanaEmail[];
    readonly pagerduties: GrafanaPagerDuty[];
}

function contactPoint(r: Receiver, group: string): GrafanaContactPoint {
    const t = templateNames(group);
    const ref = (name: string) => `{{ template "${name}" . }}`;
    const of = <K extends Integration["kind"]>(kind: K) =>
        r.integrations.filter((i): i is Extract<Integration, { kind: K }> => i.kind === kind);
    // Grafana cannot provision a contact point without integrations (its API rejects one; the config
    // layer already refuses such a receiver when the mirror is enabled).
    if (r.integrations.length === 0) {
        throw new Error(`receiver ${r.name} has no integrations: Grafana cannot provision an empty contact point`);
    }
    return {
        name: r.name,
        slacks: of("slack").map((i) => ({
            recipient: i.channel,
            ...(i.mention ? { mentionChannel: i.mention === "@channel" ? "channel" as const : "here" as const } : {}),
            title: ref(t.title),
            text: ref(t.message),
            disableResolveMessage: !i.sendResolved,
            credential: i.credential,
        })),
        emails: of("email").map((i) => ({
            addresses: [i.to],
            singleEmail: true,
            subject: ref(t.title),
            message: ref(t.message),
            disableResolveMessage: !i.sendResolved,
        })),
        pagerduties: of("pagerduty").map((i) => ({
            severity: i.severity,
            summary: ref(t.title),
            class: "kms",
            disableResolveMessage: !i.sendResolved,
            credential: i.credential,
        })),
    };
}

/** One contact point per receiver, named like the receiver. */
export function grafanaContactPoints(routing: RoutingModel, templateGroup: string): GrafanaContactPoint[] {
    return routing.receivers.map((r) => contactPoint(r, templateGroup));
}

export interface GrafanaMatcher {
    readonly label: string;
    readonly match: Matcher["type"];
    readonly value: string;
}

/** A child policy (NotificationPolicy `policies` entry). */
export interface GrafanaPolicy {
    readonly contactPoint: string;
    readonly matchers: GrafanaMatcher[];
    readonly groupBies: string[];
    readonly groupWait: string;
    readonly groupInterval: string;
    readonly repeatInterval: string;
    readonly continue: boolean;
    readonly muteTimings?: string[];
    readonly policies?: GrafanaPolicy[];
}

/** The root policy (NotificationPolicy arguments): the root cannot carry matchers or mute timings. */
export interface GrafanaRootPolicy {
    readonly contactPoint: string;
    readonly groupBies: string[];
    readonly groupWait: string;
    readonly groupInterval: string;
    readonly repeatInterval: string;
    readonly policies: GrafanaPolicy[];
}

/** How maintenance applies: a node is muted when it routes exactly one of these severities. */
export interface MuteSelection {
    readonly muteTiming: string;
    readonly severities: readonly RoutedSeverity[];
}

const severityOf = (r: Route): string | undefined => r.matchers.find((m) => m.name === "severity" && m.type === "=")?.value;

function policy(r: Route, mute: MuteSelection | undefined): GrafanaPolicy {
    const sev = severityOf(r);
    const muted = mute !== undefined && sev !== undefined && (mute.severities as readonly string[]).includes(sev);
    return {
        contactPoint: r.receiver,
        matchers: r.matchers.map((m) => ({ label: m.name, match: m.type, value: m.value })),
        groupBies: [...r.groupBy],
        groupWait: r.groupWait,
        groupInterval: r.groupInterval,
        repeatInterval: r.repeatInterval,
        continue: r.continue,
        ...(muted ? { muteTimings: [mute.muteTiming] } : {}),
        ...(r.routes.length > 0 ? { policies: r.routes.map((c) => policy(c, mute)) } : {}),
    };
}

/**
 * The notification policy tree: the model's tree node for node (mute timings are not inherited in
 * Alertmanager's routing, so each muted severity node names it itself).
 */
export function grafanaPolicyTree(routing: RoutingModel, mute?: MuteSelection): GrafanaRootPolicy {
    const r = routing.route;
    return {
        contactPoint: r.receiver,
        groupBies: [...r.groupBy],
        groupWait: r.groupWait,
        groupInterval: r.groupInterval,
        repeatInterval: r.repeatInterval,
        policies: r.routes.map((c) => policy(c, mute)),
    };
}

export interface GrafanaMuteInterval {
    readonly weekdays?: string[];
    readonly daysOfMonths?: string[];
    readonly months?: string[];
    readonly times?: { start: string; end: string }[];
    readonly location: string;
}

/** The maintenance mute timing as `grafanaAlerting.maintenance` describes it (config/grafana-alerting.ts validates it). */
export interface MaintenanceWindows {
    /** IANA time zone the windows are written in. */
    readonly location: string;
    readonly windows: readonly {
        readonly weekdays?: readonly string[];
        readonly daysOfMonth?: readonly string[];
        readonly months?: readonly string[];
        readonly times?: readonly { readonly start: string; readonly end: string }[];
    }[];
}

/** The maintenance windows as MuteTiming intervals (same semantics as Alertmanager time_intervals). */
export function grafanaMuteIntervals(m: MaintenanceWindows): GrafanaMuteInterval[] {
    return m.windows.map((w) => ({
        ...(w.weekdays ? { weekdays: [...w.weekdays] } : {}),
        ...(w.daysOfMonth ? { daysOfMonths: [...w.daysOfMonth] } : {}),
        ...(w.months ? { months: [...w.months] } : {}),
        ...(w.times ? { times: w.times.map((t) => ({ start: t.start, end: t.end })) } : {}),
        location: m.location,
    }));
}
