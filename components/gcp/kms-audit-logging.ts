import * as pulumi from "@pulumi/pulumi";
import * as bigquery from "@pulumi/gcp/bigquery";
import * as folder from "@pulumi/gcp/folder";
import * as logging from "@pulumi/gcp/logging";
import * as organizations from "@pulumi/gcp/organizations";
import * as projects from "@pulumi/gcp/projects";
import * as storage from "@pulumi/gcp/storage";
import { cmekGrant } from "./cmek";
import { auditSinkFilter, auditedServices } from "../../documents/gcp/filter";
import { BucketSettings, archiveLifecycleRules, archiveRetentionPolicy, archiveVersioning } from "../../documents/gcp/lifecycle";
import { KMS_LOG_METRICS, KmsLogMetricKey, logMetricArgs } from "../../metrics/gcp-log-metrics";

/** The archive bucket's settings, as the lifecycle builders take them (documents/gcp/lifecycle.ts). */
export interface ArchiveBucketArgs extends BucketSettings {
    /** Bucket name, globally unique. */
    readonly name: string;
    /** Bucket location (region or multi-region). */
    readonly location: string;
    /** CMEK for the bucket's objects, in the bucket's location. Default: Google-managed encryption. */
    readonly kmsKeyName?: string;
}

export interface AuditDatasetArgs {
    /** BigQuery dataset id. */
    readonly id: string;
    /** Dataset location (`US`, `EU`, a region). */
    readonly location: string;
    /** Default table expiration in days. Default: tables never expire. */
    readonly tableExpirationDays?: number;
    /** Default partition expiration in days. Default: partitions never expire. */
    readonly partitionExpirationDays?: number;
    /** CMEK for the tables (`projects/…/cryptoKeys/…`, in the dataset's location). Default: Google-managed encryption. */
    readonly kmsKeyName?: string;
}

export interface KmsAuditLoggingArgs {
    /** Project holding the audit config, dataset, bucket, metrics and (without org/folder scope) the sinks. */
    readonly project: string;
    /** The BigQuery dataset the audit entries are exported to. */
    readonly dataset: AuditDatasetArgs;
    /** The GCS archive: name, location, lifecycle tiers, retention, CMEK. */
    readonly bucket: ArchiveBucketArgs;
    /** Services audited besides Cloud KMS, with their Data Access log types. Default none. */
    readonly extraAuditedServices?: readonly ExtraAuditedService[];
    /** Organization whose projects the sinks aggregate (`includeChildren`). Default: project sinks. Not with `folderId`. */
    readonly organizationId?: string;
    /** Folder whose projects the sinks aggregate (`includeChildren`). Default: project sinks. Not with `organizationId`. */
    readonly folderId?: string;
    /** Labels for the dataset and bucket. Default none. */
    readonly labels?: Readonly<Record<string, string>>;
    /** `protect` and `retainOnDelete` for the dataset and bucket. Default false. */
    readonly protectStateful?: boolean;
}

/** A service audited besides Cloud KMS (auditedServices in documents/gcp/filter.ts). */
export type ExtraAuditedService = Parameters<typeof auditedServices>[0]["extraAuditedServices"][number];

/** The aggregation scope and audited services, as the audit-config and sink helpers below need them. */
type Scope = Pick<KmsAuditLoggingArgs, "organizationId" | "folderId"> & { readonly extraAuditedServices: readonly ExtraAuditedService[] };

/** A sink's name and the identity it writes as, whichever sink type exports. */
interface Sink {
    readonly name: pulumi.Output<string>;
    readonly writerIdentity: pulumi.Output<string>;
}

const MS_PER_DAY = 86_400_000;

/**
 * The sink's write grant on the dataset is a DatasetIamMember, i.e. an entry of the dataset's access
 * list, and BigQuery updates a dataset with a PUT of the whole resource (datasets.update). Before
 * terraform-provider-google(-beta) v7.45.0 the provider's Update sent the access list it last read
 * (at creation, without the grant), so any later in-place change to the dataset applied without a
 * refresh removed the sink's grant and the export stopped with no error anywhere. v7.45.0 sends
 * `access` only when `access` itself changed (resourceBigQueryDatasetUpdateEncoder,
 * google-beta/services/bigquery/resource_bigquery_dataset.go; upstream fix "bigquery: do not send
 * access in update payload when omitted from config", hashicorp/terraform-provider-google-beta
 * 38685eb, magic-modules #18609). @pulumi/gcp bundles that provider from 9.35.0 on (pulumi/pulumi-gcp
 * v9.35.0: upstream submodule at 7.45.0); test/components/gcp/dataset-access.test.ts holds the floor.
 * Ignoring `accesses` keeps that condition true whatever happens to the dataset's inputs or state
 * (refresh, import, someone adding entries by hand): the engine never reports an access change, so
 * the provider never sends an access list and every update leaves the grants as they are. This is
 * the configuration of the upstream acceptance test
 * TestAccBigqueryDatasetIamMember_withDatasetAccessBlockAndIgnoreChanges.
 */
export const DATASET_ACCESS_IGNORED = ["accesses"] as const;

/** The first @pulumi/gcp whose provider leaves a dataset's access list alone on update (see above). */
export const GCP_DATASET_ACCESS_SAFE_VERSION = "9.35.0";

/**
 * Cloud KMS audit logging: Data Access logs on, every Cloud KMS audit entry exported to a BigQuery
 * dataset (partitioned tables, for queries) and a GCS archive (lifecycle-tiered, retention-locked on
 * request), the sinks' writer identity granted write access on those two destinations only, and
 * log-based metrics for the events security counts. Replaces the seed's setup-kms-audit-logging.sh.
 */
export class KmsAuditLogging extends pulumi.ComponentResource {
    /** `project:dataset`, as `bq` and the BigQuery console name it. */
    public readonly auditDataset: pulumi.Output<string>;
    public readonly datasetId: pulumi.Output<string>;
    public readonly bucketName: pulumi.Output<string>;
    /** `gs://<bucket>`. */
    public readonly bucketUrl: pulumi.Output<string>;
    public readonly sinkNames: pulumi.Output<{ bigquery: string; storage: string }>;
    /** The sinks' writer identities (`serviceAccount:...`), for anyone auditing the grants. */
    public readonly sinkWriterIdentities: pulumi.Output<{ bigquery: string; storage: string }>;
    /** Log-based metric names by purpose; Cloud Monitoring type `logging.googleapis.com/user/<name>`. */
    public readonly logMetricNames: pulumi.Output<Record<KmsLogMetricKey, string>>;

    constructor(name: string, args: KmsAuditLoggingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kms-observability:gcp:KmsAuditLogging", name, {}, opts);
        const { project } = args;
        const settings: Scope = { organizationId: args.organizationId, folderId: args.folderId, extraAuditedServices: args.extraAuditedServices ?? [] };
        const labels = { ...(args.labels ?? {}) };
        const stateful = { parent: this, protect: args.protectStateful ?? false, retainOnDelete: args.protectStateful ?? false };

        this.auditConfigs(name, project, settings);

        const ds = args.dataset;
        const bqGrant = ds.kmsKeyName ? cmekGrant(`${name}-dataset-cmek`, project, "bigquery", ds.kmsKeyName, this) : undefined;
        const dataset = new bigquery.Dataset(`${name}-dataset`, {
            project,
            datasetId: ds.id,
            location: ds.location,
            friendlyName: "Cloud KMS audit logs",
            description: "Cloud KMS audit log entries exported by the kms-audit log sink (day-partitioned tables).",
            labels,
            // Audit history must outlive a mistaken `pulumi destroy`: never drop the tables with the dataset.
            deleteContentsOnDestroy: false,
            defaultTableExpirationMs: ds.tableExpirationDays === undefined ? undefined : ds.tableExpirationDays * MS_PER_DAY,
            defaultPartitionExpirationMs: ds.partitionExpirationDays === undefined ? undefined : ds.partitionExpirationDays * MS_PER_DAY,
            defaultEncryptionConfiguration: ds.kmsKeyName ? { kmsKeyName: ds.kmsKeyName } : undefined,
            // No `accesses` here, ever: see DATASET_ACCESS_IGNORED.
        }, { ...stateful, dependsOn: bqGrant ? [bqGrant] : [], ignoreChanges: [...DATASET_ACCESS_IGNORED] });

        const b = args.bucket;
        const gcsGrant = b.kmsKeyName ? cmekGrant(`${name}-archive-cmek`, project, "storage", b.kmsKeyName, this) : undefined;
        const bucket = new storage.Bucket(`${name}-archive`, {
            project,
            name: b.name,
            location: b.location,
            storageClass: "STANDARD",
            labels,
            uniformBucketLevelAccess: true,
            publicAccessPrevention: "enforced",
            versioning: archiveVersioning(b),
            forceDestroy: false,
            lifecycleRules: archiveLifecycleRules(b),
            retentionPolicy: archiveRetentionPolicy(b),
            encryption: b.kmsKeyName ? { defaultKmsKeyName: b.kmsKeyName } : undefined,
        }, { ...stateful, dependsOn: gcsGrant ? [gcsGrant] : [] });

        const filter = auditSinkFilter(settings.extraAuditedServices.map((s) => s.service));
        const bqSink = this.sink(`${name}-bq`, project, settings, {
            destination: pulumi.interpolate`bigquery.googleapis.com/projects/${dataset.project}/datasets/${dataset.datasetId}`,
            filter,
            description: "Cloud KMS audit entries to BigQuery (partitioned tables)",
            // One day-partitioned table per log instead of a new table per day: cheaper, bounded queries.
            bigqueryOptions: { usePartitionedTables: true },
        });
        const gcsSink = this.sink(`${name}-gcs`, project, settings, {
            destination: pulumi.interpolate`storage.googleapis.com/${bucket.name}`,
            filter,
            description: "Cloud KMS audit entries to the GCS archive",
        });

        // Least privilege, non-authoritative: write access on the dataset and on the bucket only, never
        // project-wide, and grants others made there stay untouched. Cloud Logging gives every sink of one
        // parent the same service agent (ProjectSink docs), so both sinks may report one identity;
        // granting each sink the identity it reports is right either way.
        new bigquery.DatasetIamMember(`${name}-bq-writer`, {
            project: dataset.project,
            datasetId: dataset.datasetId,
            role: "roles/bigquery.dataEditor",
            member: bqSink.writerIdentity,
        // A replaced dataset (same id, so the member's inputs do not change) starts with an empty access
        // list: re-create the grant with it, or the export stops. `replaceWith` needs a Pulumi CLI from
        // December 2025 or later (https://www.pulumi.com/docs/iac/concepts/resources/options/replacewith/).
        }, { parent: this, replaceWith: [dataset] });
        new storage.BucketIAMMember(`${name}-gcs-writer`, {
            bucket: bucket.name,
            role: "roles/storage.objectCreator",
            member: gcsSink.writerIdentity,
        }, { parent: this, replaceWith: [bucket] });

        const metrics = KMS_LOG_METRICS.map((m) =>
            [m.key, new logging.Metric(`${name}-${m.name.replace(/^kms_/, "").replace(/_/g, "-")}`, { project, ...logMetricArgs(m) }, { parent: this })] as const);

        this.auditDataset = pulumi.interpolate`${dataset.project}:${dataset.datasetId}`;
        this.datasetId = dataset.datasetId;
        this.bucketName = bucket.name;
        this.bucketUrl = bucket.url;
        this.sinkNames = pulumi.all([bqSink.name, gcsSink.name]).apply(([bq, gcs]) => ({ bigquery: bq, storage: gcs }));
        this.sinkWriterIdentities = pulumi.all([bqSink.writerIdentity, gcsSink.writerIdentity])
            .apply(([bq, gcs]) => ({ bigquery: bq, storage: gcs }));
        this.logMetricNames = pulumi.all(metrics.map(([, r]) => r.name)).apply((names) =>
            Object.fromEntries(metrics.map(([key], i) => [key, names[i]])) as Record<KmsLogMetricKey, string>);
        this.registerOutputs({
            auditDataset: this.auditDataset, datasetId: this.datasetId, bucketName: this.bucketName, bucketUrl: this.bucketUrl,
            sinkNames: this.sinkNames, sinkWriterIdentities: this.sinkWriterIdentities, logMetricNames: this.logMetricNames,
        });
    }

    /**
     * Data Access logs for Cloud KMS (all three types, nobody exempted) and the extra services, on the
     * project. With an org/folder scope also there: audit configs are inherited by every project below,
     * so the aggregated sink gets the Data Access entries of child projects too, not only Admin Activity.
     * The project's own config stays so its logging does not hinge on the scope setting.
     */
    private auditConfigs(name: string, project: string, settings: Scope): void {
        for (const s of auditedServices({ extraAuditedServices: [...settings.extraAuditedServices] })) {
            const slug = s.service.replace(/\.googleapis\.com$/, "").replace(/\./g, "-");
            const auditLogConfigs = s.logTypes.map((logType) => ({ logType }));
            new projects.IAMAuditConfig(`${name}-data-access-${slug}`, { project, service: s.service, auditLogConfigs }, { parent: this });
            if (settings.organizationId !== undefined) {
                new organizations.IamAuditConfig(`${name}-org-data-access-${slug}`,
                    { orgId: settings.organizationId, service: s.service, auditLogConfigs }, { parent: this });
            } else if (settings.folderId !== undefined) {
                new folder.IamAuditConfig(`${name}-folder-data-access-${slug}`,
                    { folder: `folders/${settings.folderId}`, service: s.service, auditLogConfigs }, { parent: this });
            }
        }
    }

    /**
     * A project sink, or with an org/folder scope an aggregated sink over every project below it
     * (`includeChildren`). Aggregated sink names are unique per organization/folder, so they carry the
     * destination project (two stacks may aggregate the same scope). The writer identity is the
     * parent's Logging service agent (`uniqueWriterIdentity` on project sinks; always for aggregated
     * ones), not the shared `cloud-logs@system` account, so it can be granted on the destinations.
     */
    private sink(logicalName: string, project: string, settings: Scope, args: {
        destination: pulumi.Output<string>; filter: string; description: string; bigqueryOptions?: { usePartitionedTables: boolean };
    }): Sink {
        const opts = { parent: this };
        if (settings.organizationId !== undefined) {
            return new logging.OrganizationSink(logicalName,
                { ...args, name: `${logicalName}-${project}`, orgId: settings.organizationId, includeChildren: true }, opts);
        }
        if (settings.folderId !== undefined) {
            return new logging.FolderSink(logicalName,
                { ...args, name: `${logicalName}-${project}`, folder: settings.folderId, includeChildren: true }, opts);
        }
        return new logging.ProjectSink(logicalName, { ...args, project, name: logicalName, uniqueWriterIdentity: true }, opts);
    }
}
