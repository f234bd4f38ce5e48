import * as assert from "assert";
import { StackRun } from "../../harness";
import { T, gcpRuns } from "./runs";

describe("gcp: KmsAuditLogging — dataset, archive bucket, CMEK (components/gcp)", () => {
    let prod: StackRun;
    let staging: StackRun;
    let org: StackRun;
    let fold: StackRun;

    before(async () => ({ prod, staging, org, fold } = await gcpRuns()));

    describe("BigQuery dataset", () => {
        it("kms_audit in the configured location, labelled, never deleting its contents, no default expiration", () => {
            const d = prod.one(T.dataset);
            assert.strictEqual(d.inputs.datasetId, "kms_audit");
            assert.strictEqual(d.inputs.project, "ledgermind-prod");
            assert.strictEqual(d.inputs.location, "US");
            assert.strictEqual(staging.one(T.dataset).inputs.location, "EU");
            assert.deepStrictEqual(d.inputs.labels, { env: "prod", team: "platform", "cost-center": "security", "data-class": "audit-log" });
            assert.strictEqual(d.inputs.deleteContentsOnDestroy, false);
            for (const k of ["defaultTableExpirationMs", "defaultPartitionExpirationMs", "defaultEncryptionConfiguration"]) {
                assert.strictEqual(d.inputs[k], undefined, k);
            }
        });

        it("takes table/partition expirations and a CMEK key when configured", () => {
            const d = org.one(T.dataset);
            assert.strictEqual(d.inputs.defaultTableExpirationMs, 3650 * 86_400_000);
            assert.strictEqual(d.inputs.defaultPartitionExpirationMs, 1095 * 86_400_000);
            assert.deepStrictEqual(d.inputs.defaultEncryptionConfiguration,
                { kmsKeyName: "projects/ledgermind-prod/locations/us/keyRings/audit/cryptoKeys/bq-audit" });
        });
    });

    describe("GCS archive bucket", () => {
        it("uniform access, public access prevention enforced, no force-destroy, Standard to start", () => {
            const b = prod.one(T.bucket);
            assert.strictEqual(b.inputs.name, "ledgermind-kms-audit-logs");
            assert.strictEqual(b.inputs.location, "us-central1");
            assert.strictEqual(b.inputs.uniformBucketLevelAccess, true);
            assert.strictEqual(b.inputs.publicAccessPrevention, "enforced");
            assert.strictEqual(b.inputs.forceDestroy, false);
            assert.strictEqual(b.inputs.storageClass, "STANDARD");
            assert.strictEqual(b.inputs.encryption, undefined);
            assert.strictEqual(staging.one(T.bucket).inputs.name, "ledgermind-kms-audit-logs-staging");
        });

        it("moves objects to colder classes at 30/90/180 days and deletes them at 730", () => {
            assert.deepStrictEqual(prod.one(T.bucket).inputs.lifecycleRules, [
                { action: { type: "SetStorageClass", storageClass: "NEARLINE" }, condition: { age: 30, matchesStorageClasses: ["STANDARD"] } },
                { action: { type: "SetStorageClass", storageClass: "COLDLINE" }, condition: { age: 90, matchesStorageClasses: ["STANDARD", "NEARLINE"] } },
                { action: { type: "SetStorageClass", storageClass: "ARCHIVE" },
                    condition: { age: 180, matchesStorageClasses: ["STANDARD", "NEARLINE", "COLDLINE"] } },
                { action: { type: "Delete" }, condition: { age: 730 } },
            ]);
        });

        it("has an unlocked 730-day retention policy by default (so no Object Versioning: GCS forbids both)", () => {
            const b = prod.one(T.bucket);
            assert.deepStrictEqual(b.inputs.retentionPolicy, { retentionPeriod: String(730 * 86400), isLocked: false });
            assert.deepStrictEqual(b.inputs.versioning, { enabled: false });
        });

        it("locks the retention policy only when asked", () => {
            assert.deepStrictEqual(org.one(T.bucket).inputs.retentionPolicy, { retentionPeriod: "63072000", isLocked: true });
        });

        it("without retention: versioning on, no retention policy, nothing deleted", () => {
            const b = fold.one(T.bucket);
            assert.deepStrictEqual(b.inputs.versioning, { enabled: true });
            assert.strictEqual(b.inputs.retentionPolicy, undefined);
            assert.ok(!(b.inputs.lifecycleRules as { action: { type: string } }[]).some((r) => r.action.type === "Delete"));
        });
    });

    describe("CMEK", () => {
        it("encrypts with the configured keys and lets each service agent use its key, before the resource exists", () => {
            const b = org.one(T.bucket);
            assert.deepStrictEqual(b.inputs.encryption,
                { defaultKmsKeyName: "projects/ledgermind-prod/locations/us-central1/keyRings/audit/cryptoKeys/gcs-audit" });
            const grants = Object.fromEntries(org.ofType(T.keyMember).map((g) => [g.inputs.cryptoKeyId, g]));
            assert.deepStrictEqual(Object.keys(grants).sort(),
                ["ledgermind-prod/us-central1/audit/gcs-audit", "ledgermind-prod/us/audit/bq-audit"]);
            const bq = grants["ledgermind-prod/us/audit/bq-audit"];
            const gcs = grants["ledgermind-prod/us-central1/audit/gcs-audit"];
            for (const g of [bq, gcs]) assert.strictEqual(g.inputs.role, "roles/cloudkms.cryptoKeyEncrypterDecrypter");
            assert.match(String(bq.inputs.member), /^serviceAccount:bq-\d+@bigquery-encryption\.iam\.gserviceaccount\.com$/);
            assert.match(String(gcs.inputs.member), /^serviceAccount:service-\d+@gs-project-accounts\.iam\.gserviceaccount\.com$/);
            assert.ok(org.one(T.dataset).dependsOn.includes(bq.urn));
            assert.ok(b.dependsOn.includes(gcs.urn));
            assert.strictEqual(prod.ofType(T.keyMember).length, 0);
        });
    });
});
