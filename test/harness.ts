import * as fs from "fs";
import * as path from "path";
import * as assert from "assert";
import { ConfigError } from "../config/errors";
import { RawConfig, parseSettings } from "../config/load";
import { Evaluation, PlanResource, evaluate } from "../tools/engine";
import { MockOverrides } from "../tools/mocks";
import { leakedPromises } from "../sdk/adapter";
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


/** The compiled program, as `npm run plan` loads it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const program = () => (require(path.join(ROOT, "dist", "index.js")) as () => unknown)();

/**
 * An evaluation as `npm run plan` runs it, with `--stack-trace-limit=0`: the SDK captures a stack trace
 * for every promise it creates, half of a resource's cost under mocks. Messages are unchanged; no test
 * reads a stack of the run's errors.
 */
async function evaluateQuietly(raw: RawConfig, overrides: MockOverrides = {}): Promise<Evaluation> {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return await evaluate(raw, program, overrides);
    } finally {
        Error.stackTraceLimit = limit;
    }
}

const pristine = new Map<string, Promise<Evaluation>>();

/**
 * A stack file's evaluation as committed, run once per mocha process (evaluations are deterministic:
 * two plans of a stack are byte-identical, test/tools/plan.test.ts); each caller gets its own copy to
 * read or edit. A test that observes the run itself (logs, mock calls) uses runStack.
 */
export async function stackRun(stack: "staging" | "prod" | string): Promise<StackRun> {
    let run = pristine.get(stack);
    if (!run) {
        run = evaluateQuietly(stackConfig(stack));
        pristine.set(stack, run);
    }
    return new StackRun(structuredClone(await run));
}

/** Runs the whole program under mocks for a stack config (see stackConfig / withConfig). */
export async function runStack(raw: RawConfig, overrides: MockOverrides = {}): Promise<StackRun> {
    return new StackRun(await evaluateQuietly(raw, overrides));
}

/**
 * Runs the program expecting it to fail as `pulumi up` does when a resource input rejects (the
 * evaluation rejects with the first error) and returns the distinct error messages of the run,
 * including those that arrive on the next turns of the event loop. Mocha's own unhandled-rejection
 * listeners, which would count them against whatever test runs, are set aside meanwhile.
 */
export async function programErrors(raw: RawConfig, overrides: MockOverrides): Promise<string[]> {
    const saved = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    const errors: string[] = [];
    const collect = (e: unknown) => { errors.push(e instanceof Error ? e.message : String(e)); };
    process.on("unhandledRejection", collect);
    try {
        await runStack(raw, overrides).then(() => undefined, collect);
        for (let quiet = 0, seen = errors.length; quiet < 5;) {
            await new Promise((resolve) => setImmediate(resolve));
            quiet = errors.length === seen ? quiet + 1 : 0;
            seen = errors.length;
        }
    } finally {
        process.removeAllListeners("unhandledRejection");
        for (const l of saved) process.on("unhandledRejection", l);
        // The failed run's promises never settle, as in a real failed deployment: take them off the
        // runtime's leak detector, which would otherwise fail the whole mocha process at exit.
        leakedPromises();
    }
    return [...new Set(errors)];
}

/** The problems the config layer reports for `raw`, [] when it accepts the config. */
export function problemsOf(raw: RawConfig): string[] {
    try {
        parseSettings(raw);
        return [];
    } catch (e) {
        if (e instanceof ConfigError) return [...e.problems];
        throw e;
    }
}

/** The problems the config layer reports for `raw`; fails the test if it accepts the config. */
export function configProblems(raw: RawConfig): readonly string[] {
    const problems = problemsOf(raw);
    return problems.length > 0 ? problems : assert.fail("the configuration was accepted");
}

/** Asserts a problem line that starts with `start` (file: key = value) and mentions each of `also`. */
export function rejects(raw: RawConfig, start: string, ...also: string[]): void {
    const problems = configProblems(raw);
    const line = problems.find((p) => p.startsWith(start));
    assert.ok(line, `no problem starting with ${start}; got:\n${problems.join("\n")}`);
    for (const a of also) assert.ok(line.includes(a), `"${line}" should mention ${a}`);
}
