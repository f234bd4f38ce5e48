import * as fs from "fs";
import * as path from "path";
import { RawConfig } from "../config/load";
import { Evaluation, PlanResource, evaluate } from "../tools/engine";
import { MockOverrides } from "../tools/mocks";
import { readStackConfig } from "../tools/stackfile";

/** The repository root (works from sources and from dist/). */
export const ROOT = (() => {
    let d = __dirname;
    while (!fs.existsSync(path.join(d, "Pulumi.yaml"))) {
        const up = path.dirname(d);
        if (up === d) throw new Error("Pulumi.yaml not found above " + __dirname);
        d = up;
    }
    return d;
})();

export const fixture = (...p: string[]) => path.join(ROOT, "test", "fixtures", ...p);

/** A stack's config as the engine would see it, from its stack file (or another file). */
export function stackConfig(stack: "staging" | "prod" | string, configFile?: string): RawConfig {
    return readStackConfig(ROOT, stack, configFile);
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * A copy of `raw` with top-level keys set (objects JSON-encoded as the engine does) or removed
 * (`undefined`). Keys without a namespace are taken to be under `kms-observability:`.
 */
export function withConfig(raw: RawConfig, changes: Record<string, Json | undefined>, secret: string[] = []): RawConfig {
    const values = { ...raw.values };
    const secretKeys = new Set(raw.secretKeys);
    for (const [k, v] of Object.entries(changes)) {
        const key = k.includes(":") ? k : `kms-observability:${k}`;
        if (v === undefined) {
            delete values[key];
            secretKeys.delete(key);
        } else {
            values[key] = typeof v === "string" ? v : JSON.stringify(v);
            if (secret.includes(k)) secretKeys.add(key);
            else secretKeys.delete(key);
        }
    }
    return { ...raw, values, secretKeys };
}

/** A copy of `raw` with one structured section edited in place by `edit`. */
export function editSection(raw: RawConfig, section: string, edit: (s: Record<string, Json>) => void): RawConfig {
    const key = section.includes(":") ? section : `kms-observability:${section}`;
    const obj = JSON.parse(raw.values[key] ?? "{}") as Record<string, Json>;
    edit(obj);
    return withConfig(raw, { [key]: obj });
}

/** The evaluated program with lookups for assertions. */
export class StackRun {
    constructor(readonly evaluation: Evaluation) {}

    get resources(): PlanResource[] {
        return this.evaluation.resources;
    }

    get outputs(): Record<string, unknown> {
        return this.evaluation.outputs;
    }

    /** All resources of a type token, e.g. `aws:kms/key:Key`. */
    ofType(type: string): PlanResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The one resource of `type` (named `name`, if given); throws listing what exists otherwise. */
    one(type: string, name?: string): PlanResource {
        const found = this.ofType(type).filter((r) => name === undefined || r.name === name);
        if (found.length !== 1) {
            throw new Error(`expected exactly one ${type}${name ? ` named ${name}` : ""}, found ${found.length}: ` +
                this.ofType(type).map((r) => r.name).join(", "));
        }
        return found[0];
    }

    /** The resource with this URN. */
    byUrn(urn: string): PlanResource {
        const r = this.resources.find((x) => x.urn === urn);
        if (!r) throw new Error(`no resource ${urn}`);
        return r;
    }
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const program = () => (require(path.join(ROOT, "dist", "index.js")) as () => unknown)();

/** Runs the whole program under mocks for a stack config (see stackConfig / withConfig). */
export async function runStack(raw: RawConfig, overrides: MockOverrides = {}): Promise<StackRun> {
    return new StackRun(await evaluate(raw, program, overrides));
}
