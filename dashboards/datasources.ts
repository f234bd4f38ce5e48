import { AuditSource, GrafanaInput } from "./grafana-input";
import { DATASOURCE_TYPES, prometheusPluginId } from "./defaults";

/**
 * Data source documents (plain data): what Grafana's data source API takes as `jsonData` and
 * `secureJsonData` for the Prometheus/AMP and the GCP audit data sources.
 */

/** Token endpoint of Google service-account JWT auth. */
export const GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token";

/** A data source's identity and its non-secret settings. */
export interface DataSourceDoc {
    readonly type: string;
    readonly uid: string;
    readonly name: string;
    readonly url?: string;
    readonly jsonData: Record<string, unknown>;
}

/**
 * The workspace base URL Grafana takes (it appends `/api/v1/...` itself), from the workspace's
 * `prometheusEndpoint` (ends with "/") or its instant-query URL (`.../api/v1/query`).
 */
export function ampWorkspaceUrl(endpoint: string): string {
    return endpoint.replace(/\/+$/, "").replace(/\/api\/v1\/query$/, "");
}

/**
 * Prometheus: with an AMP query endpoint, the Amazon Managed Service for Prometheus plugin
 * (`grafana-amazonprometheus-datasource`, which must be installed: GF_PLUGINS_PREINSTALL or
 * `grafana cli plugins install`) on the workspace URL, every request SigV4-signed for the `aps`
 * service with the configured credentials; otherwise the core Prometheus plugin on the configured URL.
 * POST keeps long PromQL out of URLs; `manageAlerts` lets the alert list panel read the rules this
 * data source evaluates.
 *
 * Field names, from the code that reads them (the plugin's docs show `assumeRoleArn`/`externalId` in
 * one example, but neither the plugin nor the SDK reads those keys):
 * - `sigV4Auth`, `sigV4AuthType`, `sigV4Region`, `sigV4AssumeRoleArn`, `sigV4ExternalId`:
 *   grafana/grafana-plugin-sdk-go backend/http_settings.go (parseHTTPSettings -> SigV4Config) and the
 *   plugin's own settings model (grafana/grafana-amazonprometheus-datasource, DatasourceSettings);
 * - `sigv4Service` (default `aps`): grafana-amazonprometheus-datasource pkg/datasource.go extendClientOpts;
 * - provisioning shape: grafana-amazonprometheus-datasource docs/sources/configure.md ("Provision the
 *   data source") and provisioning/datasources/datasources.yml.
 */
export function prometheusDataSource(g: GrafanaInput, awsRegion: string, ampQueryEndpoint?: string): DataSourceDoc {
    const p = g.prometheus;
    const base = { httpMethod: "POST", manageAlerts: true, prometheusType: "Prometheus", timeInterval: "30s" };
    if (ampQueryEndpoint === undefined) {
        if (p.url === undefined) throw new Error("grafana.prometheus.url is unset and no AMP query endpoint was given");
        return { type: prometheusPluginId(g), uid: p.uid, name: p.name, url: p.url, jsonData: base };
    }
    if (p.url !== undefined) throw new Error("grafana.prometheus.url is set although an AMP query endpoint was given");
    return {
        type: prometheusPluginId(g), uid: p.uid, name: p.name,
        url: ampWorkspaceUrl(ampQueryEndpoint),
        jsonData: {
            ...base,
            sigV4Auth: true,
            sigV4AuthType: p.sigV4.authType,
            sigV4Region: awsRegion,
            sigv4Service: "aps",
            ...(p.sigV4.assumeRoleArn !== undefined ? { sigV4AssumeRoleArn: p.sigV4.assumeRoleArn } : {}),
            ...(p.sigV4.externalId !== undefined ? { sigV4ExternalId: p.sigV4.externalId } : {}),
        },
    };
}

/**
 * CloudWatch (Grafana's core plugin): the AWS SDK chain or the instance role, optionally assuming a
 * role, with the stack's region as the default region queries use ("default")
 * (https://grafana.com/docs/grafana/latest/datasources/aws-cloudwatch/configure/#provision-the-data-source).
 */
export function cloudWatchDataSource(g: GrafanaInput, awsRegion: string): DataSourceDoc {
    const c = g.cloudWatch;
    return {
        type: DATASOURCE_TYPES.cloudWatch, uid: c.uid, name: c.name,
        jsonData: { authType: c.authType, defaultRegion: awsRegion, ...(c.assumeRoleArn !== undefined ? { assumeRoleArn: c.assumeRoleArn } : {}) },
    };
}

/** Google auth settings both audit plugins share (grafana-google-sdk-go). */
function googleAuth(g: GrafanaInput, project: string): Record<string, unknown> {
    return g.audit.auth === "jwt"
        ? { authenticationType: "jwt", clientEmail: g.audit.clientEmail, defaultProject: project, tokenUri: GOOGLE_TOKEN_URI }
        : { authenticationType: "gce", defaultProject: project };
}

/** The audit data source of one view: identity and settings, BigQuery processing in the dataset's location. */
export function auditDataSource(g: GrafanaInput, view: AuditSource, project: string, datasetLocation: string): DataSourceDoc {
    if (view === "bigquery") {
        const ds = g.audit.bigQuery;
        return { type: DATASOURCE_TYPES.bigQuery, uid: ds.uid, name: ds.name, jsonData: { ...googleAuth(g, project), processingLocation: datasetLocation } };
    }
    const ds = g.audit.cloudMonitoring;
    return { type: DATASOURCE_TYPES.cloudMonitoring, uid: ds.uid, name: ds.name, jsonData: googleAuth(g, project) };
}

/**
 * The private key Grafana needs from the `grafanaAuditServiceAccountKey` secret: either the key file
 * as downloaded (JSON, checked to belong to `clientEmail`) or its `private_key` PEM alone.
 */
export function auditPrivateKey(secret: string, clientEmail: string): string {
    if (!secret.trimStart().startsWith("{")) return secret;
    let key: { type?: unknown; private_key?: unknown; client_email?: unknown };
    try {
        key = JSON.parse(secret) as typeof key;
    } catch {
        throw new Error("grafanaAuditServiceAccountKey looks like JSON but does not parse: set it to the service-account key file as downloaded");
    }
    if (key.type !== "service_account" || typeof key.private_key !== "string") {
        throw new Error("grafanaAuditServiceAccountKey is JSON but not a service-account key (type \"service_account\" with a private_key)");
    }
    if (key.client_email !== clientEmail) {
        throw new Error(`grafanaAuditServiceAccountKey belongs to ${String(key.client_email)}, not grafana.audit.clientEmail ${clientEmail}`);
    }
    return key.private_key;
}
