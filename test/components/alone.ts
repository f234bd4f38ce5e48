import * as assert from "assert";
import { RawConfig } from "../../config/load";
import { PlanResource, evaluate } from "../../tools/engine";
import { MockOverrides } from "../../tools/mocks";
import { StackRun, stackConfig } from "../harness";

/**
 * One component alone under the mock engine, as another program would use it: `build` creates it
 * (with Args written in the test, not read from a stack file) and returns what to publish as stack
 * outputs. The config only feeds the mocks (account, region, project); staging's by default.
 */
export async function runAlone(build: () => Record<string, unknown>, raw: RawConfig = stackConfig("staging"), overrides: MockOverrides = {}): Promise<StackRun> {
    return new StackRun(await evaluate(raw, build, overrides));
}

/** The one component of `type` named `name`, parented to the stack. */
export function component(run: StackRun, type: string, name: string): PlanResource {
    const c = run.one(type, name);
    assert.strictEqual(c.parent, run.one("pulumi:pulumi:Stack").urn, `${name} is a root-level component`);
    return c;
}

/** `type name` of every resource directly under `parent`, sorted: what a component registers. */
export function children(run: StackRun, parent: PlanResource): string[] {
    return run.resources.filter((r) => r.parent === parent.urn).map((r) => `${r.type} ${r.name}`).sort();
}

/** Every resource in the tree under `parent` (children, grandchildren, …). */
export function descendants(run: StackRun, parent: PlanResource): PlanResource[] {
    const direct = run.resources.filter((r) => r.parent === parent.urn);
    return [...direct, ...direct.flatMap((c) => descendants(run, c))];
}

/** Asserts every resource under `parent` carries a logical name derived from the component's (`<name>-…`). */
export function assertNamesDerived(run: StackRun, parent: PlanResource): void {
    for (const r of descendants(run, parent)) assert.ok(r.name.startsWith(`${parent.name}-`), `${r.type} ${r.name} is named after ${parent.name}`);
}

/** The one resource of `type` named `name` under `parent`. */
export function child(run: StackRun, parent: PlanResource, type: string, name: string): PlanResource {
    const found = run.resources.filter((r) => r.parent === parent.urn && r.type === type && r.name === name);
    assert.strictEqual(found.length, 1, `${type} ${name} under ${parent.name}: ${children(run, parent).join(", ")}`);
    return found[0];
}

/** A stand-in ARN context for the mocks' account and region (staging's stack file). */
export const CTX = { partition: "aws", region: "eu-west-1", accountId: "210987654321" } as const;
