import { z } from "zod";
import { intRange, labels } from "./common";
import { DATA_ACCESS_LOG_TYPES, KMS_KEY_NAME, KMS_SERVICE } from "../shared/gcp";

/**
 * `kms-observability:gcp` — Cloud KMS audit logging: Data Access audit config, a BigQuery dataset and a
 * GCS archive fed by log sinks, and log-based metrics for the events security counts.
 */

/** A Cloud KMS key's full resource name, the form BigQuery and Cloud Storage take for CMEK. */
const kmsKeyName = () => z.string().regex(KMS_KEY_NAME, {
    error: "must be a Cloud KMS key name like projects/<project>/locations/<location>/keyRings/<ring>/cryptoKeys/<key>",
});

/** A multi-region (US, EU) or a region (us-central1); BigQuery and Cloud Storage both accept these. */
const location = () => z.string().regex(/^(US|EU|[a-z]+-[a-z]+\d+)$/, {
    error: "must be a multi-region (US or EU) or a region like us-central1",
});

const days = (max: number) => intRange(1, max);

/** 100 years: the longest retention period Cloud Storage accepts (3,155,760,000 s). */
const MAX_RETENTION_DAYS = 36500;

const datasetSection = z.object({
    /** BigQuery dataset id. Default `kms_audit` (the seed's dataset). */
    id: z.string().regex(/^[A-Za-z0-9_]{1,1024}$/, {
        error: "must be a BigQuery dataset id: 1-1024 letters, digits or underscores",
    }).default("kms_audit"),
    /** Dataset location. Default `US`. */
    location: location().default("US"),
    /** CMEK for the dataset's tables (key in the dataset's location). Default: Google-managed encryption. */
    kmsKeyName: kmsKeyName().optional(),
    /** Default table expiration in days. Default none: audit tables are kept. */
    tableExpirationDays: days(MAX_RETENTION_DAYS).optional(),
    /** Default partition expiration in days (the sink writes day-partitioned tables). Default none. */
    partitionExpirationDays: days(MAX_RETENTION_DAYS).optional(),
}).strict().prefault({});

const lifecycleSection = z.object({
    /** Age (days) at which objects move from Standard to Nearline. Default 30 (Nearline's minimum storage duration). */
    nearlineAfterDays: days(MAX_RETENTION_DAYS).default(30),
    /** Age (days) at which objects move to Coldline. Default 90 (60 days in Nearline, over its 30-day minimum). */
    coldlineAfterDays: days(MAX_RETENTION_DAYS).default(90),
    /** Age (days) at which objects move to Archive. Default 180 (90 days in Coldline, its minimum). */
    archiveAfterDays: days(MAX_RETENTION_DAYS).default(180),
}).strict().prefault({});

const BUCKET_NAME_RULES = "must be a Cloud Storage bucket name: 3-63 lower-case letters, digits, '-' or '_', " +
    "starting and ending with a letter or digit (no dots: dotted names need domain verification)";
const bucketName = () => z.string({ error: BUCKET_NAME_RULES })
    .regex(/^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/, { error: BUCKET_NAME_RULES })
    .refine((s) => !s.startsWith("goog") && !s.includes("google"), {
        error: "must not start with \"goog\" or contain \"google\" (reserved by Cloud Storage)",
    });

const bucketSection = z.object({
    /** Archive bucket name, globally unique; one per stack (seed: `ledgermind-kms-audit-logs`). Required. */
    name: bucketName(),
    /** Bucket location. Default `US`. */
    location: location().default("US"),
    /** CMEK for the bucket's objects (key in the bucket's location). Default: Google-managed encryption. */
    kmsKeyName: kmsKeyName().optional(),
    /** Storage-class transitions by object age. */
    lifecycle: lifecycleSection,
    /**
     * Days objects are kept: a retention policy of this length (nothing can delete or replace an object
     * younger) and a lifecycle rule deleting objects older. Default 730 (the seed's 2 years). `null` keeps
     * objects forever with no retention policy; Object Versioning then guards against deletes instead
     * (Cloud Storage does not allow both on one bucket).
     */
    retentionDays: days(MAX_RETENTION_DAYS).nullable().default(730),
    /** Lock the retention policy. Irreversible: it can then never be shortened or removed. Default false. */
    lockRetention: z.boolean().default(false),
}).strict().superRefine((b, ctx) => {
    const { nearlineAfterDays: n, coldlineAfterDays: c, archiveAfterDays: a } = b.lifecycle;
    if (c <= n) {
        ctx.addIssue({ code: "custom", path: ["lifecycle", "coldlineAfterDays"], input: c,
            message: `must be greater than lifecycle.nearlineAfterDays (${n}): ages go Nearline < Coldline < Archive` });
    }
    if (a <= c) {
        ctx.addIssue({ code: "custom", path: ["lifecycle", "archiveAfterDays"], input: a,
            message: `must be greater than lifecycle.coldlineAfterDays (${c}): ages go Nearline < Coldline < Archive` });
    }
    if (b.retentionDays !== null && a >= b.retentionDays) {
        ctx.addIssue({ code: "custom", path: ["lifecycle", "archiveAfterDays"], input: a,
            message: `must be less than retentionDays (${b.retentionDays}): objects are deleted at that age` });
    }
    if (b.lockRetention && b.retentionDays === null) {
        ctx.addIssue({ code: "custom", path: ["lockRetention"], input: b.lockRetention,
            message: "can only be true with a retention policy: set retentionDays (there is nothing to lock)" });
    }
});

const serviceName = () => z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*\.googleapis\.com$/, {
    error: "must be a Google API service name like secretmanager.googleapis.com",
});

const auditedService = z.object({
    /** The API whose Data Access logs to enable, e.g. `secretmanager.googleapis.com`. */
    service: serviceName(),
    /** Data Access log types to enable. Default all three. */
    logTypes: z.array(z.enum(DATA_ACCESS_LOG_TYPES, {
        error: `must be one of ${DATA_ACCESS_LOG_TYPES.join(", ")}`,
    })).min(1, { error: "must list at least one log type" }).default([...DATA_ACCESS_LOG_TYPES]),
}).strict();

const numericId = (what: string) => z.string().regex(/^[1-9]\d{5,19}$/, { error: `must be a numeric ${what} id` });

export const gcpSection = z.object({
    dataset: datasetSection,
    bucket: bucketSection,
    /** Labels for the dataset and bucket, on top of the stack's `labels`. Default none. */
    labels: labels().default({}),
    /**
     * More services whose Data Access logs are enabled and exported by the same sinks. Cloud KMS itself
     * is always audited with every log type and cannot be listed here. Default none.
     */
    extraAuditedServices: z.array(auditedService).default([]),
    /** Export from every project under this organization (aggregated sink, includeChildren). Default: this project only. */
    organizationId: numericId("organization").optional(),
    /** Export from every project under this folder (aggregated sink, includeChildren). Default: this project only. */
    folderId: numericId("folder").optional(),
}).strict().superRefine((g, ctx) => {
    if (g.organizationId !== undefined && g.folderId !== undefined) {
        ctx.addIssue({ code: "custom", path: ["folderId"], input: g.folderId,
            message: "set either organizationId or folderId, not both: one aggregated sink scope" });
    }
    const seen = new Set<string>();
    g.extraAuditedServices.forEach((s, i) => {
        if (s.service === KMS_SERVICE) {
            ctx.addIssue({ code: "custom", path: ["extraAuditedServices", i, "service"], input: s.service,
                message: `${KMS_SERVICE} is always audited with every log type; remove it from extraAuditedServices` });
        } else if (seen.has(s.service)) {
            ctx.addIssue({ code: "custom", path: ["extraAuditedServices", i, "service"], input: s.service,
                message: "is listed twice; list each service once" });
        }
        seen.add(s.service);
    });
    // CMEK keys must live where the data does, or BigQuery / Cloud Storage reject them. (A malformed
    // name already has its own issue: refinements still run after failed format checks.)
    const sameLocation = (keyName: string | undefined, loc: string, path: PropertyKey[]) => {
        const keyLoc = keyName === undefined ? undefined : KMS_KEY_NAME.exec(keyName)?.[2];
        if (keyLoc !== undefined && keyLoc !== loc.toLowerCase()) {
            ctx.addIssue({ code: "custom", path, input: keyName,
                message: `must be a key in location ${loc.toLowerCase()} (the ${String(path[0])}'s location), not ${keyLoc}` });
        }
    };
    sameLocation(g.dataset.kmsKeyName, g.dataset.location, ["dataset", "kmsKeyName"]);
    sameLocation(g.bucket.kmsKeyName, g.bucket.location, ["bucket", "kmsKeyName"]);
});

export type GcpSettings = z.infer<typeof gcpSection>;
