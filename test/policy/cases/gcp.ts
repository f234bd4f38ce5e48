import { AUDIT_CONFIGS, CRYPTO_KEY, PROJECT_SINK } from "../../../policy/gcp-logging";
import { BQ_DATASET, GCS_BUCKET } from "../../../policy/gcp-storage";
import { CaseTable, FixtureResource, one, res } from "./types";

const DAY = 86_400;
const FILTER = 'protoPayload.serviceName="cloudkms.googleapis.com"';
const bucket = (props: Record<string, unknown> = {}) => res(GCS_BUCKET, {
    name: "ledgermind-prod-kms-audit", location: "US", uniformBucketLevelAccess: true, publicAccessPrevention: "enforced",
    versioning: { enabled: false }, forceDestroy: false, retentionPolicy: { retentionPeriod: String(730 * DAY), isLocked: false },
    lifecycleRules: [
        { action: { type: "SetStorageClass", storageClass: "NEARLINE" }, condition: { age: 30 } },
        { action: { type: "SetStorageClass", storageClass: "ARCHIVE" }, condition: { age: 365 } },
        { action: { type: "Delete" }, condition: { age: 730 } },
    ],
    ...props,
}, { name: "audit-archive" });
const dataset = (props: Record<string, unknown> = {}) => res(BQ_DATASET, { datasetId: "kms_audit", location: "US", deleteContentsOnDestroy: false, ...props }, { name: "audit-dataset" });
const sink = (props: Record<string, unknown> = {}, name = "kms-audit-bq") => res(PROJECT_SINK, {
    name, destination: "bigquery.googleapis.com/projects/ledgermind-prod/datasets/kms_audit", filter: FILTER,
    uniqueWriterIdentity: true, bigqueryOptions: { usePartitionedTables: true }, ...props,
}, { name });
const auditConfig = (configs: Record<string, unknown>[], service = "cloudkms.googleapis.com") =>
    res(AUDIT_CONFIGS[0], { project: "ledgermind-prod", service, auditLogConfigs: configs }, { name: "kms-audit-config" });
const ALL_TYPES = [{ logType: "ADMIN_READ" }, { logType: "DATA_READ" }, { logType: "DATA_WRITE" }];
const member = (type: string, role: string, member: string, dependsOn: string[] = []) => res(type, { role, member }, { name: `${role}-grant`, dependsOn });
const DATASET_MEMBER = "gcp:bigquery/datasetIamMember:DatasetIamMember";
const BUCKET_MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember";
const WRITER = "serviceAccount:service-428613029457@gcp-sa-logging.iam.gserviceaccount.com";
const gcsSink = sink({ destination: "storage.googleapis.com/ledgermind-prod-kms-audit", bigqueryOptions: undefined }, "kms-audit-gcs");
const wired: FixtureResource[] = [
    sink(), member(DATASET_MEMBER, "roles/bigquery.dataEditor", WRITER, ["kms-audit-bq"]),
    gcsSink, member(BUCKET_MEMBER, "roles/storage.objectCreator", WRITER, ["kms-audit-gcs"]),
];

const PROJECT_MEMBER = "gcp:projects/iAMMember:IAMMember";
const SA_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember";

export const gcpCases: CaseTable = {
    "gcp-iam-no-impersonation-roles": {
        pass: [one("dataset writer", member(DATASET_MEMBER, "roles/bigquery.dataEditor", WRITER))],
        fail: [
            one("token creator on the project", member(PROJECT_MEMBER, "roles/iam.serviceAccountTokenCreator", WRITER), { expect: /serviceAccountTokenCreator .* act as a service account/ }),
            one("token creator on a service account", member(SA_MEMBER, "roles/iam.serviceAccountTokenCreator", "user:x@ledger-mind.org")),
            one("service account user", member(PROJECT_MEMBER, "roles/iam.serviceAccountUser", "group:ops@ledger-mind.org")),
            one("workload identity user", member(SA_MEMBER, "roles/iam.workloadIdentityUser", "principalSet://iam.googleapis.com/x")),
        ],
    },
    "gcp-iam-data-roles-on-resource": {
        pass: [one("a project-level monitoring viewer", member(PROJECT_MEMBER, "roles/monitoring.viewer", "group:ops@ledger-mind.org"))],
        fail: [
            one("project-level bigquery.dataEditor", member(PROJECT_MEMBER, "roles/bigquery.dataEditor", WRITER), { expect: /on the whole project/ }),
            one("project-level storage.objectAdmin", member(PROJECT_MEMBER, "roles/storage.objectAdmin", WRITER)),
            one("folder-level bigquery.dataViewer", member("gcp:folder/iAMMember:IAMMember", "roles/bigquery.dataViewer", "group:all@ledger-mind.org")),
        ],
    },
    "gcp-sink-writer-least-privilege": {
        pass: [{ title: "exactly the destination grants", resources: wired }],
        fail: [
            { title: "writer also gets project-level dataEditor", resources: [...wired, member(PROJECT_MEMBER, "roles/bigquery.dataEditor", WRITER)], expect: /to a sink writer identity/ },
            { title: "writer gets token creator", resources: [...wired, member(SA_MEMBER, "roles/iam.serviceAccountTokenCreator", WRITER)] },
            { title: "writer gets dataOwner on the dataset", resources: [sink(), member(DATASET_MEMBER, "roles/bigquery.dataOwner", WRITER, ["kms-audit-bq"])] },
            { title: "a grant wired to the sink with another role", resources: [sink(), member(PROJECT_MEMBER, "roles/logging.admin", "serviceAccount:x@example.iam.gserviceaccount.com", ["kms-audit-bq"])] },
        ],
    },
    "gcp-bucket-uniform-access": {
        pass: [one("UBLA on", bucket())],
        fail: [one("UBLA off", bucket({ uniformBucketLevelAccess: false }), { expect: /uniformBucketLevelAccess = false/ }), one("UBLA unset", bucket({ uniformBucketLevelAccess: undefined }))],
    },
    "gcp-bucket-public-access-prevention": {
        pass: [one("enforced", bucket())],
        fail: [one("inherited", bucket({ publicAccessPrevention: "inherited" }), { expect: /"inherited": must be "enforced"/ }), one("unset", bucket({ publicAccessPrevention: undefined }))],
    },
    "gcp-bucket-versioning-or-retention": {
        pass: [one("retention policy, versioning off", bucket()), one("no retention, versioning on", bucket({ retentionPolicy: undefined, versioning: { enabled: true } }))],
        fail: [
            one("neither", bucket({ retentionPolicy: undefined, versioning: { enabled: false } }), { expect: /enable versioning or set a retention policy/ }),
            one("both (Cloud Storage rejects it)", bucket({ versioning: { enabled: true } }), { expect: /rejects the combination/ }),
        ],
    },
    "gcp-bucket-no-force-destroy": {
        pass: [one("false", bucket()), one("unset", bucket({ forceDestroy: undefined }))],
        fail: [one("true", bucket({ forceDestroy: true }), { expect: /delete every object/ })],
    },
    "gcp-bucket-retention-prod": {
        pass: [one("730 days in prod", bucket(), { stack: "prod" }), one("30 days in staging", bucket({ retentionPolicy: { retentionPeriod: String(30 * DAY) } }))],
        fail: [
            one("365 days in prod", bucket({ retentionPolicy: { retentionPeriod: String(365 * DAY) }, lifecycleRules: [] }), { stack: "prod", expect: /is 365 days in production stack prod: must be at least 730/ }),
            one("no retention in prod", bucket({ retentionPolicy: undefined }), { stack: "prod", expect: /is unset/ }),
        ],
    },
    "gcp-bucket-retention-lock-prod-only": {
        pass: [one("locked in prod", bucket({ retentionPolicy: { retentionPeriod: String(730 * DAY), isLocked: true } }), { stack: "prod" }), one("unlocked in staging", bucket())],
        fail: [one("locked in staging", bucket({ retentionPolicy: { retentionPeriod: String(730 * DAY), isLocked: true } }), { expect: /locked in non-production stack staging/ })],
    },
    "gcp-bucket-lifecycle-keeps-retention": {
        pass: [
            one("delete at 730 with 730-day retention", bucket(), { stack: "prod" }),
            one("deleting noncurrent versions early is fine", bucket({ lifecycleRules: [{ action: { type: "Delete" }, condition: { age: 7, withState: "ARCHIVED" } }] })),
            one("staging: delete at 30 with 30-day retention", bucket({ retentionPolicy: { retentionPeriod: String(30 * DAY) }, lifecycleRules: [{ action: { type: "Delete" }, condition: { age: 30 } }] })),
        ],
        fail: [
            one("delete at 365 with 730-day retention", bucket({ lifecycleRules: [{ action: { type: "Delete" }, condition: { age: 365 } }] }), { expect: /age 365 days, before the 730-day retention/ }),
            one("prod: delete at 400 without a retention policy", bucket({ retentionPolicy: undefined, lifecycleRules: [{ action: { type: "Delete" }, condition: { age: 400 } }] }), { stack: "prod" }),
        ],
    },
    "gcp-dataset-no-default-expiration": {
        pass: [one("no expiration", dataset())],
        fail: [
            one("tables expire after 90 days", dataset({ defaultTableExpirationMs: 90 * DAY * 1000 }), { expect: /defaultTableExpirationMs/ }),
            one("partitions expire", dataset({ defaultPartitionExpirationMs: 365 * DAY * 1000 }), { expect: /defaultPartitionExpirationMs/ }),
        ],
    },
    "gcp-dataset-keeps-contents": {
        pass: [one("false", dataset())],
        fail: [one("true", dataset({ deleteContentsOnDestroy: true }), { expect: /drop every table/ })],
    },
    "gcp-dataset-no-access-list": {
        pass: [one("no accesses", dataset())],
        fail: [one("authoritative accesses", dataset({ accesses: [{ role: "OWNER", specialGroup: "projectOwners" }, { role: "WRITER", iamMember: WRITER }] }), { expect: /2 entr/ })],
    },
    "gcp-iam-non-authoritative": {
        pass: [one("dataset IAM member", member(DATASET_MEMBER, "roles/bigquery.dataEditor", WRITER))],
        fail: [
            one("dataset IAM binding", res("gcp:bigquery/datasetIamBinding:DatasetIamBinding", { role: "roles/bigquery.dataEditor", members: [WRITER] }), { expect: /authoritative/ }),
            one("project IAM policy", res("gcp:projects/iAMPolicy:IAMPolicy", { project: "ledgermind-prod", policyData: "{}" })),
        ],
    },
    "gcp-iam-no-broad-roles": {
        pass: [one("objectCreator", member(BUCKET_MEMBER, "roles/storage.objectCreator", WRITER))],
        fail: [one("storage.admin", member(BUCKET_MEMBER, "roles/storage.admin", WRITER), { expect: /grants roles\/storage.admin/ }), one("project editor", member("gcp:projects/iAMMember:IAMMember", "roles/editor", WRITER))],
    },
    "gcp-iam-no-public-members": {
        pass: [one("service account", member(BUCKET_MEMBER, "roles/storage.objectCreator", WRITER))],
        fail: [one("allUsers", member(BUCKET_MEMBER, "roles/storage.objectViewer", "allUsers"), { expect: /to allUsers/ })],
    },
    "gcp-sink-unique-writer": {
        pass: [one("unique identity", sink())],
        fail: [one("shared identity", sink({ uniqueWriterIdentity: false }), { expect: /must be true/ }), one("unset", sink({ uniqueWriterIdentity: undefined }))],
    },
    "gcp-sink-partitioned-tables": {
        pass: [one("partitioned", sink()), one("GCS sinks have no tables", gcsSink), one("organization sink, partitioned", res("gcp:logging/organizationSink:OrganizationSink", { orgId: "123", destination: "bigquery.googleapis.com/projects/p/datasets/kms_audit", filter: FILTER, includeChildren: true, bigqueryOptions: { usePartitionedTables: true } }))],
        fail: [one("date-sharded tables", sink({ bigqueryOptions: { usePartitionedTables: false } }), { expect: /usePartitionedTables = true/ }), one("no bigqueryOptions", sink({ bigqueryOptions: undefined }))],
    },
    "gcp-sink-active": {
        pass: [one("enabled, no exclusions", sink()), one("a disabled exclusion", sink({ exclusions: [{ name: "noise", filter: "severity<INFO", disabled: true }] }))],
        fail: [one("sink disabled", sink({ disabled: true }), { expect: /disabled/ }), one("active exclusion", sink({ exclusions: [{ name: "skip-decrypt", filter: 'protoPayload.methodName="Decrypt"' }] }), { expect: /"skip-decrypt" drop/ })],
    },
    "gcp-sink-has-filter": {
        pass: [one("KMS filter", sink())],
        fail: [one("no filter", sink({ filter: undefined }), { expect: /every log entry/ }), one("blank filter", sink({ filter: "  " }))],
    },
    "gcp-audit-config-all-log-types": {
        pass: [one("all three", auditConfig(ALL_TYPES))],
        fail: [one("admin read only", auditConfig([{ logType: "ADMIN_READ" }]), { expect: /DATA_READ, DATA_WRITE/ }), one("organization config without DATA_WRITE", res(AUDIT_CONFIGS[1], { orgId: "123", service: "allServices", auditLogConfigs: ALL_TYPES.slice(0, 2) }))],
    },
    "gcp-audit-config-no-exemptions": {
        pass: [one("no exemptions", auditConfig(ALL_TYPES))],
        fail: [one("exempted CI account", auditConfig([...ALL_TYPES.slice(0, 2), { logType: "DATA_WRITE", exemptedMembers: ["serviceAccount:ci@ledgermind-prod.iam.gserviceaccount.com"] }]), { expect: /"DATA_WRITE" exempts serviceAccount:ci/ })],
    },
    "gcp-kms-crypto-key-rotation": {
        pass: [one("90 days", res(CRYPTO_KEY, { keyRing: "kr", rotationPeriod: "7776000s" }))],
        fail: [one("yearly", res(CRYPTO_KEY, { keyRing: "kr", rotationPeriod: "31536000s" }), { expect: /at most 7776000s/ }), one("never", res(CRYPTO_KEY, { keyRing: "kr" }))],
    },
    "gcp-audit-config-covers-kms": {
        pass: [{ title: "sink with a KMS audit config", resources: [sink(), auditConfig(ALL_TYPES)] }, { title: "allServices", resources: [sink(), auditConfig(ALL_TYPES, "allServices")] }, { title: "no sinks, nothing to cover", resources: [auditConfig(ALL_TYPES, "storage.googleapis.com")] }],
        fail: [{ title: "sink without audit config", resources: [sink()], expect: /no audit config for cloudkms/ }, { title: "audit config for another service", resources: [sink(), auditConfig(ALL_TYPES, "storage.googleapis.com")] }],
    },
    "gcp-sink-writer-granted": {
        pass: [{ title: "both sinks granted on their destinations", resources: wired }],
        fail: [
            { title: "BigQuery sink without grant", resources: [sink()], expect: /kms-audit-bq's writer identity has no roles\/bigquery.dataEditor/ },
            { title: "GCS sink granted the wrong role", resources: [gcsSink, member(BUCKET_MEMBER, "roles/storage.objectViewer", WRITER, ["kms-audit-gcs"])] },
        ],
    },
};
