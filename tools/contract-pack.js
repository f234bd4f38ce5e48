#!/usr/bin/env node
// Builds the consumer package in contract/ (contract/package.json): compiles contract/outputs.ts and
// contract/consumer.ts to CommonJS with declarations into <out>/dist (default contract/dist), and
// copies package.json next to it when <out> is not contract/ itself. The two files import only zod and
// @pulumi/pulumi (the package's peer dependencies), so the result works in any consumer repository.
"use strict";
const fs = require("fs");
const path = require("path");
const ts = require("typescript");

const root = path.resolve(__dirname, "..");
const contract = path.join(root, "contract");

/** Compiles the package into `out` (a package directory); throws with the compiler's diagnostics. */
function packContract(out = contract) {
    const program = ts.createProgram([path.join(contract, "consumer.ts"), path.join(contract, "outputs.ts")], {
        target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
        strict: true, declaration: true, skipLibCheck: true, esModuleInterop: true, types: [],
        rootDir: contract, outDir: path.join(out, "dist"),
    });
    const emitted = program.emit();
    const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
    if (diagnostics.length) throw new Error(ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => "\n" }));
    const local = program.getSourceFiles().filter((f) => !f.fileName.includes("node_modules") && !f.fileName.startsWith(contract + path.sep) && !f.isDeclarationFile);
    if (local.length) throw new Error(`the contract package must be self-contained, but imports ${local.map((f) => f.fileName).join(", ")}`);
    if (path.resolve(out) !== contract) fs.copyFileSync(path.join(contract, "package.json"), path.join(out, "package.json"));
    return out;
}

module.exports = { packContract };
if (require.main === module) process.stdout.write(`built ${packContract(process.argv[2] ?? contract)}\n`);
