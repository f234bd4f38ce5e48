/**
 * The offline plan's document types (docs: plan.json in CONVENTIONS/README): written by tools/plan.ts
 * from what tools/engine.ts records, read by the policy evaluator (policy/evaluate.ts), the diff, drift,
 * review and access tools. Types only, so the policy pack needs nothing from tools/.
 */

/** One registered resource as the plan reports it (contract in docs: plan.json). */
export interface PlanResource {
    urn: string;
    type: string;
    name: string;
    parent: string | null;
    protect: boolean;
    retainOnDelete: boolean;
    dependsOn: string[];
    provider: string | null;
    /**
     * The `import` resource option: the provider id this resource adopts instead of creating one (null:
     * create). Always written by the engine; optional for plans written before it existed.
     */
    import?: string | null;
    /** The `ignoreChanges` resource option: inputs whose changes are never sent to the provider on update. */
    ignoreChanges?: string[];
    /** The `replaceWith` resource option: resources whose replacement also replaces this one (URNs). */
    replaceWith?: string[];
    /**
     * Old URNs this resource answers to (the `aliases` option, and those inherited from its parent),
     * resolved as the engine does (tools/aliases.ts). Optional for plans written before it existed.
     */
    aliases?: string[];
    inputs: Record<string, unknown>;
}

/** One policy violation as the plan reports it. */
export interface PolicyViolation {
    policy: string;
    urn: string;
    level: "mandatory" | "advisory";
    message: string;
}

/** plan.json. */
export interface PlanDocument {
    project: string;
    stack: string;
    resources: PlanResource[];
    /** Non-secret provider settings the resources were planned with (what --diff compares, tools/diff.ts). */
    providers: Record<string, string>;
    outputs: Record<string, unknown>;
    policy: { violations: PolicyViolation[] };
}
