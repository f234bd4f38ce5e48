/**
 * What the plan's bundle leaves out of @pulumi/pulumi (tools/build.js bundlePlan): the closure
 * serializer's heavy dependencies, each replaced by a stand-in that loads the installed module on
 * first use. No SDK import here, so the build can read the list before anything is bundled.
 */

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
