import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../harness";

/**
 * tools/code-cache.ts, which `npm run plan` runs its bundle with: each case runs a small CommonJS
 * file through runWithCodeCache in a fresh node process, as tools/plan-cli.js does, and reads back
 * what became of the cache and what the file saw.
 */
const LOADER = path.join(ROOT, "dist", "tools", "code-cache.js");

function run(file: string, flags: string[] = []): { use: string; seen: Record<string, unknown> } {
    const script = `const use = require(${JSON.stringify(LOADER)}).runWithCodeCache(${JSON.stringify(file)});` +
        "process.stdout.write(JSON.stringify({ use, seen: globalThis.__seen }));";
    const r = spawnSync(process.execPath, [...flags, "-e", script], { encoding: "utf8", timeout: 30_000 });
    assert.strictEqual(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as { use: string; seen: Record<string, unknown> };
}

const caches = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith(".cache")).sort();

describe("tools/code-cache: the plan's bundle runs with the bytecode of its previous run", () => {
    let dir: string;
    let file: string;
    // Enough functions that V8 compiles some lazily, and the module surface a bundle relies on.
    const source = (n: number) => [
        "\"use strict\";",
        ...Array.from({ length: n }, (_, i) => `function f${i}(x) { return x * ${i} + ${i}; }`),
        `let sum = 0; for (let i = 0; i < ${n}; i++) sum += eval("f" + i)(2);`,
        "globalThis.__seen = { sum, filename: __filename, dirname: __dirname, same: module.exports === exports,",
        "  resolved: require.resolve(\"./helper\"), helper: require(\"./helper\").answer, main: require.main === module };",
    ].join("\n");

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "kms-code-cache-"));
        file = path.join(dir, "bundle.js");
        fs.writeFileSync(path.join(dir, "helper.js"), "exports.answer = 42;\n");
        fs.writeFileSync(file, source(200));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("runs the file as node's loader would: __filename, __dirname, exports, require relative to the file", () => {
        const { seen } = run(file);
        assert.deepStrictEqual(seen, {
            sum: Array.from({ length: 200 }, (_, i) => 2 * i + i).reduce((a, b) => a + b, 0),
            filename: file, dirname: dir, same: true, resolved: path.join(dir, "helper.js"), helper: 42, main: false,
        });
    });

    it("the first run writes the cache at exit, the next run uses it, with the same result", () => {
        const first = run(file);
        assert.strictEqual(first.use, "absent");
        assert.strictEqual(caches(dir).length, 1, "one cache written");
        const second = run(file);
        assert.strictEqual(second.use, "accepted");
        assert.deepStrictEqual(second.seen, first.seen);
    });

    it("a corrupt cache is rejected by V8, the file still runs from source and the cache is rewritten", () => {
        run(file);
        const [cache] = caches(dir);
        const garbage = Buffer.alloc(fs.statSync(path.join(dir, cache)).size, 0x5a);
        fs.writeFileSync(path.join(dir, cache), garbage);
        const r = run(file);
        assert.strictEqual(r.use, "rejected");
        assert.strictEqual((r.seen as { helper: number }).helper, 42);
        assert.ok(!fs.readFileSync(path.join(dir, cache)).equals(garbage), "the cache was rewritten");
        assert.strictEqual(run(file).use, "accepted");
    });

    it("a rebuilt file (new size and time) never meets the old cache, which is removed once the new one is written", () => {
        run(file);
        const [old] = caches(dir);
        fs.writeFileSync(file, source(201));
        const r = run(file);
        assert.strictEqual(r.use, "absent");
        assert.strictEqual((r.seen as { sum: number }).sum, Array.from({ length: 201 }, (_, i) => 3 * i).reduce((a, b) => a + b, 0));
        assert.deepStrictEqual(caches(dir).includes(old), false, "the old build's cache is gone");
        assert.strictEqual(caches(dir).length, 1);
    });

    it("a rebuilt file of the same length (a changed constant) never meets the old cache either: its time names the cache", () => {
        fs.writeFileSync(file, `${source(200)}\nglobalThis.__seen.constant = 1111;\n`);
        run(file);
        const before = fs.statSync(file);
        fs.writeFileSync(file, `${source(200)}\nglobalThis.__seen.constant = 2222;\n`);
        fs.utimesSync(file, before.atime, new Date(before.mtimeMs + 5000));
        assert.strictEqual(fs.statSync(file).size, before.size);
        const r = run(file);
        assert.strictEqual(r.use, "absent");
        assert.strictEqual((r.seen as { constant: number }).constant, 2222);
    });

    it("runs with other node options keep a cache each instead of overwriting one another's", () => {
        run(file);
        assert.strictEqual(run(file, ["--max-semi-space-size=32"]).use, "absent");
        assert.strictEqual(caches(dir).length, 2);
        assert.strictEqual(run(file).use, "accepted");
        assert.strictEqual(run(file, ["--max-semi-space-size=32"]).use, "accepted");
    });

    it("a cache it cannot write leaves the run working and no temporary file behind", () => {
        run(file);
        const [cache] = caches(dir);
        // A directory where the cache file would go: reading it fails, and so does renaming onto it.
        fs.rmSync(path.join(dir, cache));
        fs.mkdirSync(path.join(dir, cache));
        fs.writeFileSync(path.join(dir, cache, "keep"), "");
        const r = run(file);
        assert.strictEqual(r.use, "absent");
        assert.strictEqual((r.seen as { helper: number }).helper, 42);
        assert.deepStrictEqual(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp")), []);
    });
});
