import * as fs from "fs";
import * as path from "path";
import { AdoptableResource, ComponentRef, adoptableResources } from "../config/checks/adoption";
import { ConfigError } from "../config/errors";
import { parseSettings } from "../config/load";
import { Settings } from "../config/schema";
import { UsageError, parseFlags } from "./cli-args";
import { StackFileError, readStackConfig } from "./stackfile";

/**
 * `npm run adopt -- --stack <name> [--config-file <path>] [--out <file>]`
 *
 * Lists what this stack may adopt (logical name, type, the import-id format its provider documents,
 * the id expected from config) and, for the entries of `kms-observability:adopt`, writes the bulk
 * import file of `pulumi import --file` and prints the equivalent single `pulumi import` commands.
 * Offline: reads the stack file only. Exit codes: 0 ok, 1 invalid configuration, 2 usage error.
 *
 * Bulk import file format: pulumi/pulumi pkg/cmd/pulumi/operations/import.go (`importFile`,
 * `importSpec`: `resources[]` of `type`, `name`, `id`, `parent`, `component`; a `parent` names another
 * entry or a `nameTable` entry; a `component` entry has no id and is created by the import), and
 * https://www.pulumi.com/docs/iac/cli/commands/pulumi_import/.
 */

export const EXIT = { ok: 0, config: 1, usage: 2 } as const;
const USAGE = "usage: npm run adopt -- --stack <name> [--config-file <path>] [--out <import file>]";

export interface AdoptArgs {
    stack: string;
    configFile?: string;
    out?: string;
}

/** One entry of a `pulumi import --file` document. */
export interface ImportSpec {
    type: string;
    name: string;
    id?: string;
    parent?: string;
    component?: boolean;
}

export interface ImportFile {
    resources: ImportSpec[];
}


export function parseArgs(argv: readonly string[]): AdoptArgs {
    const flags: Record<string, keyof AdoptArgs> = { "--stack": "stack", "--config-file": "configFile", "--out": "out" };
    const args = parseFlags<AdoptArgs>(argv, flags, USAGE);
    if (!args.stack) throw new UsageError(`--stack is required\n${USAGE}`);
    return args as AdoptArgs;
}

/** The URN Pulumi gives a resource of this program: components' types chained with `$`. */
export function urnOf(project: string, stack: string, parents: readonly ComponentRef[], type: string, name: string): string {
    return `urn:pulumi:${stack}::${project}::${[...parents.map((p) => p.type), type].join("$")}::${name}`;
}

/** The bulk import file for the adopted resources: their components first (created), then each resource (read). */
export function importFile(adopted: readonly { resource: AdoptableResource; id: string }[]): ImportFile {
    const components = new Map<string, ImportSpec>();
    for (const { resource } of adopted) {
        resource.parents.forEach((p, i) => {
            if (!components.has(p.name)) {
                components.set(p.name, { type: p.type, name: p.name, component: true, ...(i > 0 ? { parent: resource.parents[i - 1].name } : {}) });
            }
        });
    }
    return {
        resources: [
            ...components.values(),
            ...adopted.map(({ resource: r, id }) => ({ type: r.type, name: r.name, id, parent: r.parents[r.parents.length - 1].name })),
        ],
    };
}

const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** The single-resource command equivalent to one entry (its parent component must already be in the stack). */
export function importCommand(settings: Settings, r: AdoptableResource, id: string): string {
    const parent = r.parents[r.parents.length - 1];
    const parentUrn = urnOf(settings.project, settings.stack, r.parents.slice(0, -1), parent.type, parent.name);
    return `pulumi import ${quote(r.type)} ${quote(r.name)} ${quote(id)} --parent ${quote(`parent=${parentUrn}`)} --generate-code=false`;
}

/** An example id with the stack's provider settings filled in. */
const fillProviders = (settings: Settings, example: string): string =>
    example.replace(/<gcp:project>/g, settings.providers["gcp:project"]).replace(/<aws:region>/g, settings.providers["aws:region"]);

/** The report printed to stdout. */
export function report(settings: Settings, outFile: string | undefined): string {
    const catalogue = adoptableResources(settings);
    const adopted = catalogue.filter((r) => settings.adopt[r.name] !== undefined);
    const lines = [`Adoptable resources of stack ${settings.stack} (${settings.file}), kms-observability:adopt:`, ""];
    for (const r of catalogue) {
        const id = settings.adopt[r.name];
        lines.push(`  ${id !== undefined ? "adopt" : "     "}  ${r.name}  (${r.type})`);
        lines.push(`         id format: ${r.format}`);
        lines.push(`         ${id !== undefined ? `id: ${id}` : `expected: ${fillProviders(settings, r.example)}`}`);
    }
    lines.push("");
    if (adopted.length === 0) {
        lines.push("Nothing adopted yet: add `kms-observability:adopt: { <logical name>: <import id> }` to the stack file (docs/adoption.md).");
        return lines.join("\n") + "\n";
    }
    lines.push(`${adopted.length} resource(s) adopted. \`pulumi up\` imports them through the import resource option (no further step), or,`);
    lines.push(`before the first \`pulumi up\`, import them with the CLI:`, "");
    if (outFile) lines.push(`  pulumi import --file ${outFile} --generate-code=false`, "");
    lines.push("Equivalent single commands (each needs its parent component in the stack already):", "");
    for (const r of adopted) lines.push(`  ${importCommand(settings, r, settings.adopt[r.name])}`);
    return lines.join("\n") + "\n";
}

export function main(argv: readonly string[], projectDir: string): number {
    let args: AdoptArgs;
    let settings: Settings;
    try {
        args = parseArgs(argv);
        settings = parseSettings(readStackConfig(projectDir, args.stack, args.configFile));
    } catch (e) {
        if (e instanceof ConfigError) {
            process.stderr.write(`${e.message}\n`);
            return EXIT.config;
        }
        if (e instanceof UsageError || e instanceof StackFileError) {
            process.stderr.write(`${e.message}\n`);
            return EXIT.usage;
        }
        throw e;
    }
    const adopted = adoptableResources(settings).filter((r) => settings.adopt[r.name] !== undefined)
        .map((resource) => ({ resource, id: settings.adopt[resource.name] }));
    let outFile: string | undefined;
    if (adopted.length > 0) {
        outFile = path.resolve(args.out ?? path.join(projectDir, "out", args.stack, "import.json"));
        fs.mkdirSync(path.dirname(outFile), { recursive: true });
        fs.writeFileSync(outFile, JSON.stringify(importFile(adopted), null, 2) + "\n");
    }
    process.stdout.write(report(settings, outFile && path.relative(process.cwd(), outFile)));
    return EXIT.ok;
}

if (require.main === module) {
    process.exit(main(process.argv.slice(2), path.resolve(__dirname, "..", "..")));
}
