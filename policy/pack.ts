import type { Policies, PolicyResource as SdkResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { Observable, PolicyContext, PolicyResource, ResourceRule, Rule, StackRule, policyContext, stackOfUrn, unobserved } from "./rule";

/**
 * What a policy pack sees under the Pulumi CLI: the policy SDK hands rules secret values already
 * unwrapped, the analyzer protocol carries no `retainOnDelete`, and stack validations receive
 * outputs (which providers fill in, e.g. a key's default policy) rather than inputs. Rules needing
 * any of these are reported "not applicable" here and enforced by the offline plan.
 */
export const PACK_OBSERVES: readonly Observable[] = [];

function contextFor(rule: Rule, urn: string, notApplicable: (reason: string) => never): PolicyContext {
    const ctx = policyContext(stackOfUrn(urn), PACK_OBSERVES);
    const missing = unobserved(rule, ctx);
    if (missing.length) notApplicable(`needs ${missing.join(", ")}, which the policy SDK does not expose; the offline plan (npm run plan) enforces it`);
    return ctx;
}

function resourcePolicy(rule: ResourceRule): ResourceValidationPolicy {
    return {
        name: rule.name,
        description: rule.description,
        enforcementLevel: rule.enforcementLevel,
        validateResource: (args, report) => {
            if (!rule.types.includes(args.type)) return;
            const ctx = contextFor(rule, args.urn, args.notApplicable);
            const r: PolicyResource = { type: args.type, name: args.name, urn: args.urn, props: args.props, protect: args.opts.protect, dependsOn: [] };
            for (const message of rule.check(r, ctx)) report(message);
        },
    };
}

/** A stack resource in the rule model: dependencies from both the resource and its properties. */
function fromStackResource(r: SdkResource): PolicyResource {
    const deps = [...r.dependencies, ...Object.values(r.propertyDependencies).flat()].map((d) => d.urn);
    return { type: r.type, name: r.name, urn: r.urn, props: r.props, protect: r.opts.protect, dependsOn: [...new Set(deps)] };
}

function stackPolicy(rule: StackRule): StackValidationPolicy {
    return {
        name: rule.name,
        description: rule.description,
        enforcementLevel: rule.enforcementLevel,
        validateStack: (args, report) => {
            if (!args.resources.length) return;
            const ctx = contextFor(rule, args.resources[0].urn, args.notApplicable);
            for (const f of rule.check(args.resources.map(fromStackResource), ctx)) report(f.message, f.urn);
        },
    };
}

/** The rules as @pulumi/policy policies (the same check functions the offline plan runs). */
export function toPolicies(rules: readonly Rule[]): Policies {
    return rules.map((rule) => (rule.kind === "resource" ? resourcePolicy(rule) : stackPolicy(rule)));
}
