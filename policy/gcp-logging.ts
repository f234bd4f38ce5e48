import { IAM_MEMBERS, SERVICE_ACCOUNT_MEMBER } from "./gcp-storage";
import { PolicyResource, Rule, resourceRule, stackRule } from "./rule";
import { DAY_SECONDS, asArray, asNumber, asObject, isTrue, show } from "./values";

export const PROJECT_SINK = "gcp:logging/projectSink:ProjectSink";
export const SINKS = [PROJECT_SINK, "gcp:logging/organizationSink:OrganizationSink", "gcp:logging/folderSink:FolderSink"];
export const AUDIT_CONFIGS = [
    "gcp:projects/iAMAuditConfig:IAMAuditConfig", "gcp:organizations/iamAuditConfig:IamAuditConfig", "gcp:folder/iamAuditConfig:IamAuditConfig",
];
export const CRYPTO_KEY = "gcp:kms/cryptoKey:CryptoKey";
const DATASET_MEMBER = "gcp:bigquery/datasetIamMember:DatasetIamMember";
const BUCKET_MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember";

/** Data Access logs come in three types; KMS evidence needs every one of them. */
export const LOG_TYPES = ["ADMIN_READ", "DATA_READ", "DATA_WRITE"];
export const KMS_SERVICE = "cloudkms.googleapis.com";
/** Cloud KMS keys rotate at least every 90 days, like the AWS keys. */
export const MAX_GCP_ROTATION_SECONDS = 90 * DAY_SECONDS;

/** The role a sink's writer identity needs on each destination kind, and the grant resource. */
const WRITER_GRANTS: { prefix: string; type: string; role: string }[] = [
    { prefix: "bigquery.googleapis.com/", type: DATASET_MEMBER, role: "roles/bigquery.dataEditor" },
    { prefix: "storage.googleapis.com/", type: BUCKET_MEMBER, role: "roles/storage.objectCreator" },
];

/** Cloud Logging's per-sink writer identities (uniqueWriterIdentity) are service agents of this domain. */
const LOGGING_AGENT = /@gcp-sa-logging\.iam\.gserviceaccount\.com$/;

const destination = (r: PolicyResource) => String(r.props.destination ?? "");
const logConfigs = (r: PolicyResource) => asArray(r.props.auditLogConfigs).map(asObject);

export const gcpLoggingRules: Rule[] = [
    resourceRule({
        name: "gcp-sink-unique-writer",
        description: "Project sinks write with their own service account (uniqueWriterIdentity = true), so grants can target that sink alone.",
        types: [PROJECT_SINK],
        check: (r) => (isTrue(r.props.uniqueWriterIdentity) ? [] : [`uniqueWriterIdentity = ${show(r.props.uniqueWriterIdentity)}: must be true`]),
    }),
    resourceRule({
        name: "gcp-sink-partitioned-tables",
        description: "Sinks into BigQuery write partitioned tables (bigqueryOptions.usePartitionedTables), so queries scan only the days they need.",
        types: SINKS,
        check: (r) => (destination(r).startsWith("bigquery.googleapis.com/") && !isTrue(asObject(r.props.bigqueryOptions).usePartitionedTables)
            ? [`bigqueryOptions = ${show(r.props.bigqueryOptions)}: set usePartitionedTables = true`] : []),
    }),
    resourceRule({
        name: "gcp-sink-active",
        description: "Audit sinks are enabled and exclude nothing (no disabled flag, no active exclusions).",
        types: SINKS,
        check: (r) => {
            const out = isTrue(r.props.disabled) ? ["the sink is disabled"] : [];
            const active = asArray(r.props.exclusions).map(asObject).filter((e) => !isTrue(e.disabled));
            return active.length ? [...out, `exclusions ${active.map((e) => show(e.name)).join(", ")} drop audit entries`] : out;
        },
    }),
    resourceRule({
        name: "gcp-sink-has-filter",
        description: "Sinks have a filter: an empty filter exports every log entry of the scope.",
        types: SINKS,
        check: (r) => (typeof r.props.filter === "string" && r.props.filter.trim() !== "" ? [] : ["the sink has no filter: it would export every log entry"]),
    }),
    resourceRule({
        name: "gcp-audit-config-all-log-types",
        description: `Audit configs enable all of ${LOG_TYPES.join(", ")}.`,
        types: AUDIT_CONFIGS,
        check: (r) => {
            const have = new Set(logConfigs(r).map((c) => String(c.logType)));
            const missing = LOG_TYPES.filter((t) => !have.has(t));
            return missing.length ? [`${show(r.props.service)} is missing log type(s) ${missing.join(", ")}`] : [];
        },
    }),
    resourceRule({
        name: "gcp-audit-config-no-exemptions",
        description: "Audit configs exempt no member from logging (exemptedMembers empty).",
        types: AUDIT_CONFIGS,
        check: (r) => logConfigs(r).filter((c) => asArray(c.exemptedMembers).length > 0)
            .map((c) => `${show(c.logType)} exempts ${asArray(c.exemptedMembers).join(", ")}: their KMS use would leave no trace`),
    }),
    resourceRule({
        name: "gcp-kms-crypto-key-rotation",
        description: "Cloud KMS keys rotate automatically, at most every 90 days (rotationPeriod ≤ 7776000s).",
        types: [CRYPTO_KEY],
        check: (r) => {
            const s = asNumber(String(r.props.rotationPeriod ?? "").replace(/s$/, ""));
            return s !== undefined && s <= MAX_GCP_ROTATION_SECONDS ? [] : [`rotationPeriod = ${show(r.props.rotationPeriod)}: must be set and at most ${MAX_GCP_ROTATION_SECONDS}s`];
        },
    }),
    stackRule({
        name: "gcp-audit-config-covers-kms",
        description: `A stack with log sinks enables Data Access audit logs for ${KMS_SERVICE} (or allServices).`,
        types: [...SINKS, ...AUDIT_CONFIGS],
        check: (resources) => (resources.some((r) => SINKS.includes(r.type)) &&
            !resources.some((r) => AUDIT_CONFIGS.includes(r.type) && [KMS_SERVICE, "allServices"].includes(String(r.props.service)))
            ? [{ message: `the stack exports KMS audit logs but enables no audit config for ${KMS_SERVICE}: only Admin Activity entries would arrive` }] : []),
    }),
    stackRule({
        name: "gcp-sink-writer-granted",
        description: "Each sink's writer identity is granted on its destination (roles/bigquery.dataEditor on the dataset, roles/storage.objectCreator on the bucket) by an IAM member resource.",
        types: [...SINKS, DATASET_MEMBER, BUCKET_MEMBER],
        check: (resources) => resources.filter((r) => SINKS.includes(r.type)).flatMap((sink) => {
            const need = WRITER_GRANTS.find((g) => destination(sink).startsWith(g.prefix));
            const granted = need && resources.some((m) => m.type === need.type && m.props.role === need.role && m.dependsOn.includes(sink.urn));
            return !need || granted ? [] : [{ urn: sink.urn, message: `sink ${sink.name}'s writer identity has no ${need.role} grant (${need.type}): entries would be dropped` }];
        }),
    }),
    stackRule({
        name: "gcp-sink-writer-least-privilege",
        description: "A sink's writer identity gets exactly its destination grant (roles/bigquery.dataEditor on the dataset, roles/storage.objectCreator on the bucket): no project-level role, no other role.",
        types: [...SINKS, ...IAM_MEMBERS, SERVICE_ACCOUNT_MEMBER],
        check: (resources) => {
            const sinks = new Set(resources.filter((r) => SINKS.includes(r.type)).map((r) => r.urn));
            return resources.filter((m) => [...IAM_MEMBERS, SERVICE_ACCOUNT_MEMBER].includes(m.type))
                .filter((m) => m.dependsOn.some((d) => sinks.has(d)) || LOGGING_AGENT.test(String(m.props.member ?? "")))
                .filter((m) => !WRITER_GRANTS.some((g) => g.type === m.type && g.role === m.props.role))
                .map((m) => ({ urn: m.urn, message: `${m.type} ${m.name} grants ${show(m.props.role)} to a sink writer identity: it may only get ${WRITER_GRANTS.map((g) => `${g.role} (${g.type.split(":")[2]})`).join(" or ")}` }));
        },
    }),
];
