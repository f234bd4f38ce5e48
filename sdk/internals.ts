/**
 * The SDK's internals as sdk/ reaches them: the package, its version (for messages when an internal
 * has moved) and its internal modules, each required when first used. Only sdk/ imports this.
 */

/** The SDK package whose internals this module relies on. */
export const SDK_PACKAGE = "@pulumi/pulumi";

/** The installed SDK version (for messages when an internal has moved). */
export function sdkVersion(): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("@pulumi/pulumi/package.json") as { version: string }).version;
}

/**
 * The SDK's internal modules the adapter reads, by their path inside the package. Each is required
 * by a literal path, so the plan's bundle (tools/plan-bundle.ts) resolves it to the same module
 * instance the rest of the bundle uses (a computed path would load a second copy of the SDK).
 */
const INTERNALS = {
    "runtime/config": () => require("@pulumi/pulumi/runtime/config"),
    "runtime/debuggable": () => require("@pulumi/pulumi/runtime/debuggable"),
    "runtime/settings": () => require("@pulumi/pulumi/runtime/settings"),
    "runtime/state": () => require("@pulumi/pulumi/runtime/state"),
    resource: () => require("@pulumi/pulumi/resource"),
} as const;

/** An internal module of the SDK, by its path inside the package (`runtime/config`). */
export function internal<T>(module: keyof typeof INTERNALS): T {
    return INTERNALS[module]() as T;
}
