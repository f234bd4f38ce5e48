import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/**
 * The import-direction checker behind test/architecture/imports.test.ts: it parses every source file
 * with the TypeScript compiler API (not regular expressions: `import type`, `export … from`,
 * `require`, `import()` and `import("x").T` are all told apart), maps each file to its layer and
 * reports every import that points up, every runtime Pulumi import in a pure layer, and every cycle
 * between top-level folders. docs/architecture.md draws the same layers.
 */

/** One import of one file. */
export interface ImportEdge {
    /** The importing file, relative to the repository root with `/` (e.g. `alerts/routing.ts`). */
    readonly from: string;
    /** The imported project file (relative, with extension) or the package name (`@pulumi/aws`). */
    readonly to: string;
    /** True when the target is a file of this repository. */
    readonly internal: boolean;
    /** Erased at compile time (`import type`, all-`type` specifiers, `import("x").T`): no runtime load. */
    readonly typeOnly: boolean;
    /** The specifier as written, for messages. */
    readonly specifier: string;
}

/** A layer: the files it holds and what they may import. */
export interface Layer {
    readonly name: string;
    /** Path prefixes (relative, `/`-separated); the longest matching prefix over all layers wins. */
    readonly paths: readonly string[];
    /** Layers this one may import (its own is always allowed). `"*"`: any layer. */
    readonly mayImport: readonly string[] | "*";
    /** May load a Pulumi SDK (`@pulumi/*`, `@pulumiverse/*`) at runtime. Type-only imports are always fine. */
    readonly pulumiRuntime: boolean;
}

/** An import the layer rules forbid but the code still has, with the reason and the work that removes it. */
export interface PendingException {
    readonly from: string;
    readonly to: string;
    readonly why: string;
}

/**
 * The layers, lowest first. An arrow may only point to a layer listed in `mayImport` (always lower in
 * this list): pure catalogs never reach config, components or tools; config sections never reach a
 * catalog; components never reach config or tools; nothing but tools and tests reaches tools.
 */
export const LAYERS: readonly Layer[] = [
    { name: "shared", paths: ["shared/"], mayImport: [], pulumiRuntime: false },
    // The one module that touches @pulumi/pulumi internals (serialization ids, the mock monitor, untyped
    // runtime modules), for the offline engine, the config reader and the test harness.
    { name: "sdk", paths: ["sdk/"], mayImport: [], pulumiRuntime: true },
    // The published outputs contract (its own package): the reader takes a StackReference.
    { name: "contract", paths: ["contract/"], mayImport: [], pulumiRuntime: true },
    { name: "documents", paths: ["documents/"], mayImport: ["shared", "contract"], pulumiRuntime: false },
    { name: "metrics", paths: ["metrics/"], mayImport: ["shared", "documents"], pulumiRuntime: false },
    { name: "alerts", paths: ["alerts/"], mayImport: ["shared"], pulumiRuntime: false },
    { name: "dashboards", paths: ["dashboards/"], mayImport: ["shared", "metrics", "alerts"], pulumiRuntime: false },
    // Config sections: zod schemas of the stack file. SecretValue wraps a secret as a Pulumi Output.
    { name: "config", paths: ["config/"], mayImport: ["shared", "contract"], pulumiRuntime: true },
    // Rules across sections that need a catalog (routing, planned keys, dashboards, log metrics).
    { name: "config-checks", paths: ["config/checks/"], mayImport: ["config", "shared", "contract", "documents", "metrics", "alerts", "dashboards"], pulumiRuntime: true },
    // The composed schema and the loader: the one place the checks are applied.
    { name: "config-entry", paths: ["config/schema.ts", "config/load.ts", "config/pulumi.ts"], mayImport: ["config", "config-checks", "shared", "contract", "sdk"], pulumiRuntime: true },
    { name: "components", paths: ["components/"], mayImport: ["shared", "contract", "documents", "metrics", "alerts", "dashboards"], pulumiRuntime: true },
    { name: "policy", paths: ["policy/"], mayImport: ["shared", "documents"], pulumiRuntime: true },
    // The composition root: index.ts, and config/to-args/, which maps validated settings to each
    // component's Args and applies the `adopt` section to the program's resources; only index.ts uses it.
    { name: "program", paths: ["index.ts", "config/to-args/"], mayImport: ["shared", "contract", "documents", "metrics", "alerts", "dashboards", "config", "config-checks", "config-entry", "components"], pulumiRuntime: true },
    { name: "tools", paths: ["tools/"], mayImport: ["sdk", "shared", "contract", "documents", "metrics", "alerts", "dashboards", "config", "config-checks", "config-entry", "components", "policy", "program"], pulumiRuntime: true },
    { name: "test", paths: ["test/"], mayImport: "*", pulumiRuntime: true },
];

/** Folders whose `.ts` files are checked (index.ts besides). Fixtures are data, not code. */
export const SOURCE_DIRS = ["sdk", "shared", "contract", "documents", "metrics", "alerts", "dashboards", "config", "components", "policy", "tools", "test"];

const PULUMI_PACKAGE = /^@pulumi(verse)?\//;

/** The package a bare specifier names: `@scope/name` or `name` (subpaths dropped). */
export function packageOf(specifier: string): string {
    const parts = specifier.split("/");
    return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** The layer of a repository file, or undefined (a file outside every layer is itself reported). */
export function layerOf(file: string, layers: readonly Layer[] = LAYERS): Layer | undefined {
    let best: { layer: Layer; length: number } | undefined;
    for (const layer of layers) {
        for (const p of layer.paths) {
            const hit = p.endsWith("/") ? file.startsWith(p) : file === p;
            if (hit && (!best || p.length > best.length)) best = { layer, length: p.length };
        }
    }
    return best?.layer;
}

/**
 * The imports of one file. `exists` tells whether a repository path exists, to resolve `./x` to
 * `x.ts`, `x/index.ts` or a file with its own extension (`x.json`).
 */
export function parseImports(file: string, text: string, exists: (rel: string) => boolean): ImportEdge[] {
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const edges: ImportEdge[] = [];
    const add = (specifier: string, typeOnly: boolean) => {
        if (!specifier.startsWith(".")) {
            edges.push({ from: file, to: packageOf(specifier), internal: false, typeOnly, specifier });
            return;
        }
        const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
        const to = [`${base}.ts`, `${base}/index.ts`, base].find(exists) ?? base;
        edges.push({ from: file, to, internal: true, typeOnly, specifier });
    };
    const visit = (node: ts.Node): void => {
        if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
            const clause = node.importClause;
            const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
            // `import { type A, type B } from "x"` is erased too (unless it also has a default import).
            const allTypes = !!clause && !clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly);
            add(node.moduleSpecifier.text, !!clause?.isTypeOnly || allTypes);
        } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
            const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
            add(node.moduleSpecifier.text, node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
        } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
            add(node.moduleReference.expression.text, node.isTypeOnly);
        } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteralLike(node.arguments[0])) {
            const callee = node.expression;
            const isRequire = ts.isIdentifier(callee) && callee.text === "require";
            const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
            if (isRequire || isDynamicImport) add(node.arguments[0].text, false);
        } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
            add(node.argument.literal.text, true);
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return edges;
}

/** Every checked source file of the repository at `root`, relative with `/`. */
export function sourceFiles(root: string): string[] {
    const out = fs.existsSync(path.join(root, "index.ts")) ? ["index.ts"] : [];
    const walk = (rel: string) => {
        const abs = path.join(root, rel);
        if (!fs.existsSync(abs)) return;
        for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
            const child = `${rel}/${e.name}`;
            if (e.isDirectory()) {
                if (e.name !== "fixtures" && e.name !== "node_modules") walk(child);
            } else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(child);
        }
    };
    SOURCE_DIRS.forEach(walk);
    return out.sort();
}

/** The import graph of the repository at `root`. */
export function repositoryImports(root: string): ImportEdge[] {
    const exists = (rel: string) => fs.existsSync(path.join(root, rel)) && fs.statSync(path.join(root, rel)).isFile();
    return sourceFiles(root).flatMap((f) => parseImports(f, fs.readFileSync(path.join(root, f), "utf8"), exists));
}

/** The top-level folder of a file (`index.ts` is its own). */
const folderOf = (file: string): string => file.includes("/") ? file.slice(0, file.indexOf("/")) : file;

/** Cycles between top-level folders, each as `a -> b -> a`; tests are left out (they may import anything). */
export function folderCycles(edges: readonly ImportEdge[]): string[] {
    const graph = new Map<string, Set<string>>();
    for (const e of edges) {
        if (!e.internal) continue;
        const a = folderOf(e.from), b = folderOf(e.to);
        if (a === b || a === "test" || b === "test") continue;
        if (!graph.has(a)) graph.set(a, new Set());
        graph.get(a)!.add(b);
    }
    const cycles = new Set<string>();
    const visit = (node: string, trail: string[]) => {
        for (const next of graph.get(node) ?? []) {
            const at = trail.indexOf(next);
            if (at >= 0) {
                const loop = trail.slice(at);
                // One spelling per cycle: start at its alphabetically first folder.
                const first = loop.indexOf([...loop].sort()[0]);
                const canonical = [...loop.slice(first), ...loop.slice(0, first)];
                cycles.add([...canonical, canonical[0]].join(" -> "));
            } else visit(next, [...trail, next]);
        }
    };
    for (const start of [...graph.keys()].sort()) visit(start, [start]);
    return [...cycles].sort();
}

/** What the checker found: forbidden imports, exceptions that no longer apply, folder cycles. */
export interface Findings {
    readonly violations: string[];
    readonly staleExceptions: string[];
    readonly cycles: string[];
}

/**
 * Checks an import graph against the layers. An edge listed in `pending` is not a violation (it is
 * reported as stale once the code no longer has it) and is left out of the cycle search.
 */
export function checkImports(edges: readonly ImportEdge[], layers: readonly Layer[] = LAYERS, pending: readonly PendingException[] = []): Findings {
    const violations: string[] = [];
    const isPending = (e: ImportEdge) => pending.some((p) => p.from === e.from && p.to === e.to);
    for (const e of edges) {
        const from = layerOf(e.from, layers);
        if (!from) {
            violations.push(`${e.from}: belongs to no layer (add its folder to LAYERS in test/architecture/imports.ts and to docs/architecture.md)`);
            continue;
        }
        if (!e.internal) {
            if (!from.pulumiRuntime && !e.typeOnly && PULUMI_PACKAGE.test(e.to) && !isPending(e)) {
                violations.push(`${e.from} -> ${e.specifier}: the ${from.name} layer is pure: no Pulumi SDK at runtime (a type-only import is fine)`);
            }
            continue;
        }
        const to = layerOf(e.to, layers);
        if (!to) {
            violations.push(`${e.from} -> ${e.specifier}: ${e.to} belongs to no layer`);
            continue;
        }
        if (to === from || from.mayImport === "*" || from.mayImport.includes(to.name) || isPending(e)) continue;
        violations.push(`${e.from} -> ${e.specifier}: the ${from.name} layer may not import ${to.name} (${e.to}); ` +
            `it may import ${from.mayImport.length > 0 ? from.mayImport.join(", ") : "no other layer"}`);
    }
    violations.push(...runtimePulumiReach(edges, layers));
    const staleExceptions = pending
        .filter((p) => !edges.some((e) => e.from === p.from && e.to === p.to))
        .map((p) => `${p.from} -> ${p.to}: no longer imported; remove it from PENDING`);
    return { violations, staleExceptions, cycles: folderCycles(edges.filter((e) => !isPending(e))) };
}

/**
 * Files of a pure layer that load a Pulumi SDK at runtime through what they import (a pure file may
 * import a file of a Pulumi-using layer, e.g. contract/key-mapping.ts, only if that file is pure too).
 */
function runtimePulumiReach(edges: readonly ImportEdge[], layers: readonly Layer[]): string[] {
    const byFile = new Map<string, ImportEdge[]>();
    for (const e of edges) {
        if (e.typeOnly) continue;
        if (!byFile.has(e.from)) byFile.set(e.from, []);
        byFile.get(e.from)!.push(e);
    }
    const memo = new Map<string, string[] | null>();
    /** The chain of files from `file` to a runtime Pulumi import, or null. */
    const chain = (file: string, visiting: Set<string>): string[] | null => {
        if (memo.has(file)) return memo.get(file)!;
        if (visiting.has(file)) return null;
        visiting.add(file);
        let found: string[] | null = null;
        for (const e of byFile.get(file) ?? []) {
            if (!e.internal) {
                if (PULUMI_PACKAGE.test(e.to)) { found = [file, e.specifier]; break; }
                continue;
            }
            const rest = chain(e.to, visiting);
            if (rest) { found = [file, ...rest]; break; }
        }
        visiting.delete(file);
        memo.set(file, found);
        return found;
    };
    const out: string[] = [];
    for (const file of byFile.keys()) {
        const layer = layerOf(file, layers);
        if (!layer || layer.pulumiRuntime) continue;
        const c = chain(file, new Set());
        // A direct import is reported on its own; this reports only what arrives through other files.
        if (c && c.length > 2) out.push(`${file}: the ${layer.name} layer is pure, but loads the Pulumi SDK at runtime through ${c.slice(1).join(" -> ")}`);
    }
    return out;
}
