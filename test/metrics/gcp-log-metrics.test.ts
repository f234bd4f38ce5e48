import * as assert from "assert";
import { kmsAuditFilter } from "../../documents/gcp/filter";
import { KMS_LOG_METRICS, logMetricArgs } from "../../metrics/gcp-log-metrics";

describe("gcp: log-based metric definitions (metrics/gcp-log-metrics.ts)", () => {
    it("have unique, valid metric names and keys", () => {
        const names = KMS_LOG_METRICS.map((m) => m.name);
        assert.strictEqual(new Set(names).size, names.length);
        assert.strictEqual(new Set(KMS_LOG_METRICS.map((m) => m.key)).size, names.length);
        for (const n of names) assert.match(n, /^[A-Za-z0-9_\-.,+!*'()%][A-Za-z0-9_\-.,+!*'()%/]{0,99}$/);
    });

    it("match method names in both the short and the fully qualified form", () => {
        const destroy = KMS_LOG_METRICS.find((m) => m.key === "keyVersionDestroy");
        assert.ok(destroy);
        const re = /protoPayload\.methodName=~"([^"]+)"/.exec(destroy.filter);
        assert.ok(re, "a regex match on the method");
        const rx = new RegExp(re[1]);
        assert.ok(rx.test("DestroyCryptoKeyVersion"));
        assert.ok(rx.test("google.cloud.kms.v1.KeyManagementService.DestroyCryptoKeyVersion"));
        assert.ok(!rx.test("RestoreCryptoKeyVersion"));
        assert.ok(!rx.test("google.cloud.kms.v1.KeyManagementService.DestroyCryptoKeyVersionX"));
    });

    it("are counters over Cloud KMS audit entries with one extractor per declared label", () => {
        for (const m of KMS_LOG_METRICS) {
            const args = logMetricArgs(m);
            assert.ok(args.filter.startsWith(`${kmsAuditFilter()} AND `), m.name);
            assert.deepStrictEqual([args.metricDescriptor.metricKind, args.metricDescriptor.valueType], ["DELTA", "INT64"]);
            assert.deepStrictEqual(args.metricDescriptor.labels.map((l) => l.key), Object.keys(args.labelExtractors));
            for (const e of Object.values(args.labelExtractors)) assert.match(e, /^EXTRACT\([a-zA-Z_.]+\)$/);
        }
    });
});
