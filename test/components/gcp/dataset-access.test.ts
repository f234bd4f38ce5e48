import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { DATASET_ACCESS_IGNORED, GCP_DATASET_ACCESS_SAFE_VERSION } from "../../../components/gcp/kms-audit-logging";
import { ROOT } from "../../harness";
import { T, gcpRuns } from "./runs";

/** `a.b.c` as numbers, for comparing exact versions. */
const parts = (v: string) => v.split(/[.-]/).slice(0, 3).map(Number);
const atLeast = (v: string, floor: string) => {
    const [a, b] = [parts(v), parts(floor)];
    for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
    return true;
};

/**
 * Issue 14 "The audit export can stop silently": the sink's grant is an entry of the dataset's access
 * list, and an update of the dataset must never send an access list (see DATASET_ACCESS_IGNORED).
 */
describe("gcp: the sink's dataset grant survives any dataset update", () => {
    it("every stack's dataset declares no access list and ignores changes to it", async () => {
        const runs = await gcpRuns();
        for (const [name, run] of Object.entries(runs)) {
            const ds = run.one(T.dataset);
            assert.strictEqual(ds.inputs.accesses, undefined, `${name}: an access list on the dataset would be PUT on every update`);
            assert.deepStrictEqual(ds.ignoreChanges, ["accesses"], `${name}: dataset ignoreChanges`);
            // The grant stays non-authoritative: a binding, policy or access resource would fight the member.
            assert.strictEqual(run.ofType(T.datasetMember).length, 1, name);
            for (const t of ["gcp:bigquery/datasetIamBinding:DatasetIamBinding", "gcp:bigquery/datasetIamPolicy:DatasetIamPolicy", "gcp:bigquery/datasetAccess:DatasetAccess"]) {
                assert.strictEqual(run.ofType(t).length, 0, `${name}: ${t}`);
            }
        }
        assert.deepStrictEqual([...DATASET_ACCESS_IGNORED], ["accesses"]);
    });

    it("re-creates each sink grant when its destination is replaced (same name, so the grant's inputs do not change)", async () => {
        for (const [name, run] of Object.entries(await gcpRuns())) {
            assert.deepStrictEqual(run.one(T.datasetMember).replaceWith, [run.one(T.dataset).urn], `${name}: dataset grant`);
            assert.deepStrictEqual(run.one(T.bucketMember).replaceWith, [run.one(T.bucket).urn], `${name}: bucket grant`);
        }
    });

    it("creates each sink after its destination, which Cloud Logging requires to exist already", async () => {
        for (const [name, run] of Object.entries(await gcpRuns())) {
            const sinks = [...run.ofType(T.projectSink), ...run.ofType(T.orgSink), ...run.ofType(T.folderSink)];
            const bq = sinks.find((x) => String(x.inputs.destination).startsWith("bigquery.googleapis.com/"));
            const gcs = sinks.find((x) => String(x.inputs.destination).startsWith("storage.googleapis.com/"));
            assert.ok(bq?.dependsOn.includes(run.one(T.dataset).urn), `${name}: BigQuery sink after the dataset`);
            assert.ok(gcs?.dependsOn.includes(run.one(T.bucket).urn), `${name}: GCS sink after the bucket`);
        }
    });

    it(`@pulumi/gcp is at least ${GCP_DATASET_ACCESS_SAFE_VERSION}, whose provider sends a dataset's access list only when it changed`, () => {
        const installed = (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", "@pulumi", "gcp", "package.json"), "utf8")) as { version: string }).version;
        const pinned = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies["@pulumi/gcp"];
        assert.match(pinned, /^\d+\.\d+\.\d+$/, "pinned exactly: the provider plugin version follows the SDK's");
        assert.ok(atLeast(pinned, GCP_DATASET_ACCESS_SAFE_VERSION), `package.json pins @pulumi/gcp ${pinned}`);
        assert.ok(atLeast(installed, GCP_DATASET_ACCESS_SAFE_VERSION), `installed @pulumi/gcp ${installed}`);
        assert.ok(!atLeast("9.34.1", GCP_DATASET_ACCESS_SAFE_VERSION), "the comparison refuses an older release");
    });
});
