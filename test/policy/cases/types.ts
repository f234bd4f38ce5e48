/**
 * Policy fixtures as data: for every rule, resources that must pass and resources that must fail.
 * They run through the same rule functions as the pack and the offline plan (see ../rules.test.ts).
 * (They live here rather than in test/fixtures/ because tools/build.js compiles no fixtures/ folder.)
 */

/** A resource as the engine would receive it; the harness gives it a URN in the case's stack. */
export interface FixtureResource {
    readonly type: string;
    /** Logical name; defaults to the last part of the type plus its index. */
    readonly name?: string;
    readonly props: Record<string, unknown>;
    readonly protect?: boolean;
    readonly retainOnDelete?: boolean;
    /** Logical names of resources in the same case this one depends on. */
    readonly dependsOn?: readonly string[];
}

export interface Case {
    readonly title: string;
    /** Stack name (default `staging`); `prod` turns on the production-only rules. */
    readonly stack?: string;
    readonly resources: readonly FixtureResource[];
    /** For failing cases: a message the rule must report. */
    readonly expect?: RegExp;
}

export interface RuleCases {
    readonly pass: readonly Case[];
    readonly fail: readonly Case[];
}

/** Rule name -> its cases. */
export type CaseTable = Readonly<Record<string, RuleCases>>;

/** One resource of `type` with `props`. */
export function res(type: string, props: Record<string, unknown>, opts: Omit<FixtureResource, "type" | "props"> = {}): FixtureResource {
    return { type, props, ...opts };
}

/** A case made of one resource. */
export function one(title: string, r: FixtureResource, more: Omit<Case, "title" | "resources"> = {}): Case {
    return { title, resources: [r], ...more };
}
