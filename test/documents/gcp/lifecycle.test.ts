import * as assert from "assert";
import { GcpSettings, gcpSection } from "../../../config/gcp";
import { LifecycleRule, StorageClass, archiveLifecycleRules, archiveRetentionPolicy, archiveVersioning } from "../../../documents/gcp/lifecycle";

const bucketOf = (bucket: Record<string, unknown>): GcpSettings["bucket"] =>
    gcpSection.parse({ bucket: { name: "ledgermind-kms-audit-logs", ...bucket } }).bucket;

/**
 * Regional (us-central1, europe-west1) storage prices in USD per GiB-month: the per-GiB-hour rates of
 * https://cloud.google.com/storage/pricing read 2026-09-20 ($0.000027397, $0.000013699, $0.000005479,
 * $0.000001644 per GiB-hour) × 730 hours. docs/gcp-audit.md quotes the same list.
 */
const PRICE: Record<StorageClass, number> = { STANDARD: 0.02, NEARLINE: 0.01, COLDLINE: 0.004, ARCHIVE: 0.0012 };

/** The class an object of `ageDays` is in under `rules`, or null once deleted. */
function classAt(rules: readonly LifecycleRule[], ageDays: number): StorageClass | null {
    let cls: StorageClass = "STANDARD";
    for (const r of [...rules].sort((a, b) => a.condition.age - b.condition.age)) {
        if (ageDays < r.condition.age) break;
        if (r.action.type === "Delete") return null;
        if (r.condition.matchesStorageClasses?.includes(cls) && r.action.storageClass) cls = r.action.storageClass;
    }
    return cls;
}

/** Storage cost of writing 1 GiB a day for `days` days, each day's objects aging under `rules`. */
function cumulativeCost(rules: readonly LifecycleRule[], days: number): number {
    let cost = 0;
    for (let written = 0; written < days; written++) {
        for (let age = 0; age < days - written; age++) {
            const cls = classAt(rules, age);
            if (cls) cost += PRICE[cls] / 30;
        }
    }
    return cost;
}

describe("gcp: archive lifecycle (documents/gcp/lifecycle.ts)", () => {
    it("follows the configured ages and never moves an object to a warmer class", () => {
        const rules = archiveLifecycleRules(bucketOf({ lifecycle: { nearlineAfterDays: 7, coldlineAfterDays: 45, archiveAfterDays: 400 }, retentionDays: 2555 }));
        assert.deepStrictEqual(rules.map((r) => [r.action.type, r.action.storageClass, r.condition.age]), [
            ["SetStorageClass", "NEARLINE", 7], ["SetStorageClass", "COLDLINE", 45], ["SetStorageClass", "ARCHIVE", 400], ["Delete", undefined, 2555],
        ]);
        for (const r of rules.filter((x) => x.action.storageClass)) {
            assert.ok(!r.condition.matchesStorageClasses?.includes(r.action.storageClass as StorageClass));
        }
        assert.deepStrictEqual([classAt(rules, 6), classAt(rules, 7), classAt(rules, 45), classAt(rules, 2554), classAt(rules, 2555)],
            ["STANDARD", "NEARLINE", "COLDLINE", "ARCHIVE", null]);
    });

    it("retention policy as long as objects are kept, in seconds, locked only on request", () => {
        assert.deepStrictEqual(archiveRetentionPolicy(bucketOf({})), { retentionPeriod: "63072000", isLocked: false });
        assert.deepStrictEqual(archiveRetentionPolicy(bucketOf({ retentionDays: 2555 })), { retentionPeriod: "220752000", isLocked: false });
        assert.deepStrictEqual(archiveRetentionPolicy(bucketOf({ lockRetention: true })), { retentionPeriod: "63072000", isLocked: true });
        assert.strictEqual(archiveRetentionPolicy(bucketOf({ retentionDays: null })), undefined);
    });

    it("turns on Object Versioning exactly when there is no retention policy", () => {
        assert.deepStrictEqual(archiveVersioning(bucketOf({})), { enabled: false });
        assert.deepStrictEqual(archiveVersioning(bucketOf({ retentionDays: null })), { enabled: true });
    });

    it("the default tiers cost at most 0.35× keeping everything in Standard for 2 years (docs/gcp-audit.md)", () => {
        const defaults = bucketOf({});
        assert.deepStrictEqual(defaults.lifecycle, { nearlineAfterDays: 30, coldlineAfterDays: 90, archiveAfterDays: 180 });
        const tiered = cumulativeCost(archiveLifecycleRules(defaults), 730);
        const allStandard = cumulativeCost([], 730);
        const ratio = tiered / allStandard;
        assert.ok(ratio <= 0.35, `ratio ${ratio}`);
        // The figure the cost model in docs/gcp-audit.md states.
        assert.strictEqual(ratio.toFixed(2), "0.23");
    });
});
