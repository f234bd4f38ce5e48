import * as assert from "assert";
import { PlanResource } from "../../../tools/engine";
import { StackRun, editSection, runStack, stackConfig, stackRun } from "../../harness";

/** Type tokens the GCP audit tests look up. */
export const T = {
    component: "kms-observability:gcp:KmsAuditLogging",
    auditConfig: "gcp:projects/iAMAuditConfig:IAMAuditConfig",
    orgAuditConfig: "gcp:organizations/iamAuditConfig:IamAuditConfig",
    folderAuditConfig: "gcp:folder/iamAuditConfig:IamAuditConfig",
    dataset: "gcp:bigquery/dataset:Dataset",
    datasetMember: "gcp:bigquery/datasetIamMember:DatasetIamMember",
    bucket: "gcp:storage/bucket:Bucket",
    bucketMember: "gcp:storage/bucketIAMMember:BucketIAMMember",
    projectSink: "gcp:logging/projectSink:ProjectSink",
    orgSink: "gcp:logging/organizationSink:OrganizationSink",
    folderSink: "gcp:logging/folderSink:FolderSink",
    metric: "gcp:logging/metric:Metric",
    keyMember: "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
};

/** The pinned sink filter: every Cloud KMS audit entry, whatever its resource type (see documents/gcp/filter.ts). */
export const KMS_FILTER = 'logName:"cloudaudit.googleapis.com" AND ' +
    '(protoPayload.serviceName="cloudkms.googleapis.com" OR protoPayload.serviceName="kmsinventory.googleapis.com")';

/** The `gcp` stack outputs. */
export interface GcpOutputs {
    auditDataset: string; datasetId: string; bucketName: string; bucketUrl: string;
    sinkNames: { bigquery: string; storage: string };
    sinkWriterIdentities: { bigquery: string; storage: string };
    logMetricNames: Record<string, string>;
}
export const gcpOut = (run: StackRun) => run.outputs.gcp as GcpOutputs;

/** The one sink of `type` whose destination starts with `prefix`. */
export function sinkBy(run: StackRun, type: string, prefix: string): PlanResource {
    const found = run.ofType(type).filter((r) => String(r.inputs.destination).startsWith(prefix));
    assert.strictEqual(found.length, 1, `one ${type} to ${prefix}`);
    return found[0];
}

export interface GcpRuns {
    prod: StackRun;
    staging: StackRun;
    /** Prod with an org scope, CMEK on both, an extra audited service, dataset expirations, locked retention. */
    org: StackRun;
    /** Staging with a folder scope and no retention policy. */
    fold: StackRun;
}

let runs: Promise<GcpRuns> | undefined;

/** The four evaluations every GCP component test asserts on, run once per mocha process. */
export function gcpRuns(): Promise<GcpRuns> {
    runs ??= (async () => {
        const prod = await stackRun("prod");
        const staging = await stackRun("staging");
        const org = await runStack(editSection(stackConfig("prod"), "gcp", (g) => {
            g.organizationId = "482310567019";
            g.extraAuditedServices = [{ service: "secretmanager.googleapis.com", logTypes: ["DATA_READ"] }];
            g.dataset = { ...(g.dataset as object), kmsKeyName: "projects/ledgermind-prod/locations/us/keyRings/audit/cryptoKeys/bq-audit",
                tableExpirationDays: 3650, partitionExpirationDays: 1095 };
            g.bucket = { ...(g.bucket as object), lockRetention: true,
                kmsKeyName: "projects/ledgermind-prod/locations/us-central1/keyRings/audit/cryptoKeys/gcs-audit" };
        }));
        const fold = await runStack(editSection(stackConfig("staging"), "gcp", (g) => {
            g.folderId = "730512846201";
            g.bucket = { ...(g.bucket as object), retentionDays: null };
        }));
        return { prod, staging, org, fold };
    })();
    return runs;
}
