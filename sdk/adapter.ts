/**
 * The one place (with the rest of sdk/) that touches @pulumi/pulumi beyond its public, typed API.
 * The offline engine needs a few of its internals: the wire format's signature values, the mock
 * monitor (to see every registration as the engine would), which config keys are secret, and the
 * promise leak detector. What the plan's own process changes in the SDK is sdk/plan-process.ts, and
 * what the plan's bundle leaves out of it sdk/closure.ts. Each internal is typed here;
 * test/sdk/adapter.test.ts checks every one of them against the installed SDK and names the
 * internal and the SDK version when an upgrade changes it.
 *
 * Nothing here loads the SDK at import time: the internals are required when first used, so pure
 * modules (tools/drift/redact.ts) can take the wire constants without paying for the SDK.
 */
import { SDK_PACKAGE, internal, sdkVersion } from "./internals";

export { SDK_PACKAGE, sdkVersion };

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

/** The Registration a request describes. */
function registrationOf(req: RegisterRequest, urn: string, inputs: Record<string, unknown> = req.getObject()?.toJavaScript() ?? {}): Registration {
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
