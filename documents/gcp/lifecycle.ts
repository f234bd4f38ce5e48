/** The archive bucket's settings (`gcp.bucket`, validated by config/gcp.ts). */
export interface BucketSettings {
    /** Object ages (days) at which objects move to Nearline, Coldline and Archive. */
    readonly lifecycle: { readonly nearlineAfterDays: number; readonly coldlineAfterDays: number; readonly archiveAfterDays: number };
    /** Days objects are kept (null: forever). */
    readonly retentionDays: number | null;
    /** Lock the retention policy (irreversible). */
    readonly lockRetention: boolean;
}

/** A lifecycle rule as `storage.Bucket` takes it (plain data). */
export interface LifecycleRule {
    readonly action: { readonly type: "SetStorageClass" | "Delete"; readonly storageClass?: StorageClass };
    readonly condition: { readonly age: number; readonly matchesStorageClasses?: StorageClass[] };
}

export type StorageClass = "STANDARD" | "NEARLINE" | "COLDLINE" | "ARCHIVE";

const SECONDS_PER_DAY = 86400;

/**
 * Standard → Nearline → Coldline → Archive by object age, then Delete at the retention age. Each move
 * matches only the warmer classes, so a rule never moves an object back up; with the defaults each
 * class is left only after its minimum storage duration (30 / 90 days), so no early-deletion charge.
 */
export function archiveLifecycleRules(bucket: BucketSettings): LifecycleRule[] {
    const { nearlineAfterDays, coldlineAfterDays, archiveAfterDays } = bucket.lifecycle;
    const rules: LifecycleRule[] = [
        { action: { type: "SetStorageClass", storageClass: "NEARLINE" },
            condition: { age: nearlineAfterDays, matchesStorageClasses: ["STANDARD"] } },
        { action: { type: "SetStorageClass", storageClass: "COLDLINE" },
            condition: { age: coldlineAfterDays, matchesStorageClasses: ["STANDARD", "NEARLINE"] } },
        { action: { type: "SetStorageClass", storageClass: "ARCHIVE" },
            condition: { age: archiveAfterDays, matchesStorageClasses: ["STANDARD", "NEARLINE", "COLDLINE"] } },
    ];
    if (bucket.retentionDays !== null) rules.push({ action: { type: "Delete" }, condition: { age: bucket.retentionDays } });
    return rules;
}

/**
 * The bucket retention policy: as long as objects are kept, so nothing (not even a project owner)
 * deletes or overwrites an audit record before the lifecycle rule does. `retentionPeriod` is a string
 * of seconds in the provider. Locked only on request: a locked policy can never be shortened or removed.
 */
export function archiveRetentionPolicy(bucket: BucketSettings): { retentionPeriod: string; isLocked: boolean } | undefined {
    if (bucket.retentionDays === null) return undefined;
    return { retentionPeriod: String(bucket.retentionDays * SECONDS_PER_DAY), isLocked: bucket.lockRetention };
}

/**
 * Object Versioning only without a retention policy: Cloud Storage refuses both on one bucket ("Retention
 * policies and Object Versioning are mutually exclusive", Bucket Lock docs). The retention policy is the
 * stronger guarantee (no delete or overwrite at all within the period); without one, versioning keeps a
 * noncurrent copy of anything deleted or overwritten.
 */
export function archiveVersioning(bucket: BucketSettings): { enabled: boolean } {
    return { enabled: bucket.retentionDays === null };
}
