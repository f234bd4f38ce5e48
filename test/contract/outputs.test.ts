import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { SNAPSHOT_FILE, Snapshot, breakingChanges, currentSnapshot, strictSchema } from "../../contract/snapshot";
import { CONTRACT_VERSION, stackOutputsSchema } from "../../contract/outputs";
import { ROOT, StackRun, stackRun } from "../harness";

const committed = () => JSON.parse(fs.readFileSync(path.join(ROOT, SNAPSHOT_FILE), "utf8")) as Snapshot;

describe("contract: stack outputs", () => {
    const runs: Record<string, StackRun> = {};
    before(async () => {
        runs.staging = await stackRun("staging");
        runs.prod = await stackRun("prod");
    });

    for (const stack of ["staging", "prod"]) {
        it(`${stack}: the outputs validate against the contract (strict: no extra, none missing)`, () => {
            const res = stackOutputsSchema.safeParse(runs[stack].outputs);
            assert.ok(res.success, res.success ? "" : JSON.stringify(res.error.issues, null, 1));
            assert.strictEqual(res.data.contractVersion, CONTRACT_VERSION);
            assert.strictEqual(res.data.environment, stack);
            // Producer side only: the program publishes nothing the contract does not declare.
            const strict = strictSchema(stackOutputsSchema).safeParse(runs[stack].outputs);
            assert.ok(strict.success, strict.success ? "" : JSON.stringify(strict.error.issues, null, 1));
        });

        it(`${stack}: no output is a secret`, () => {
            assert.doesNotMatch(JSON.stringify(runs[stack].outputs), /\[secret\]|offline-secret:/);
        });
    }

    it("the producer's strict check refuses an undeclared output; the consumers' schema tolerates it", () => {
        const added = { ...runs.prod.outputs, aws: { ...(runs.prod.outputs.aws as object), replicaKeyArns: {} } };
        assert.ok(!strictSchema(stackOutputsSchema).safeParse(added).success);
        assert.ok(stackOutputsSchema.safeParse(added).success);
    });

    it("prod publishes what consumers need: keys, roles, topics, AMP, audit, dashboards, environments", () => {
        const o = stackOutputsSchema.parse(runs.prod.outputs);
        assert.ok(Object.keys(o.aws.keyArns).length > 0);
        assert.deepStrictEqual(Object.keys(o.aws.keyArns).sort(), Object.keys(o.aws.aliases).sort());
        assert.deepStrictEqual(Object.keys(o.aws.topicArns).sort(), ["kms-critical", "kms-security"]);
        assert.ok(o.alerting.amp, "AMP is enabled in prod");
        assert.match(o.alerting.amp.remoteWriteUrl, /\/api\/v1\/remote_write$/);
        assert.match(o.gcp.auditDataset, /^ledgermind-prod:kms_audit$/);
        assert.ok(o.grafana.dashboardUrls["kms-crypto-health"], "crypto health dashboard URL");
        assert.ok(Object.values(o.github.environments).flat().includes("production"));
    });

    it("the committed snapshot is the current contract version, and nothing it promises is broken", () => {
        const snap = committed();
        assert.strictEqual(snap.contractVersion, CONTRACT_VERSION,
            "contract version changed: record it with `node tools/build.js && node dist/contract/snapshot.js --write`");
        assert.deepStrictEqual(breakingChanges(snap, currentSnapshot()), []);
    });

    it("docs/outputs.md documents every output path", () => {
        const doc = fs.readFileSync(path.join(ROOT, "docs", "outputs.md"), "utf8");
        const missing = Object.keys(currentSnapshot().shape).filter((p) => !doc.includes(`\`${p}\``));
        assert.deepStrictEqual(missing, []);
    });
});

describe("contract: breaking-change detection", () => {
    const base: Snapshot = { contractVersion: "1.2.0", shape: { "aws": "object", "aws.keyArns": "record<string>", "gcp.bucketName": "string", "alerting.amp": "object?" } };
    const withShape = (shape: Record<string, string>, contractVersion = "1.3.0"): Snapshot => ({ contractVersion, shape });

    it("adding an output is compatible", () => {
        assert.deepStrictEqual(breakingChanges(base, withShape({ ...base.shape, "gcp.bucketUrl": "string" })), []);
    });

    it("removing or renaming an output is breaking without a major bump", () => {
        const { "gcp.bucketName": _removed, ...rest } = base.shape;
        assert.deepStrictEqual(breakingChanges(base, withShape(rest)), ["gcp.bucketName (string) was removed or renamed"]);
        assert.deepStrictEqual(breakingChanges(base, withShape({ ...rest, "gcp.bucket": "string" })), ["gcp.bucketName (string) was removed or renamed"]);
    });

    it("changing a type or making a required output optional is breaking", () => {
        assert.deepStrictEqual(breakingChanges(base, withShape({ ...base.shape, "aws.keyArns": "array<string>" })),
            ["aws.keyArns changed type from record<string> to array<string>"]);
        assert.deepStrictEqual(breakingChanges(base, withShape({ ...base.shape, "gcp.bucketName": "string?" })), ["gcp.bucketName became optional"]);
    });

    it("a major version bump allows breaking changes", () => {
        assert.deepStrictEqual(breakingChanges(base, withShape({ "aws.keyArns": "array<string>" }, "2.0.0")), []);
    });
});
