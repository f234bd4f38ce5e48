/**
 * The one place that touches @pulumi/pulumi beyond its public, typed API. The offline plan needs a
 * few of its internals: the wire format's signature values, the mock monitor (to see every
 * registration as the engine would), which config keys are secret, the promise leak detector, the
 * per-resource stack capture (which the plan skips), and the knowledge that the closure serializer
 * loads TypeScript and npm's Arborist eagerly. Each is typed here; test/sdk/adapter.test.ts checks
 * every one of them against the installed SDK and names the internal and the SDK version when an
 * upgrade changes it.
 *
 * Nothing here loads the SDK at import time: the internals are required when first used, so pure
 * modules (tools/drift/redact.ts) can take the wire constants without paying for the SDK.
 */
import * as path from "path";

/** The SDK package whose internals this module relies on. */
export const SDK_PACKAGE = "@pulumi/pulumi";

/** The installed SDK version (for messages when an internal has moved). */
export function sdkVersion(): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("@pulumi/pulumi/package.json") as { version: string }).version;
}

/**
 * Signature values of the Pulumi wire format inside a serialized Struct (sdk/nodejs/runtime/rpc.ts:
 * `specialSigKey`, `specialSecretSig`, `specialResourceSig`, `unknownValue`). Protocol constants,
 * written out so reading them needs no SDK; the adapter test checks them against the SDK's.
 */
export const WIRE = {
    sigKey: "4dabf18193072939515e22adb298388d",
    secretSig: "1b47061264138c4ac30d75fd1eb44270",
    resourceSig: "5cf8f73096256a8f31e491e813e4eb8e",
    unknown: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
} as const;

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
function internal<T>(module: keyof typeof INTERNALS): T {
    return INTERNALS[module]() as T;
}

/** Whether the running stack's config marks `key` secret (runtime/config `isConfigSecret`, untyped). */
export function isConfigSecret(key: string): boolean {
    return internal<{ isConfigSecret(k: string): boolean }>("runtime/config").isConfigSecret(key);
}

/** Promises the SDK created and never settled (runtime/debuggable `leakedPromises`, untyped). */
export function leakedPromises(): unknown {
    return internal<{ leakedPromises(): unknown }>("runtime/debuggable").leakedPromises();
}

/** An alias as the SDK sends it: an old URN, or the parts of one (pulumirpc.Alias.Spec). */
export type AliasWire =
    | { urn: string }
    | { name: string; type: string; stack: string; project: string; parentUrn: string; noParent: boolean };

/** One resource registration as the engine receives it, with the URN the (mock) engine answered. */
export interface Registration {
    urn: string;
    type: string;
    name: string;
    /** Parent URN; "" for none. */
    parent: string;
    custom: boolean;
    protect: boolean;
    retainOnDelete: boolean;
    dependencies: string[];
    /** Provider reference `<urn>::<id>`; "" for the default provider. */
    provider: string;
    /** The `import` option; "" for none. */
    importId: string;
    ignoreChanges: string[];
    replaceWith: string[];
    aliases: AliasWire[];
    /** Inputs in wire form: secrets, resources and unknowns carry the WIRE signatures. */
    inputs: Record<string, unknown>;
}

/** What the tap hears: every successful registration and every registerResourceOutputs call. */
export interface MonitorTap {
    resource(r: Registration): void;
    outputs(urn: string, outputs: Record<string, unknown>): void;
}

// The generated protobuf messages of proto/resource_pb.js and proto/alias_pb.js, as far as we read them.
interface StructLike { toJavaScript(): Record<string, unknown> }
interface AliasMessage {
    getUrn(): string;
    getSpec(): { getName(): string; getType(): string; getStack(): string; getProject(): string; getParenturn(): string; getNoparent(): boolean } | undefined;
}
interface RegisterRequest {
    getType(): string; getName(): string; getParent(): string; getCustom(): boolean; getProtect(): boolean;
    getRetainondelete(): boolean; getDependenciesList(): string[]; getProvider(): string; getObject(): StructLike | undefined;
    getImportid(): string; getIgnorechangesList(): string[]; getReplaceWithList(): string[];
    getAliasurnsList(): string[]; getAliasesList(): AliasMessage[];
}
interface OutputsRequest { getUrn(): string; getOutputs(): StructLike | undefined }
interface RegisterResponse { getUrn(): string }
type Callback<T> = (err: Error | null, res: T) => void;
interface MonitorLike {
    registerResource(req: RegisterRequest, cb: Callback<RegisterResponse>): void;
    registerResourceOutputs(req: OutputsRequest, cb: Callback<unknown>): void;
}

function aliasOf(a: AliasMessage): AliasWire {
    const s = a.getSpec();
    return s ? { name: s.getName(), type: s.getType(), stack: s.getStack(), project: s.getProject(), parentUrn: s.getParenturn(), noParent: s.getNoparent() }
        : { urn: a.getUrn() };
}

/** The Registration a request describes (exported for the adapter test). */
export function registrationOf(req: RegisterRequest, urn: string, inputs: Record<string, unknown> = req.getObject()?.toJavaScript() ?? {}): Registration {
    return {
        urn,
        type: req.getType(),
        name: req.getName(),
        parent: req.getParent(),
        custom: req.getCustom(),
        protect: req.getProtect(),
        retainOnDelete: req.getRetainondelete(),
        dependencies: req.getDependenciesList(),
        provider: req.getProvider(),
        importId: req.getImportid(),
        ignoreChanges: req.getIgnorechangesList(),
        replaceWith: req.getReplaceWithList(),
        aliases: [...req.getAliasurnsList().map((u) => ({ urn: u })), ...req.getAliasesList().map(aliasOf)],
        inputs,
    };
}

/**
 * Listens to the mock monitor `pulumi.runtime.setMocks` installed (runtime/settings `getMonitor`):
 * every registration and output registration passes through `tap` on its way. Call after setMocks.
 */
export function tapMockMonitor(tap: MonitorTap): void {
    const monitor = internal<{ getMonitor(): unknown }>("runtime/settings").getMonitor() as MonitorLike | undefined;
    if (!monitor || typeof monitor.registerResource !== "function") {
        throw new Error(`no mock monitor: call pulumi.runtime.setMocks first (${SDK_PACKAGE} ${sdkVersion()})`);
    }
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
        // The inputs converted from protobuf once: the mock monitor reads them first (its
        // deserializeProperties calls toJavaScript and builds new values from the result, changing
        // nothing), then the tap. The message is the SDK's request for this one call.
        const struct = req.getObject();
        const inputs = struct?.toJavaScript() ?? {};
        if (struct) struct.toJavaScript = () => inputs;
        register(req, (err, res) => {
            if (!err && res) tap.resource(registrationOf(req, res.getUrn(), inputs));
            cb(err, res);
        });
    };
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, cb) => {
        tap.outputs(req.getUrn(), req.getOutputs()?.toJavaScript() ?? {});
        registerOutputs(req, cb);
    };
}

/** The Resource class's per-resource stack capture (resource.ts, `private static stackTrace(skip)`). */
interface StackTracing { stackTrace(skip: number): unknown[] }

let skippingSourcePositions = false;

/**
 * Stops the SDK from capturing a source position and stack trace for every resource it registers.
 * The Resource constructor calls `Resource.stackTrace(4)` (private, resource.ts), which lifts
 * `Error.stackTraceLimit` to Infinity, formats a whole `new Error().stack`, parses every frame and
 * turns each into a file URL, then a protobuf message per frame in the RegisterResourceRequest.
 * The engine shows them in diagnostics; the mock monitor ignores them and no plan records them. For
 * the offline plan's process only (tools/plan-cli.js): not for a process that talks to a real engine.
 * Idempotent.
 */
export function skipSourcePositions(): void {
    if (skippingSourcePositions) return;
    const { Resource } = internal<{ Resource: StackTracing }>("resource");
    if (typeof Resource?.stackTrace !== "function") {
        throw new Error(`resource Resource.stackTrace is ${typeof Resource?.stackTrace}, not a function (${SDK_PACKAGE} ${sdkVersion()}): adapt sdk/adapter.ts skipSourcePositions`);
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
        throw new Error(`runtime/debuggable debuggablePromise or runtime/state getStore is not a function (${SDK_PACKAGE} ${sdkVersion()}): adapt sdk/adapter.ts lightenPromiseLeakDetector`);
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

/**
 * Modules the closure serializer (runtime/closure/*, used only to turn JavaScript functions into
 * code: dynamic providers, callback functions) requires at load time, with what they cost: the
 * `typescript` compiler (~170 ms) and npm's Arborist with its dependency tree (~200 ms) — about two
 * thirds of loading @pulumi/pulumi, for code no offline plan of this program runs.
 */
export const DEFERRED_CLOSURE_MODULES: Readonly<Record<string, readonly string[]>> = {
    "codePaths.js": ["@npmcli/arborist", "normalize-package-data", "fdir"],
    "parseFunction.js": ["../../typescript-shim"],
};

let deferring = false;

/**
 * Makes the closure serializer's heavy dependencies load when first used instead of when
 * @pulumi/pulumi loads. Behaviour is unchanged (the first property read loads the real module);
 * only the start-up cost goes. Must run before anything requires @pulumi/pulumi. Idempotent.
 */
export function deferClosureSerializer(): void {
    if (deferring) return;
    deferring = true;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Module = require("module") as { _load(request: string, parent: { filename?: string } | undefined, isMain: boolean): unknown };
    const closureDir = path.dirname(require.resolve(`${SDK_PACKAGE}/runtime/closure/codePaths`));
    const load = Module._load;
    Module._load = function (request, parent, isMain) {
        const file = parent?.filename;
        if (file && path.dirname(file) === closureDir && DEFERRED_CLOSURE_MODULES[path.basename(file)]?.includes(request)) {
            return lazyModule(() => load.call(Module, request, parent, isMain));
        }
        return load.call(Module, request, parent, isMain);
    };
}

/**
 * A stand-in module that loads the real one on first use. It claims `__esModule`, so TypeScript's
 * `__importStar`/`__importDefault` helpers hand it back unchanged, and answers `default` with the
 * real CommonJS export as those helpers would have.
 */
export function lazyModule(load: () => unknown): unknown {
    let real: Record<PropertyKey, unknown> | undefined;
    const get = (): Record<PropertyKey, unknown> => (real ??= load() as Record<PropertyKey, unknown>);
    return new Proxy({}, {
        get: (_, key) => {
            if (key === "__esModule") return true;
            const m = get();
            return key === "default" && !m.__esModule ? m : m[key];
        },
        has: (_, key) => key in get(),
        ownKeys: () => Reflect.ownKeys(get()),
        getOwnPropertyDescriptor: (_, key) => {
            const d = Reflect.getOwnPropertyDescriptor(get(), key);
            return d && { ...d, configurable: true };
        },
    });
}
