import * as assert from "assert";
import { KmsAuditLogging } from "../../../components/gcp/kms-audit-logging";
import { KMS_LOG_METRICS } from "../../../metrics/gcp-log-metrics";
import { parseSettings } from "../../../config/load";
import { StackRun, stackConfig } from "../../harness";
import { assertNamesDerived, child, children, component, runAlone } from "../alone";

/** staging's archive settings (lifecycle tiers, retention) under another name. */
const bucket = { ...parseSettings(stackConfig("staging")).gcp.bucket, name: "acme-kms-archive", location: "EU", kmsKeyName: undefined };

describe("gcp: KmsAuditLogging alone (components/gcp/kms-audit-logging.ts)", () => {
    let project: StackRun;
    let org: StackRun;

    before(async () => {
        project = await runAlone(() => {
            const a = new KmsAuditLogging("audit", { project: "acme-sec", dataset: { id: "kms_audit", location: "EU" }, bucket, labels: { env: "t" } });
            return { auditDataset: a.auditDataset, bucketUrl: a.bucketUrl, sinkNames: a.sinkNames, logMetricNames: a.logMetricNames };
        });
        org = await runAlone(() => {
            new KmsAuditLogging("audit", { project: "acme-sec", dataset: { id: "kms_audit", location: "EU" }, bucket, organizationId: "123456789", protectStateful: true });
            return {};
        });
    });

    it("project scope: audit config, dataset, archive bucket, two project sinks, their grants and the log metrics, under the component", () => {
        const c = component(project, "kms-observability:gcp:KmsAuditLogging", "audit");
        const kids = children(project, c);
        for (const k of [
            "gcp:projects/iAMAuditConfig:IAMAuditConfig audit-data-access-cloudkms",
            "gcp:bigquery/dataset:Dataset audit-dataset",
            "gcp:storage/bucket:Bucket audit-archive",
            "gcp:logging/projectSink:ProjectSink audit-bq",
            "gcp:logging/projectSink:ProjectSink audit-gcs",
            "gcp:bigquery/datasetIamMember:DatasetIamMember audit-bq-writer",
            "gcp:storage/bucketIAMMember:BucketIAMMember audit-gcs-writer",
        ]) assert.ok(kids.includes(k), `${k} in ${kids.join(", ")}`);
        assert.strictEqual(project.ofType("gcp:logging/metric:Metric").filter((m) => m.parent === c.urn).length, KMS_LOG_METRICS.length);
        assert.strictEqual(kids.length, 7 + KMS_LOG_METRICS.length);
        assertNamesDerived(project, c);
        const ds = child(project, c, "gcp:bigquery/dataset:Dataset", "audit-dataset");
        assert.deepStrictEqual([ds.protect, ds.inputs.project, ds.inputs.datasetId, ds.inputs.labels], [false, "acme-sec", "kms_audit", { env: "t" }]);
        assert.strictEqual(child(project, c, "gcp:logging/projectSink:ProjectSink", "audit-bq").inputs.uniqueWriterIdentity, true);
    });

    it("outputs the dataset, the bucket URL, the sink names and a metric name per purpose", () => {
        assert.strictEqual(project.outputs.auditDataset, "acme-sec:kms_audit");
        assert.strictEqual(project.outputs.bucketUrl, "gs://acme-kms-archive");
        assert.deepStrictEqual(project.outputs.sinkNames, { bigquery: "audit-bq", storage: "audit-gcs" });
        assert.deepStrictEqual(Object.keys(project.outputs.logMetricNames as object).sort(), KMS_LOG_METRICS.map((m) => m.key).sort());
    });

    it("organization scope: aggregated organization sinks named after the project, org audit config, stateful resources protected", () => {
        const c = org.one("kms-observability:gcp:KmsAuditLogging");
        const sink = child(org, c, "gcp:logging/organizationSink:OrganizationSink", "audit-bq");
        assert.deepStrictEqual([sink.inputs.orgId, sink.inputs.includeChildren, sink.inputs.name], ["123456789", true, "audit-bq-acme-sec"]);
        assert.strictEqual(child(org, c, "gcp:organizations/iamAuditConfig:IamAuditConfig", "audit-org-data-access-cloudkms").inputs.orgId, "123456789");
        assert.deepStrictEqual(org.ofType("gcp:logging/projectSink:ProjectSink"), []);
        assert.strictEqual(child(org, c, "gcp:storage/bucket:Bucket", "audit-archive").protect, true);
    });
});
