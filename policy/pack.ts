import type { Policies, PolicyConfigSchema, PolicyResource as SdkResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { markSecrets } from "./pack-secrets";
import { Observable, PolicyContext, PolicyResource, ResourceRule, Rule, StackIdentity, StackRule, policyContext, stackOfUrn, unobserved } from "./rule";

/**
 * What a policy pack sees under the Pulumi CLI: secrets, kept marked by policy/pack-secrets.ts
 * (policy/index.ts turns that on). The analyzer protocol carries no `retainOnDelete`, stack
 * validations receive outputs (which providers fill in, e.g. a key's default policy) rather than
 * inputs, and no stack config reaches an analyzer: the stack's identity comes from the pack's policy
 * config (`--policy-pack-config`, see docs/policy.md) when given. Rules needing what is missing are
 * reported "not applicable" here and enforced by the offline plan.
 */
export const PACK_OBSERVES: readonly Observable[] = ["secrets"];

/** The policy config of a rule that needs the stack's identity (`pulumi preview --policy-pack-config <file>`). */
export const IDENTITY_CONFIG_SCHEMA: PolicyConfigSchema = {
    properties: {
        awsAccountId: { type: "string", pattern: "^\\d{12}$", description: "The stack's AWS account id (kms-observability:aws.accountId)." },
        githubOwner: { type: "string", minLength: 1, description: "The stack's GitHub organization (github:owner)." },
    },
};

function contextFor(rule: Rule, urn: string, notApplicable: (reason: string) => never, config: Partial<StackIdentity>): PolicyContext {
    const identity = config.awsAccountId && config.githubOwner ? { awsAccountId: config.awsAccountId, githubOwner: config.githubOwner } : undefined;
    const ctx = policyContext(stackOfUrn(urn), PACK_OBSERVES, identity);
    const missing = unobserved(rule, ctx);
    if (missing.length) {
        notApplicable(missing.includes("identity") && missing.length === 1
            ? "needs the stack's identity: pass --policy-pack-config with awsAccountId and githubOwner (docs/policy.md); the offline plan (npm run plan) enforces it"
            : `needs ${missing.join(", ")}, which the policy SDK does not expose; the offline plan (npm run plan) enforces it`);
    }
    return ctx;
}

function resourcePolicy(rule: ResourceRule): ResourceValidationPolicy {
    return {
        name: rule.name,
        description: rule.description,
        enforcementLevel: rule.enforcementLevel,
        ...(rule.requires?.includes("identity") ? { configSchema: IDENTITY_CONFIG_SCHEMA } : {}),
        validateResource: (args, report) => {
            if (!rule.types.includes(args.type)) return;
            const ctx = contextFor(rule, args.urn, args.notApplicable, args.getConfig<Partial<StackIdentity>>());
            const r: PolicyResource = { type: args.type, name: args.name, urn: args.urn, props: markSecrets(args.props), protect: args.opts.protect, dependsOn: [] };
            for (const message of rule.check(r, ctx)) report(message);
        },
    };
}

/** A stack resource in the rule model: dependencies from both the resource and its properties. */
function fromStackResource(r: SdkResource): PolicyResource {
    const deps = [...r.dependencies, ...Object.values(r.propertyDependencies).flat()].map((d) => d.urn);
    return { type: r.type, name: r.name, urn: r.urn, props: markSecrets(r.props), protect: r.opts.protect, dependsOn: [...new Set(deps)] };
}

function stackPolicy(rule: StackRule): StackValidationPolicy {
    return {
        name: rule.name,
        description: rule.description,
        enforcementLevel: rule.enforcementLevel,
        ...(rule.requires?.includes("identity") ? { configSchema: IDENTITY_CONFIG_SCHEMA } : {}),
        validateStack: (args, report) => {
            if (!args.resources.length) return;
            const ctx = contextFor(rule, args.resources[0].urn, args.notApplicable, args.getConfig<Partial<StackIdentity>>());
            for (const f of rule.check(args.resources.map(fromStackResource), ctx)) report(f.message, f.urn);
        },
    };
}

/** The rules as @pulumi/policy policies (the same check functions the offline plan runs). */
export function toPolicies(rules: readonly Rule[]): Policies {
    return rules.map((rule) => (rule.kind === "resource" ? resourcePolicy(rule) : stackPolicy(rule)));
}
