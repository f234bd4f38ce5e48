import { PolicyResource, Rule, resourceRule } from "./rule";
import { DAY_SECONDS, asArray, asNumber, asObject, isTrue, show } from "./values";

export const GCS_BUCKET = "gcp:storage/bucket:Bucket";
export const BQ_DATASET = "gcp:bigquery/dataset:Dataset";

/** Audit evidence is kept two years in production (seed: 2-year retention). */
export const PROD_RETENTION_DAYS = 730;

/** IAM resources that replace every grant on their target: they would wipe grants others made. */
export const AUTHORITATIVE_IAM = [
    "gcp:projects/iAMPolicy:IAMPolicy", "gcp:projects/iAMBinding:IAMBinding",
    "gcp:organizations/iAMPolicy:IAMPolicy", "gcp:organizations/iAMBinding:IAMBinding",
    "gcp:folder/iAMPolicy:IAMPolicy", "gcp:folder/iAMBinding:IAMBinding",
    "gcp:bigquery/datasetIamPolicy:DatasetIamPolicy", "gcp:bigquery/datasetIamBinding:DatasetIamBinding",
    "gcp:storage/bucketIAMPolicy:BucketIAMPolicy", "gcp:storage/bucketIAMBinding:BucketIAMBinding",
    "gcp:kms/cryptoKeyIAMPolicy:CryptoKeyIAMPolicy", "gcp:kms/cryptoKeyIAMBinding:CryptoKeyIAMBinding",
    "gcp:kms/keyRingIAMPolicy:KeyRingIAMPolicy", "gcp:kms/keyRingIAMBinding:KeyRingIAMBinding",
];
/** Non-authoritative grants (one member, one role). */
export const IAM_MEMBERS = [
    "gcp:projects/iAMMember:IAMMember", "gcp:organizations/iAMMember:IAMMember", "gcp:folder/iAMMember:IAMMember",
    "gcp:bigquery/datasetIamMember:DatasetIamMember", "gcp:storage/bucketIAMMember:BucketIAMMember",
    "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "gcp:kms/keyRingIAMMember:KeyRingIAMMember",
];
/** Roles too broad for anything this stack grants (sink writers need dataEditor / objectCreator). */
const BROAD_ROLES = new Set(["roles/owner", "roles/editor", "roles/bigquery.admin", "roles/storage.admin", "roles/cloudkms.admin", "roles/iam.securityAdmin"]);
const PUBLIC_MEMBERS = new Set(["allUsers", "allAuthenticatedUsers"]);
/** Grants at project, folder or organization level: they reach every dataset, bucket and key below. */
export const SCOPE_WIDE_MEMBERS = ["gcp:projects/iAMMember:IAMMember", "gcp:organizations/iAMMember:IAMMember", "gcp:folder/iAMMember:IAMMember"];
/** A service account's own IAM: a grant there lets the member act as that service account. */
export const SERVICE_ACCOUNT_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember";
/**
 * Roles that let a member act as a service account (mint its tokens, attach it, manage its keys):
 * https://cloud.google.com/iam/docs/service-account-permissions. Nothing this stack grants needs one.
 */
/**
 * A grant to the CI deploy service account of components/ci: it creates and administers this program's
 * datasets and service accounts, so it holds project-level roles; it is reachable only from a
 * reviewer-protected environment (stack-ci-deploy-identity-protected-environment). Token creation
 * stays refused for it too.
 */
function isCiDeployGrant(r: { readonly urn: string; readonly props: Readonly<Record<string, unknown>> }): boolean {
    return r.urn.includes("::kms-observability:ci:CiIdentities$") && /^serviceAccount:[a-z0-9-]+-ci-deploy@/.test(String(r.props.member)) &&
        !/TokenCreator$/.test(String(r.props.role));
}

export const IMPERSONATION_ROLES = new Set([
    "roles/iam.serviceAccountTokenCreator", "roles/iam.serviceAccountUser", "roles/iam.serviceAccountKeyAdmin",
    "roles/iam.serviceAccountOpenIdTokenCreator", "roles/iam.workloadIdentityUser", "roles/iam.serviceAccountAdmin",
]);
/** Data roles belong on the dataset or bucket they are for, never on the whole project (every dataset/bucket). */
const DATA_ROLE = /^roles\/(bigquery\.data(Editor|Owner|Viewer)|storage\.object(Admin|Creator|User|Viewer)|storage\.legacy\w+)$/;

const retention = (r: PolicyResource) => asObject(r.props.retentionPolicy);
/** The bucket's retention in days (the provider takes seconds as a string), or undefined. */
const retentionDays = (r: PolicyResource) => {
    const s = asNumber(retention(r).retentionPeriod);
    return s === undefined ? undefined : s / DAY_SECONDS;
};

export const gcpStorageRules: Rule[] = [
    resourceRule({
        name: "gcp-bucket-uniform-access",
        description: "Buckets use uniform bucket-level access (uniformBucketLevelAccess): IAM only, no object ACLs.",
        types: [GCS_BUCKET],
        check: (r) => (isTrue(r.props.uniformBucketLevelAccess) ? [] : [`uniformBucketLevelAccess = ${show(r.props.uniformBucketLevelAccess)}: must be true`]),
    }),
    resourceRule({
        name: "gcp-bucket-public-access-prevention",
        description: "Buckets enforce public access prevention (publicAccessPrevention = enforced).",
        types: [GCS_BUCKET],
        check: (r) => (r.props.publicAccessPrevention === "enforced" ? [] : [`publicAccessPrevention = ${show(r.props.publicAccessPrevention)}: must be "enforced"`]),
    }),
    resourceRule({
        name: "gcp-bucket-versioning-or-retention",
        description: "Buckets protect object history: a retention policy, or else Object Versioning. Not both: Cloud Storage rejects versioning on a bucket with a retention policy.",
        types: [GCS_BUCKET],
        check: (r) => {
            const versioned = isTrue(asObject(r.props.versioning).enabled);
            if (r.props.retentionPolicy !== undefined && r.props.retentionPolicy !== null) {
                return versioned ? ["versioning is enabled on a bucket with a retention policy: Cloud Storage rejects the combination; the retention policy already prevents deletes and overwrites"] : [];
            }
            return versioned ? [] : [`no retention policy and versioning = ${show(r.props.versioning)}: an overwrite or delete would destroy evidence; enable versioning or set a retention policy`];
        },
    }),
    resourceRule({
        name: "gcp-bucket-no-force-destroy",
        description: "Buckets are never force-destroyed with their objects (forceDestroy is not true).",
        types: [GCS_BUCKET],
        check: (r) => (isTrue(r.props.forceDestroy) ? ["forceDestroy = true would delete every object with the bucket"] : []),
    }),
    resourceRule({
        name: "gcp-bucket-retention-prod",
        description: `In production, buckets have a retention policy of at least ${PROD_RETENTION_DAYS} days.`,
        types: [GCS_BUCKET],
        check: (r, ctx) => {
            if (!ctx.production) return [];
            const days = retentionDays(r);
            return days !== undefined && days >= PROD_RETENTION_DAYS ? []
                : [`retention ${days === undefined ? "is unset" : `is ${days} days`} in production stack ${ctx.stack}: must be at least ${PROD_RETENTION_DAYS} days`];
        },
    }),
    resourceRule({
        name: "gcp-bucket-retention-lock-prod-only",
        description: "Only production buckets lock their retention policy: a lock is irreversible and keeps a non-production bucket undeletable for the whole retention.",
        types: [GCS_BUCKET],
        check: (r, ctx) => (!ctx.production && isTrue(retention(r).isLocked)
            ? [`the retention policy is locked in non-production stack ${ctx.stack}; locking cannot be undone`] : []),
    }),
    resourceRule({
        name: "gcp-bucket-lifecycle-keeps-retention",
        description: "Lifecycle Delete rules never delete live objects before the retention period (or, in production, before 730 days).",
        types: [GCS_BUCKET],
        check: (r, ctx) => {
            const keep = Math.max(retentionDays(r) ?? 0, ctx.production ? PROD_RETENTION_DAYS : 0);
            return asArray(r.props.lifecycleRules).map(asObject)
                .filter((rule) => asObject(rule.action).type === "Delete")
                .map((rule) => asObject(rule.condition))
                // Deleting noncurrent versions does not touch the live copy that retention protects.
                .filter((c) => c.withState !== "ARCHIVED" && asNumber(c.age) !== undefined && (asNumber(c.age) ?? 0) < keep)
                .map((c) => `a lifecycle rule deletes objects at age ${show(c.age)} days, before the ${keep}-day retention`);
        },
    }),
    resourceRule({
        name: "gcp-dataset-no-default-expiration",
        description: "Datasets set no default table or partition expiration: audit rows must not age out silently.",
        types: [BQ_DATASET],
        check: (r) => ["defaultTableExpirationMs", "defaultPartitionExpirationMs"].filter((k) => r.props[k] !== undefined && r.props[k] !== null)
            .map((k) => `${k} = ${show(r.props[k])}: remove it (tables would be deleted after that time)`),
    }),
    resourceRule({
        name: "gcp-dataset-keeps-contents",
        description: "Datasets are never deleted with their tables (deleteContentsOnDestroy is not true).",
        types: [BQ_DATASET],
        check: (r) => (isTrue(r.props.deleteContentsOnDestroy) ? ["deleteContentsOnDestroy = true would drop every table with the dataset"] : []),
    }),
    resourceRule({
        name: "gcp-dataset-no-access-list",
        description: "Datasets declare no `accesses` list: it is authoritative and would wipe grants made elsewhere; use DatasetIamMember.",
        types: [BQ_DATASET],
        check: (r) => (asArray(r.props.accesses).length ? [`accesses has ${asArray(r.props.accesses).length} entr(ies): grant with gcp:bigquery/datasetIamMember:DatasetIamMember instead`] : []),
    }),
    resourceRule({
        name: "gcp-iam-non-authoritative",
        description: "IAM is granted with *IAMMember resources only; IAMPolicy/IAMBinding resources replace grants others made.",
        // Members are listed too: they are what the rule accepts.
        types: [...AUTHORITATIVE_IAM, ...IAM_MEMBERS],
        check: (r) => (AUTHORITATIVE_IAM.includes(r.type)
            ? [`${r.type} is authoritative: it would remove grants made outside this stack; use the matching IAMMember resource`] : []),
    }),
    resourceRule({
        name: "gcp-iam-no-broad-roles",
        description: `IAM grants use narrow roles: never ${[...BROAD_ROLES].join(", ")}.`,
        types: IAM_MEMBERS,
        check: (r) => (BROAD_ROLES.has(String(r.props.role)) ? [`grants ${r.props.role} to ${show(r.props.member)}; grant the narrow role it needs`] : []),
    }),
    resourceRule({
        name: "gcp-iam-no-impersonation-roles",
        description: `IAM grants never let a member act as a service account (${[...IMPERSONATION_ROLES].join(", ")}).`,
        types: [...IAM_MEMBERS, SERVICE_ACCOUNT_MEMBER],
        // One exception: the CI deploy service account (components/ci) administers the service accounts
        // this program creates; it is reachable only from a reviewer-protected environment
        // (stack-ci-deploy-identity-protected-environment). Token creators stay refused for everyone.
        // Workload identity federation: roles/iam.workloadIdentityUser to one exact federated subject
        // (principal://…/workloadIdentityPools/<pool>/subject/<sub>) is how a GitHub job reaches its
        // service account; gcp-wif-github-repository-condition judges the pool's condition.
        check: (r) => (IMPERSONATION_ROLES.has(String(r.props.role)) && !isCiDeployGrant(r) &&
            !(String(r.props.role) === "roles/iam.workloadIdentityUser" && /^principal:\/\/iam\.googleapis\.com\/projects\/\d+\/locations\/global\/workloadIdentityPools\/[a-z0-9-]+\/subject\/[^*]+$/.test(String(r.props.member)))
            ? [`grants ${r.props.role} to ${show(r.props.member)}: it could mint tokens for or act as a service account`] : []),
    }),
    resourceRule({
        name: "gcp-iam-data-roles-on-resource",
        description: "BigQuery and Cloud Storage data roles are granted on the dataset or bucket (DatasetIamMember, BucketIAMMember), never at project, folder or organization level.",
        types: SCOPE_WIDE_MEMBERS,
        check: (r) => (DATA_ROLE.test(String(r.props.role)) && !isCiDeployGrant(r)
            ? [`grants ${r.props.role} to ${show(r.props.member)} on the whole ${r.type.split(":")[1].split("/")[0].replace(/s$/, "")}: grant it on the one dataset or bucket`] : []),
    }),
    resourceRule({
        name: "gcp-iam-no-public-members",
        description: "IAM grants never go to allUsers or allAuthenticatedUsers.",
        types: IAM_MEMBERS,
        check: (r) => (PUBLIC_MEMBERS.has(String(r.props.member)) ? [`grants ${show(r.props.role)} to ${r.props.member}`] : []),
    }),
];
