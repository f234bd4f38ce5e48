import * as assert from "assert";
import { ampWorkspaceUrl, auditDataSource, auditPrivateKey, prometheusDataSource } from "../../dashboards/datasources";
import { parseSettings } from "../../config/load";
import { dashboardOptions } from "../../dashboards/options";
import { stackConfig } from "../harness";

const EMAIL = "grafana-kms-audit@ledgermind-prod.iam.gserviceaccount.com";
const PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";
const keyFile = (over: Record<string, unknown> = {}) => JSON.stringify({
    type: "service_account", project_id: "ledgermind-prod", private_key_id: "3f1c", private_key: PEM, client_email: EMAIL, ...over,
});

describe("grafana: data source documents (dashboards/datasources.ts)", () => {
    const g = parseSettings(stackConfig("prod")).grafana;

    it("takes the private key from the service-account key file, or a bare PEM as is", () => {
        assert.strictEqual(auditPrivateKey(keyFile(), EMAIL), PEM);
        assert.strictEqual(auditPrivateKey(`  ${keyFile()}\n`, EMAIL), PEM);
        assert.strictEqual(auditPrivateKey(PEM, EMAIL), PEM);
    });

    it("refuses a key of another service account, a JSON that is no service-account key, or broken JSON", () => {
        assert.throws(() => auditPrivateKey(keyFile({ client_email: "ci@ledgermind-prod.iam.gserviceaccount.com" }), EMAIL),
            /belongs to ci@ledgermind-prod\.iam\.gserviceaccount\.com, not grafana\.audit\.clientEmail grafana-kms-audit@/);
        assert.throws(() => auditPrivateKey(keyFile({ type: "authorized_user" }), EMAIL), /not a service-account key/);
        assert.throws(() => auditPrivateKey(keyFile({ private_key: undefined }), EMAIL), /not a service-account key/);
        assert.throws(() => auditPrivateKey("{\"type\": \"service_account\",", EMAIL), /does not parse/);
        // The messages never carry the key material.
        assert.throws(() => auditPrivateKey(keyFile({ client_email: "x@y.iam.gserviceaccount.com" }), EMAIL),
            (e: Error) => !e.message.includes("BEGIN PRIVATE KEY"));
    });

    it("points Grafana at the workspace base URL, from the prometheusEndpoint or the query URL", () => {
        const base = "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1234";
        assert.strictEqual(ampWorkspaceUrl(`${base}/`), base);
        assert.strictEqual(ampWorkspaceUrl(`${base}/api/v1/query`), base);
        assert.strictEqual(prometheusDataSource(g, "us-east-1", `${base}/`).url, base);
    });

    it("signs with the external id when the assumed role needs one; refuses to guess a URL", () => {
        const withExternalId = { ...g, prometheus: { ...g.prometheus, sigV4: { ...g.prometheus.sigV4, externalId: "grafana-cloud-4711" } } };
        assert.strictEqual(prometheusDataSource(withExternalId, "us-east-1", "https://x/workspaces/ws-1/").jsonData.sigV4ExternalId, "grafana-cloud-4711");
        assert.throws(() => prometheusDataSource(g, "us-east-1"), /grafana\.prometheus\.url is unset and no AMP query endpoint/);
    });

    it("AMP: the grafana-amazonprometheus-datasource plugin, and the dashboards reference that type; core Prometheus only on a URL", () => {
        const amp = prometheusDataSource(g, "us-east-1", "https://x/workspaces/ws-1/");
        assert.strictEqual(amp.type, "grafana-amazonprometheus-datasource");
        assert.strictEqual(amp.jsonData.sigv4Service, "aps");
        const audit = { project: "ledgermind-prod", dataset: "kms_audit", logMetricNames: {} as never };
        assert.strictEqual(dashboardOptions(g, audit).prometheus.type, amp.type);
        const onUrl = { ...g, prometheus: { ...g.prometheus, url: "https://prometheus.ledger-mind.org" } };
        assert.strictEqual(prometheusDataSource(onUrl, "us-east-1").type, "prometheus");
        assert.strictEqual(dashboardOptions(onUrl, audit).prometheus.type, "prometheus");
        assert.throws(() => prometheusDataSource(onUrl, "us-east-1", "https://x/workspaces/ws-1/"), /url is set although an AMP query endpoint/);
    });

    it("audit data sources: BigQuery with the processing location, Cloud Monitoring without", () => {
        const bq = auditDataSource(g, "bigquery", "ledgermind-prod", "EU");
        assert.deepStrictEqual([bq.type, bq.uid, bq.jsonData.processingLocation], ["grafana-bigquery-datasource", "kms-audit-bigquery", "EU"]);
        const gcm = auditDataSource(g, "cloud-monitoring", "ledgermind-prod", "EU");
        assert.deepStrictEqual([gcm.type, gcm.uid, gcm.jsonData.processingLocation], ["stackdriver", "kms-audit-monitoring", undefined]);
        assert.strictEqual(gcm.jsonData.clientEmail, EMAIL);
    });
});
