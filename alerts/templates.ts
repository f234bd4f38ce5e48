/**
 * Alertmanager notification templates (Go text/template), shared by every receiver: a title with
 * status, alert, severity and where; per alert its summary, description, runbook and dashboard
 * links (the `runbook_url` / `dashboard_url` annotations every catalog alert carries).
 */

/** File name under alertmanager/templates/. */
export const TEMPLATE_FILE = "kms.tmpl";

/** Template names the receivers reference. */
export const TEMPLATES = {
    title: "kms.title",
    slackText: "kms.slack.text",
    emailHtml: "kms.email.html",
    text: "kms.text",
} as const;

export const TEMPLATE_TEXT = `{{/* Generated from alerts/templates.ts by the kms-observability plan; do not edit. */}}

{{ define "${TEMPLATES.title}" -}}
[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.severity }}) {{ .CommonLabels.env }}/{{ .CommonLabels.service }}
{{- end }}

{{ define "${TEMPLATES.text}" -}}
{{ range .Alerts -}}
{{ if eq .Status "resolved" }}RESOLVED: {{ end }}{{ .Annotations.summary }}
{{ .Annotations.description }}
Runbook: {{ .Annotations.runbook_url }}
Dashboard: {{ .Annotations.dashboard_url }}
{{ end -}}
{{- end }}

{{ define "${TEMPLATES.slackText}" -}}
{{ range .Alerts -}}
{{ if eq .Status "resolved" }}:white_check_mark: {{ end }}*{{ .Annotations.summary }}*
{{ .Annotations.description }}
<{{ .Annotations.runbook_url }}|Runbook> | <{{ .Annotations.dashboard_url }}|Dashboard>
{{ end -}}
{{- end }}

{{ define "${TEMPLATES.emailHtml}" -}}
<h2>{{ template "${TEMPLATES.title}" . }}</h2>
{{ range .Alerts -}}
<p><b>{{ if eq .Status "resolved" }}RESOLVED: {{ end }}{{ .Annotations.summary }}</b><br>
{{ .Annotations.description }}<br>
<a href="{{ .Annotations.runbook_url }}">Runbook</a> | <a href="{{ .Annotations.dashboard_url }}">Dashboard</a></p>
{{ end -}}
{{- end }}
`;
