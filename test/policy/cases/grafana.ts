import { GRAFANA_CONTACT_POINT, GRAFANA_DASHBOARD, GRAFANA_DATA_SOURCE, GRAFANA_FOLDER, GRAFANA_FOLDER_PERMISSION } from "../../../policy/grafana";
import { CaseTable, one, res } from "./types";

const model = (extra: Record<string, unknown> = {}) => ({
    uid: "kms-crypto-health", title: "KMS Crypto Health", schemaVersion: 39,
    panels: [{ id: 1, type: "stat" }, { id: 2, type: "row", collapsed: true, panels: [{ id: 3, type: "timeseries" }] }],
    ...extra,
});
const dashboard = (m: Record<string, unknown> = model(), props: Record<string, unknown> = {}) =>
    res(GRAFANA_DASHBOARD, { configJson: JSON.stringify(m), folder: "kms-observability", overwrite: true, ...props });
const contactPoint = (props: Record<string, unknown>) => res(GRAFANA_CONTACT_POINT, { name: "kms-critical", ...props });
const SLACK_OK = { url: "[secret]", recipient: "#security-critical", mentionChannel: "channel" };

const folderPermission = (...permissions: Record<string, unknown>[]) => res(GRAFANA_FOLDER_PERMISSION, { folderUid: "kms-observability", permissions });

export const grafanaCases: CaseTable = {
    "grafana-folder-permission-role-ceiling": {
        pass: [
            one("Grafana's defaults", folderPermission({ role: "Viewer", permission: "View" }, { role: "Editor", permission: "Edit" })),
            one("Admin to a team", folderPermission({ teamId: "5270", permission: "Admin" }, { role: "Admin", permission: "Admin" })),
        ],
        fail: [
            one("Admin to Viewer", folderPermission({ role: "Viewer", permission: "Admin" }), { expect: /"Admin" to every Viewer/ }),
            one("Edit to Viewer", folderPermission({ teamId: "1", permission: "View" }, { role: "Viewer", permission: "Edit" })),
            one("Admin to Editor", folderPermission({ role: "Editor", permission: "Admin" })),
        ],
    },
    "grafana-dashboard-uid": {
        pass: [one("kms-crypto-health", dashboard())],
        fail: [one("no uid", dashboard(model({ uid: undefined })), { expect: /uid = \(unset\)/ }), one("uid too long", dashboard(model({ uid: "x".repeat(41) }))), one("not JSON", dashboard(model(), { configJson: "<html>" }), { expect: /not a JSON dashboard model/ })],
    },
    "grafana-dashboard-unique-panel-ids": {
        pass: [one("1, 2 and nested 3", dashboard())],
        fail: [
            one("nested panel reuses 1", dashboard(model({ panels: [{ id: 1 }, { id: 2, type: "row", panels: [{ id: 1 }] }] })), { expect: /panel id\(s\) 1 used more than once/ }),
            one("panel without id", dashboard(model({ panels: [{ id: 1 }, { type: "stat" }] })), { expect: /no numeric id/ }),
        ],
    },
    "grafana-dashboard-in-folder": {
        pass: [one("in the managed folder", dashboard())],
        fail: [one("no folder (General)", dashboard(model(), { folder: undefined }), { expect: /General/ })],
    },
    "grafana-folder-uid": {
        pass: [one("stable uid", res(GRAFANA_FOLDER, { title: "KMS Observability", uid: "kms-observability" }))],
        fail: [one("generated uid", res(GRAFANA_FOLDER, { title: "KMS Observability" }), { expect: /stable uid/ })],
    },
    "grafana-contact-point-credentials-secret": {
        pass: [
            one("secret Slack URL and PagerDuty key", contactPoint({ slacks: [SLACK_OK], pagerduties: [{ integrationKey: "[secret]", severity: "critical" }], emails: [{ addresses: ["oncall@ledger-mind.org"] }] })),
            one("whole integration list secret", contactPoint({ slacks: "[secret]" })),
        ],
        fail: [
            one("plaintext Slack webhook", contactPoint({ slacks: [{ ...SLACK_OK, url: "https://hooks.slack.com/services/T0/B0/abc" }] }), { expect: /slacks\[0\].url is plaintext/ }),
            one("plaintext PagerDuty key", contactPoint({ pagerduties: [{ integrationKey: "e93facc04764012d7bfb002500d5d1a6" }] }), { expect: /pagerduties\[0\].integrationKey/ }),
            one("plaintext webhook password", contactPoint({ webhooks: [{ url: "https://alerts.ledger-mind.org/hook", basicAuthUser: "grafana", basicAuthPassword: "hunter2" }] })),
        ],
    },
    "grafana-contact-point-https": {
        pass: [one("https webhook", contactPoint({ webhooks: [{ url: "https://alerts.ledger-mind.org/hook" }] })), one("secret Slack URL", contactPoint({ slacks: [SLACK_OK] }))],
        fail: [one("http webhook", contactPoint({ webhooks: [{ url: "http://alerts.ledger-mind.org/hook" }] }), { expect: /webhooks\[0\].url uses plain http/ }), one("http Slack endpointUrl", contactPoint({ slacks: [{ ...SLACK_OK, endpointUrl: "http://slack.internal/api" }] }))],
    },
    "grafana-datasource-no-secrets-in-json": {
        pass: [
            one("AMP with SigV4", res(GRAFANA_DATA_SOURCE, { type: "prometheus", url: "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1/", jsonDataEncoded: JSON.stringify({ sigV4Auth: true, sigV4AuthType: "default", sigV4Region: "us-east-1", httpMethod: "POST" }) })),
            one("BigQuery with the key in secureJsonData", res(GRAFANA_DATA_SOURCE, { type: "grafana-bigquery-datasource", jsonDataEncoded: JSON.stringify({ authenticationType: "jwt", clientEmail: "grafana@p.iam.gserviceaccount.com", defaultProject: "p", tokenUri: "https://oauth2.googleapis.com/token" }), secureJsonDataEncoded: "[secret]" })),
        ],
        fail: [one("private key in jsonData", res(GRAFANA_DATA_SOURCE, { type: "grafana-bigquery-datasource", jsonDataEncoded: JSON.stringify({ authenticationType: "jwt", privateKey: "-----BEGIN PRIVATE KEY-----" }) }), { expect: /has privateKey/ }), one("SigV4 secret key in jsonData", res(GRAFANA_DATA_SOURCE, { type: "prometheus", jsonDataEncoded: JSON.stringify({ sigV4Auth: true, sigV4SecretKey: "abc" }) }))],
    },
};
