import { z } from "zod";
import { BASIC_ROLE_CEILING } from "../shared/limits";
import { duration, durationSeconds } from "./common";

/**
 * `kms-observability:grafana` — the KMS folder, who may see and edit it, the data sources the
 * dashboards query and how the dashboards behave. The audit data source's key is NOT here: it is the
 * top-level secret `grafanaAuditServiceAccountKey` (see projectSchema).
 */

/** A Grafana uid (folders, data sources, dashboards): 1-40 letters, digits, '-' or '_'. */
export const grafanaUid = () => z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, {
    error: "must be a Grafana uid: 1-40 letters, digits, '-' or '_'",
});

const displayName = () => z.string().trim().min(1, { error: "must not be empty" }).max(190, { error: "must be at most 190 characters" });

/** Grafana's basic roles and folder permission levels. */
export const BASIC_ROLES = ["Viewer", "Editor", "Admin"] as const;
export const FOLDER_PERMISSIONS = ["View", "Edit", "Admin"] as const;

/** One grant on the folder: a team (by name, looked up in Grafana) or a basic role, and its level. */
const folderGrant = z.object({
    /** Grafana team name, e.g. `security-ops`. Exactly one of `team` and `role`. */
    team: z.string().trim().min(1, { error: "must be a Grafana team name" }).optional(),
    /** Basic role: Viewer, Editor or Admin. Exactly one of `team` and `role`. */
    role: z.enum(BASIC_ROLES, { error: `must be one of ${BASIC_ROLES.join(", ")}` }).optional(),
    /** View (read dashboards), Edit (change them) or Admin (also change permissions). */
    permission: z.enum(FOLDER_PERMISSIONS, { error: `must be one of ${FOLDER_PERMISSIONS.join(", ")}` }),
}).strict().superRefine((g, ctx) => {
    if ((g.team === undefined) === (g.role === undefined)) {
        ctx.addIssue({ code: "custom", path: [], input: g, message: "must name exactly one of team or role" });
    }
});

export type FolderGrant = z.infer<typeof folderGrant>;

/** Grafana refuses auto-refresh below its `min_refresh_interval` (5s by default). */
const refreshInterval = () => duration().refine((d) => durationSeconds(d) >= 5, { error: "must be a duration of at least 5s, like 30s or 1m" });

/** An AWS IAM role ARN (SigV4 assume-role). */
const roleArn = () => z.string().regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@\/-]+$/, {
    error: "must be an IAM role ARN like arn:aws:iam::123456789012:role/Name",
});

const serviceAccountEmail = () => z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z][a-z0-9-]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com$/, {
    error: "must be a GCP service account email like grafana-audit@my-project.iam.gserviceaccount.com",
});

/** The data-link fields of a service-table row that a health URL may insert. */
export const SERVICE_ROW_FIELDS: readonly string[] = ["__data.fields.env", "__data.fields.service"];

/** Where the audit dashboard reads from: the BigQuery sink tables and/or the log-based metrics. */
export const AUDIT_SOURCES = ["bigquery", "cloud-monitoring"] as const;
export type AuditSource = (typeof AUDIT_SOURCES)[number];

const dataSourceIdentity = (uid: string, name: string) => z.object({
    /** Stable uid the dashboards reference. */
    uid: grafanaUid().default(uid),
    /** Name shown in Grafana (unique per organization). */
    name: displayName().default(name),
}).strict();

export const grafanaSection = z.object({
    /** The folder holding the KMS dashboards. Default uid `kms-observability`, title `KMS Observability`. */
    folder: z.object({
        uid: grafanaUid().default("kms-observability"),
        title: displayName().default("KMS Observability"),
    }).strict().prefault({}),
    /**
     * The folder's permissions, authoritative: they replace Grafana's defaults (Viewer: View, Editor:
     * Edit), so the audit view is not readable by everyone unless listed. Default: those two defaults.
     */
    permissions: z.array(folderGrant).min(1, { error: "must list at least one grant (an empty list would lock everyone but admins out)" })
        .default([{ role: "Viewer", permission: "View" }, { role: "Editor", permission: "Edit" }])
        .superRefine((grants, ctx) => {
            const seen = new Set<string>();
            grants.forEach((g, i) => {
                const subject = g.team !== undefined ? `team ${g.team}` : `role ${g.role}`;
                if (seen.has(subject)) {
                    ctx.addIssue({ code: "custom", path: [i], input: g, message: `grants ${subject} twice: keep one entry per team or role` });
                }
                const ceiling = g.role !== undefined ? BASIC_ROLE_CEILING[g.role] : undefined;
                if (ceiling && !ceiling.includes(g.permission)) {
                    ctx.addIssue({ code: "custom", path: [i, "permission"], input: g.permission,
                        message: `gives every ${g.role} ${g.permission}: the ${g.role} role may get at most ${ceiling[ceiling.length - 1]} (grant Admin to a team instead)` });
                }
                seen.add(subject);
            });
        }),
    /** Dashboard behaviour. Defaults: refresh 30s (seed 000), last 6h, audit last 24h without auto-refresh. */
    dashboards: z.object({
        /** Auto-refresh of the Prometheus dashboards. Default `30s`. */
        refresh: refreshInterval().default("30s"),
        /** Default time range of the Prometheus dashboards (now-<range>). Default `6h`. */
        timeRange: duration().default("6h"),
        /**
         * Default time range of the audit dashboard. Its BigQuery queries scan only the partitions of
         * this range, so it drives the query cost. Default `24h`.
         */
        auditTimeRange: duration().default("24h"),
        /** Auto-refresh of the audit dashboard; unset = none (every refresh is a billed BigQuery scan). */
        auditRefresh: refreshInterval().optional(),
        /**
         * Link from the service table to a service's health endpoint, a Grafana data-link URL in which
         * `${__data.fields.service}` and `${__data.fields.env}` insert the row's service and env, e.g.
         * `https://${__data.fields.service}.example.org/healthz`. Required.
         */
        serviceHealthUrl: z.string({ error: "must be an http(s) URL of the health endpoint" }).regex(/^https?:\/\/\S+$/, { error: "must be an http(s) URL" })
            .refine((u) => [...u.matchAll(/\$\{([^}]*)\}/g)].every((m) => SERVICE_ROW_FIELDS.includes(m[1])), {
                error: `may only insert ${SERVICE_ROW_FIELDS.map((f) => "${" + f + "}").join(" and ")} (the service table's row fields)`,
            }),
    }).strict(),
    /**
     * The Prometheus data source. With `amp.enabled` it points at the workspace's query endpoint with
     * SigV4 (`url` must then be unset); otherwise at `url` (required then).
     */
    prometheus: dataSourceIdentity("kms-prometheus", "KMS Prometheus").extend({
        /** Prometheus base URL when AMP is not used, e.g. https://prometheus.ledger-mind.org. */
        url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL of the Prometheus server" }).optional(),
        /** SigV4 signing for AMP: which credentials Grafana signs with. */
        sigV4: z.object({
            /** `default` (AWS SDK chain) or `ec2_iam_role` (the instance role; Grafana must list it in `[aws] allowed_auth_providers`). Default `default`. */
            authType: z.enum(["default", "ec2_iam_role"], { error: "must be default or ec2_iam_role" }).default("default"),
            /** Role Grafana assumes before signing (e.g. a query-only role in the AMP account). */
            assumeRoleArn: roleArn().optional(),
            /** External id the assumed role's trust policy requires. */
            externalId: z.string().min(2).max(1224).optional(),
        }).strict().prefault({}),
    }).strict().prefault({}),
    /**
     * The CloudWatch data source of the key-usage dashboard (per-key KMS operation and error counts,
     * namespace KmsObservability/KeyUsage, in `aws:region`). Grafana's credentials need
     * cloudwatch:GetMetricData and cloudwatch:ListMetrics. Default uid `kms-cloudwatch`.
     */
    cloudWatch: dataSourceIdentity("kms-cloudwatch", "KMS CloudWatch").extend({
        /** `default` (AWS SDK chain) or `ec2_iam_role`. Default `default`. */
        authType: z.enum(["default", "ec2_iam_role"], { error: "must be default or ec2_iam_role" }).default("default"),
        /** Role Grafana assumes to read the metrics (e.g. the query role in the keys' account). */
        assumeRoleArn: roleArn().optional(),
    }).strict().prefault({}),
    /** The audit data sources (GCP service account with BigQuery Data Viewer + Job User, Monitoring Viewer). */
    audit: z.object({
        /** Which views the audit dashboard has. Default both. */
        sources: z.array(z.enum(AUDIT_SOURCES, { error: `must be one of ${AUDIT_SOURCES.join(", ")}` }))
            .min(1, { error: `must list at least one of ${AUDIT_SOURCES.join(", ")}` })
            .refine((s) => new Set(s).size === s.length, { error: "must not list a source twice" })
            .default(["bigquery", "cloud-monitoring"]),
        /**
         * `jwt`: a service-account key (the secret `grafanaAuditServiceAccountKey`); `gce`: the
         * metadata server of the GCE/GKE host Grafana runs on (no key). Default `jwt`.
         */
        auth: z.enum(["jwt", "gce"], { error: "must be jwt or gce" }).default("jwt"),
        /** The service account's email; required with `jwt`. */
        clientEmail: serviceAccountEmail().optional(),
        /** BigQuery data source over the sink's tables. Default uid `kms-audit-bigquery`. */
        bigQuery: dataSourceIdentity("kms-audit-bigquery", "KMS Audit (BigQuery)").prefault({}),
        /** Cloud Monitoring data source for the log-based metrics. Default uid `kms-audit-monitoring`. */
        cloudMonitoring: dataSourceIdentity("kms-audit-monitoring", "KMS Audit (Cloud Monitoring)").prefault({}),
    }).strict().superRefine((a, ctx) => {
        if (a.auth === "jwt" && a.clientEmail === undefined) {
            ctx.addIssue({ code: "custom", path: ["clientEmail"], input: undefined, message: "must be set when audit.auth is jwt (the email of the key's service account)" });
        }
    }),
}).strict().superRefine((g, ctx) => {
    const uids = [g.prometheus.uid, g.audit.bigQuery.uid, g.audit.cloudMonitoring.uid, g.cloudWatch.uid];
    if (new Set(uids).size !== uids.length) {
        ctx.addIssue({ code: "custom", path: ["prometheus", "uid"], input: g.prometheus.uid, message: `data source uids must differ (${uids.join(", ")})` });
    }
});

export type GrafanaSettings = z.infer<typeof grafanaSection>;

/** The keys outside the section that the checks below read. */
interface CrossKeys {
    readonly grafana: GrafanaSettings;
    readonly amp: { readonly enabled: boolean };
    readonly grafanaAuditServiceAccountKey?: unknown;
}

/**
 * Checks that span sections (a projectSchema `.superRefine` step): a Prometheus URL exactly when AMP
 * does not provide the endpoint, and the service-account key when the audit data sources use one.
 */
export function checkGrafanaKeys(s: CrossKeys, ctx: z.RefinementCtx): void {
    if (!s.amp.enabled && s.grafana.prometheus.url === undefined) {
        ctx.addIssue({
            code: "custom", path: ["grafana", "prometheus", "url"], input: undefined,
            message: "must be set when amp.enabled is false (the dashboards need a Prometheus to query)",
        });
    }
    if (s.amp.enabled && s.grafana.prometheus.url !== undefined) {
        ctx.addIssue({
            code: "custom", path: ["grafana", "prometheus", "url"], input: s.grafana.prometheus.url,
            message: "must not be set when amp.enabled is true: the data source queries the AMP workspace (remove url, or disable amp)",
        });
    }
    if (s.grafana.audit.auth === "jwt" && s.grafanaAuditServiceAccountKey === undefined) {
        ctx.addIssue({
            code: "custom", path: ["grafanaAuditServiceAccountKey"], input: undefined,
            message: "must be set (pulumi config set --secret grafanaAuditServiceAccountKey < key.json) when grafana.audit.auth is jwt",
        });
    }
}
