import * as crypto from "crypto";
import * as fs from "fs";
import Module = require("module");
import * as path from "path";
import * as vm from "vm";

/** What became of the cache when the file was compiled. */
export type CodeCacheUse = "absent" | "accepted" | "rejected";

/** Node's loader internals used to make a module as `require` would (lib/internal/modules/cjs/loader.js). */
interface ModuleInternals {
    new (id: string, parent?: NodeModule): NodeModule & { paths: string[] };
    _nodeModulePaths(dir: string): string[];
    wrap(source: string): string;
}

/**
 * The cache file for `file` as it is now: named after its modification time and size (a rebuilt
 * file never meets the cache of the previous one), and the node options of this process (V8 rejects
 * a cache made under other flags, so runs with different options keep a cache each).
 */
function codeCacheFile(file: string, stat: fs.Stats): string {
    const options = crypto.createHash("sha256").update(JSON.stringify([process.execArgv, process.env.NODE_OPTIONS ?? ""])).digest("hex").slice(0, 12);
    return `${file}.${Math.round(stat.mtimeMs)}-${stat.size}-${options}.cache`;
}

/**
 * Runs a CommonJS file as node's loader would (the same wrapper, `require`, `module`, `__filename`,
 * `__dirname`), compiled with the bytecode V8 cached from an earlier run of the same file
 * (https://nodejs.org/docs/latest-v20.x/api/vm.html#scriptcreatecacheddata,
 * https://nodejs.org/docs/latest-v20.x/api/vm.html#new-vmscriptcode-options: `cachedDataRejected`).
 * V8 itself rejects a cache made by another V8 version, with other flags or for another source
 * length. Without a usable cache the file compiles as usual, and the cache is written when the
 * process exits, holding what the run compiled (functions V8 compiles lazily are only in a cache
 * made after they ran). Returns what became of the cache.
 */
export function runWithCodeCache(file: string): CodeCacheUse {
    const fd = fs.openSync(file, "r");
    let source: string;
    let stat: fs.Stats;
    try {
        stat = fs.fstatSync(fd);
        source = fs.readFileSync(fd, "utf8");
    } finally {
        fs.closeSync(fd);
    }
    const cacheFile = codeCacheFile(file, stat);
    let cachedData: Buffer | undefined;
    try {
        cachedData = fs.readFileSync(cacheFile);
    } catch {
        // no cache yet: compile from source
    }
    const Loader = Module as unknown as ModuleInternals;
    const script = new vm.Script(Loader.wrap(source), { filename: file, cachedData });
    const use: CodeCacheUse = cachedData === undefined ? "absent" : script.cachedDataRejected ? "rejected" : "accepted";
    if (use !== "accepted") process.once("exit", () => writeCodeCache(script, file, cacheFile));
    const mod = new Loader(file, module);
    mod.filename = file;
    mod.paths = Loader._nodeModulePaths(path.dirname(file));
    const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: NodeModule, filename: string, dirname: string) => void;
    wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
    return use;
}

/**
 * Writes the cache atomically (plans running at the same time may race; a reader never sees half a
 * file) and removes the caches of earlier versions of the file. A checkout it cannot write to
 * keeps working: the next run compiles from source again.
 */
function writeCodeCache(script: vm.Script, file: string, cacheFile: string): void {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    try {
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, cacheFile);
        const dir = path.dirname(file);
        const ours = `${path.basename(file)}.`;
        const current = path.basename(cacheFile).replace(/-[0-9a-f]+\.cache$/, "-");
        for (const f of fs.readdirSync(dir)) {
            if (f.startsWith(ours) && f.endsWith(".cache") && !f.startsWith(current)) fs.rmSync(path.join(dir, f), { force: true });
        }
    } catch {
        // read-only, or the name is taken: nothing cached
        fs.rmSync(tmp, { force: true });
    }
}
