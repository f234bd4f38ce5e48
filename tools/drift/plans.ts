import type { PlanDocument } from "../plan";
import { STATELESS_TYPE } from "./classify";
import { DriftReport, ResourceDrift, propertyDrifts, resourceDrift, sortDrift } from "./model";

/**
 * Drift between two plan documents (CONVENTIONS.md, "The offline plan"): `code` is what the
 * program registers, `observed` what the cloud holds, in the same shape (for instance a plan of the
 * stack's exported state, or a plan of the same program evaluated against hand-edited config).
 * Resources are matched by URN; inputs are compared property by property.
 */
export function driftFromPlans(code: PlanDocument, observed: PlanDocument): DriftReport {
    const before = new Map(observed.resources.map((r) => [r.urn, r]));
    const after = new Map(code.resources.map((r) => [r.urn, r]));
    const drift: ResourceDrift[] = [];
    for (const [urn, r] of after) {
        if (STATELESS_TYPE.test(r.type)) continue;
        const seen = before.get(urn);
        if (!seen) {
            drift.push(resourceDrift(urn, r.type, "missing", [], "create"));
            continue;
        }
        const properties = propertyDrifts(r.type, { code: r.inputs, observed: seen.inputs });
        if (properties.length) drift.push(resourceDrift(urn, r.type, "changed", properties, "update"));
    }
    for (const [urn, r] of before) {
        if (!after.has(urn) && !STATELESS_TYPE.test(r.type)) drift.push(resourceDrift(urn, r.type, "unmanaged", []));
    }
    return { project: code.project, stack: code.stack, source: "plan", drift: sortDrift(drift), pending: [], diagnostics: [] };
}
