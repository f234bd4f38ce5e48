/**
 * What the offline plan's process (tools/plan-bundle.ts) changes in @pulumi/pulumi to run faster,
 * leaving every registration as the engine would receive it: no per-resource source position, and
 * a lighter promise-leak detector with the same report. Not for a process that talks to a real
 * engine. test/sdk/adapter.test.ts checks both against the installed SDK.
 */
import { SDK_PACKAGE, internal, sdkVersion } from "./internals";

/** The Resource class's per-resource stack capture (resource.ts, `private static stackTrace(skip)`). */
interface StackTracing { stackTrace(skip: number): unknown[] }

let skippingSourcePositions = false;

/**
 * Stops the SDK from capturing a source position and stack trace for every resource it registers.
 * The Resource constructor calls `Resource.stackTrace(4)` (private, resource.ts), which lifts
 * `Error.stackTraceLimit` to Infinity, formats a whole `new Error().stack`, parses every frame and
 * turns each into a file URL, then a protobuf message per frame in the RegisterResourceRequest.
 * The engine shows them in diagnostics; the mock monitor ignores them and no plan records them. For
 * the offline plan's process only (tools/plan-bundle.ts): not for a process that talks to a real engine.
 * Idempotent.
 */
export function skipSourcePositions(): void {
    if (skippingSourcePositions) return;
    const { Resource } = internal<{ Resource: StackTracing }>("resource");
    if (typeof Resource?.stackTrace !== "function") {
        throw new Error(`resource Resource.stackTrace is ${typeof Resource?.stackTrace}, not a function (${SDK_PACKAGE} ${sdkVersion()}): adapt sdk/plan-process.ts skipSourcePositions`);
    }
    Resource.stackTrace = () => [];
    skippingSourcePositions = true;
}

/** runtime/debuggable: the SDK's promise-leak detector (untyped internals). */
interface Debuggable {
    debugPromiseLeaks: boolean;
    debuggablePromise<T>(p: Promise<T>, ctx: unknown): Promise<T>;
}
interface LeakStore { leakCandidates: Set<Promise<unknown>> }

let lightLeakDetector = false;

/**
 * Keeps the SDK's promise-leak detector and drops its per-promise debugging aids. The SDK wraps
 * ~57 promises per registered resource in `debuggablePromise` (runtime/debuggable.ts): each gets
 * three `Object.defineProperty` (an id, a context, a formatted `new Error().stack`), is added to the
 * store's `leakCandidates`, and is returned as `p.then(...).catch(...)` — two more promises and two
 * more microtask turns — removing it from the set when it settles. Here each promise is still
 * added and removed, and a rejection still carries `err.promise` and propagates, through one
 * `p.then(onSettled, onRejected)`; the leak report at exit (the SDK's, unchanged) still counts the
 * promises that never settled. The properties are only read by the report's
 * `PULUMI_DEBUG_PROMISE_LEAKS` detail, so with that variable set nothing is changed. The first call
 * goes to the SDK's own function, which schedules the report at process exit. For the offline
 * plan's process only (tools/plan-bundle.ts). Idempotent.
 */
export function lightenPromiseLeakDetector(): void {
    if (lightLeakDetector) return;
    const debuggable = internal<Debuggable>("runtime/debuggable");
    const state = internal<{ getStore(): LeakStore }>("runtime/state");
    if (typeof debuggable.debuggablePromise !== "function" || typeof state.getStore !== "function") {
        throw new Error(`runtime/debuggable debuggablePromise or runtime/state getStore is not a function (${SDK_PACKAGE} ${sdkVersion()}): adapt sdk/plan-process.ts lightenPromiseLeakDetector`);
    }
    lightLeakDetector = true;
    if (debuggable.debugPromiseLeaks) return;
    const original = debuggable.debuggablePromise;
    let scheduled = false;
    debuggable.debuggablePromise = function <T>(p: Promise<T>, ctx: unknown): Promise<T> {
        if (!scheduled) {
            scheduled = true;
            return original(p, ctx);
        }
        const leakCandidates = state.getStore().leakCandidates;
        leakCandidates.add(p);
        return p.then((value) => {
            leakCandidates.delete(p);
            return value;
        }, (err: unknown) => {
            leakCandidates.delete(p);
            (err as { promise?: unknown }).promise = p;
            throw err;
        });
    };
}
