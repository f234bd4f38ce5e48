import * as assert from "assert";
import { StackRun } from "../../harness";
import { KMS_FILTER, T, gcpOut, gcpRuns, sinkBy } from "./runs";

const ALL_LOG_TYPES = [{ logType: "ADMIN_READ" }, { logType: "DATA_READ" }, { logType: "DATA_WRITE" }];

describe("gcp: KmsAuditLogging — audit config, sinks, grants, metrics (components/gcp)", () => {
    let prod: StackRun;
    let staging: StackRun;
    let org: StackRun;
    let fold: StackRun;

    before(async () => ({ prod, staging, org, fold } = await gcpRuns()));

    describe("audit config", () => {
        it("enables ADMIN_READ, DATA_READ and DATA_WRITE for cloudkms.googleapis.com on the project, nobody exempted", () => {
            const ac = prod.one(T.auditConfig);
            assert.strictEqual(ac.inputs.project, "ledgermind-prod");
            assert.strictEqual(ac.inputs.service, "cloudkms.googleapis.com");
            assert.deepStrictEqual(ac.inputs.auditLogConfigs, ALL_LOG_TYPES);
        });

        it("adds configured services without touching Cloud KMS's log types, and exports them through the sinks", () => {
            const byService = Object.fromEntries(org.ofType(T.auditConfig).map((r) => [r.inputs.service, r.inputs.auditLogConfigs]));
            assert.deepStrictEqual(byService, {
                "cloudkms.googleapis.com": ALL_LOG_TYPES,
                "secretmanager.googleapis.com": [{ logType: "DATA_READ" }],
            });
            for (const sink of org.ofType(T.orgSink)) {
                assert.strictEqual(sink.inputs.filter, KMS_FILTER.replace(/\)$/, ' OR protoPayload.serviceName="secretmanager.googleapis.com")'));
            }
        });

        it("with an org or folder scope also enables them there, so child projects write Data Access entries", () => {
            const orgAc = org.ofType(T.orgAuditConfig).find((r) => r.inputs.service === "cloudkms.googleapis.com");
            assert.ok(orgAc);
            assert.strictEqual(orgAc.inputs.orgId, "482310567019");
            assert.deepStrictEqual(orgAc.inputs.auditLogConfigs, ALL_LOG_TYPES);
            const folderAc = fold.one(T.folderAuditConfig);
            assert.strictEqual(folderAc.inputs.folder, "folders/730512846201");
            assert.deepStrictEqual(folderAc.inputs.auditLogConfigs, ALL_LOG_TYPES);
            assert.strictEqual(prod.ofType(T.orgAuditConfig).length + prod.ofType(T.folderAuditConfig).length, 0);
        });
    });

    describe("sinks", () => {
        it("share one filter catching every Cloud KMS audit entry, with no resource.type restriction", () => {
            const sinks = prod.ofType(T.projectSink);
            assert.strictEqual(sinks.length, 2);
            for (const s of sinks) {
                assert.strictEqual(s.inputs.filter, KMS_FILTER);
                assert.doesNotMatch(String(s.inputs.filter), /resource\.type/);
            }
        });

        it("BigQuery: project sink to the dataset, unique writer identity, partitioned tables", () => {
            const s = sinkBy(prod, T.projectSink, "bigquery.googleapis.com/");
            assert.strictEqual(s.inputs.destination, "bigquery.googleapis.com/projects/ledgermind-prod/datasets/kms_audit");
            assert.strictEqual(s.inputs.project, "ledgermind-prod");
            assert.strictEqual(s.inputs.uniqueWriterIdentity, true);
            assert.deepStrictEqual(s.inputs.bigqueryOptions, { usePartitionedTables: true });
        });

        it("GCS: project sink to the bucket, unique writer identity", () => {
            const s = sinkBy(prod, T.projectSink, "storage.googleapis.com/");
            assert.strictEqual(s.inputs.destination, "storage.googleapis.com/ledgermind-kms-audit-logs");
            assert.strictEqual(s.inputs.uniqueWriterIdentity, true);
            assert.strictEqual(s.inputs.bigqueryOptions, undefined);
        });

        it("org scope: aggregated organization sinks with includeChildren to the same destinations, no project sink", () => {
            assert.strictEqual(org.ofType(T.projectSink).length, 0);
            const bq = sinkBy(org, T.orgSink, "bigquery.googleapis.com/");
            const gcs = sinkBy(org, T.orgSink, "storage.googleapis.com/");
            for (const s of [bq, gcs]) {
                assert.strictEqual(s.inputs.orgId, "482310567019");
                assert.strictEqual(s.inputs.includeChildren, true);
            }
            assert.strictEqual(bq.inputs.destination, "bigquery.googleapis.com/projects/ledgermind-prod/datasets/kms_audit");
            assert.deepStrictEqual(bq.inputs.bigqueryOptions, { usePartitionedTables: true });
            assert.strictEqual(gcs.inputs.destination, "storage.googleapis.com/ledgermind-kms-audit-logs");
            assert.strictEqual(bq.inputs.name, "kms-audit-bq-ledgermind-prod");
        });

        it("folder scope: aggregated folder sinks with includeChildren", () => {
            assert.strictEqual(fold.ofType(T.projectSink).length, 0);
            const sinks = fold.ofType(T.folderSink);
            assert.strictEqual(sinks.length, 2);
            for (const s of sinks) {
                assert.strictEqual(s.inputs.folder, "730512846201");
                assert.strictEqual(s.inputs.includeChildren, true);
                assert.strictEqual(s.inputs.filter, KMS_FILTER);
            }
        });
    });

    describe("least-privilege grants", () => {
        for (const [label, get, sinkType, project] of [
            ["project", () => prod, T.projectSink, "ledgermind-prod"],
            ["organization", () => org, T.orgSink, "ledgermind-prod"],
            ["folder", () => fold, T.folderSink, "ledgermind-staging"],
        ] as const) {
            it(`${label} sinks: each sink's writer identity gets write access on its destination only`, () => {
                const run = get();
                const bqSink = run.byUrn(sinkBy(run, sinkType, "bigquery.googleapis.com/").urn);
                const gcsSink = run.byUrn(sinkBy(run, sinkType, "storage.googleapis.com/").urn);
                const ids = gcpOut(run).sinkWriterIdentities;
                // Cloud Logging's service agent of the sink's parent (shared by that parent's sinks).
                assert.match(ids.bigquery, /^serviceAccount:service-(\d+|org-\d+|folder-\d+)@gcp-sa-logging\.iam\.gserviceaccount\.com$/);
                assert.match(ids.storage, /^serviceAccount:service-(\d+|org-\d+|folder-\d+)@gcp-sa-logging\.iam\.gserviceaccount\.com$/);

                const dm = run.one(T.datasetMember);
                assert.strictEqual(dm.inputs.role, "roles/bigquery.dataEditor");
                assert.strictEqual(dm.inputs.member, ids.bigquery);
                assert.strictEqual(dm.inputs.datasetId, "kms_audit");
                assert.strictEqual(dm.inputs.project, project);
                assert.ok(dm.dependsOn.includes(bqSink.urn));

                const bm = run.one(T.bucketMember);
                assert.strictEqual(bm.inputs.role, "roles/storage.objectCreator");
                assert.strictEqual(bm.inputs.member, ids.storage);
                assert.strictEqual(bm.inputs.bucket, gcpOut(run).bucketName);
                assert.ok(bm.dependsOn.includes(gcsSink.urn));
            });
        }

        it("uses member resources only: no authoritative binding, policy or dataset access list", () => {
            const types = new Set(prod.resources.map((r) => r.type));
            for (const t of ["gcp:bigquery/datasetIamBinding:DatasetIamBinding", "gcp:bigquery/datasetIamPolicy:DatasetIamPolicy",
                "gcp:bigquery/datasetAccess:DatasetAccess", "gcp:storage/bucketIAMBinding:BucketIAMBinding",
                "gcp:storage/bucketIAMPolicy:BucketIAMPolicy", "gcp:projects/iAMBinding:IAMBinding", "gcp:projects/iAMPolicy:IAMPolicy"]) {
                assert.ok(!types.has(t), `${t} would wipe grants others made`);
            }
            assert.strictEqual(prod.one(T.dataset).inputs.accesses, undefined);
        });
    });

    describe("log-based metrics", () => {
        const EXPECTED: Record<string, RegExp> = {
            kms_key_version_destroy: /protoPayload\.methodName=~"\(\^\|\[\.\]\)DestroyCryptoKeyVersion\$"$/,
            kms_key_version_disable: /UpdateCryptoKeyVersion\$" AND protoPayload\.request\.cryptoKeyVersion\.state="DISABLED"$/,
            kms_iam_policy_change: /protoPayload\.methodName=~"\(\^\|\[\.\]\)SetIamPolicy\$"$/,
            kms_permission_denied: / AND protoPayload\.status\.code=7$/,
        };

        it("counts destroys, disables, IAM policy changes and denied calls over Cloud KMS audit entries", () => {
            const metrics = prod.ofType(T.metric);
            assert.deepStrictEqual(metrics.map((m) => m.inputs.name).sort(), Object.keys(EXPECTED).sort());
            for (const m of metrics) {
                const filter = String(m.inputs.filter);
                assert.ok(filter.startsWith(`${KMS_FILTER} AND `), `${String(m.inputs.name)} is scoped to Cloud KMS audit entries`);
                assert.match(filter, EXPECTED[String(m.inputs.name)]);
                assert.strictEqual(m.inputs.project, "ledgermind-prod");
                const d = m.inputs.metricDescriptor as { metricKind: string; valueType: string; labels: { key: string }[] };
                assert.deepStrictEqual([d.metricKind, d.valueType], ["DELTA", "INT64"]);
                assert.deepStrictEqual(d.labels.map((l) => l.key).sort(), Object.keys(m.inputs.labelExtractors as object).sort());
            }
        });

        it("exports the metric names for the dashboards", () => {
            assert.deepStrictEqual(gcpOut(prod).logMetricNames, {
                keyVersionDestroy: "kms_key_version_destroy",
                keyVersionDisable: "kms_key_version_disable",
                iamPolicyChange: "kms_iam_policy_change",
                permissionDenied: "kms_permission_denied",
            });
        });
    });

    describe("prod safety and outputs", () => {
        it("protects and retains the dataset and bucket in prod, not in staging", () => {
            for (const t of [T.dataset, T.bucket]) {
                const p = prod.one(t);
                const s = staging.one(t);
                assert.deepStrictEqual([p.protect, p.retainOnDelete], [true, true], `${t} in prod`);
                assert.deepStrictEqual([s.protect, s.retainOnDelete], [false, false], `${t} in staging`);
            }
            const component = prod.one(T.component);
            const children = prod.resources.filter((r) => r.parent === component.urn);
            // Audit config, dataset, bucket, 2 sinks, 2 grants, 4 metrics.
            assert.strictEqual(children.length, 11, children.map((c) => c.type).join(", "));
            for (const r of children.filter((c) => c.type !== T.dataset && c.type !== T.bucket)) {
                assert.strictEqual(r.protect, false, `${r.type} is replaceable`);
            }
        });

        it("returns dataset, bucket, sinks and metrics under `gcp`", () => {
            const o = gcpOut(prod);
            assert.strictEqual(o.auditDataset, "ledgermind-prod:kms_audit");
            assert.strictEqual(o.datasetId, "kms_audit");
            assert.strictEqual(o.bucketName, "ledgermind-kms-audit-logs");
            assert.strictEqual(o.bucketUrl, "gs://ledgermind-kms-audit-logs");
            assert.deepStrictEqual(o.sinkNames, { bigquery: "kms-audit-bq", storage: "kms-audit-gcs" });
            assert.strictEqual(gcpOut(staging).auditDataset, "ledgermind-staging:kms_audit");
        });
    });
});

