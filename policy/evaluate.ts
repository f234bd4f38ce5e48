import type { PlanResource, PolicyViolation } from "../shared/plan";
import { Observable, PolicyContext, PolicyResource, Rule, StackIdentity, UNKNOWN, policyContext, unobserved } from "./rule";
import { RULES } from "./rules";

/**
 * The offline plan sees everything: secrets stay marked ("[secret]"), retainOnDelete is recorded,
 * stack rules get inputs, and the stack's identity comes from its stack file.
 */
export const OFFLINE_OBSERVES: readonly Observable[] = ["secrets", "retainOnDelete", "stackInputs", "identity"];

/** The context the offline plan evaluates a stack in (its identity from the validated stack config). */
export function offlineContext(stack: string, identity?: StackIdentity): PolicyContext {
    return policyContext(stack, OFFLINE_OBSERVES, identity);
}

/** A rule read a value that is unknown until apply (the policy SDK's UnknownValueError, offline). */
class UnknownValueError extends Error {}

/**
 * Plain JSON whose unknown values throw when read, as @pulumi/policy's proxy does under the CLI: a
 * rule that needs an unknown value cannot judge the resource during preview.
 */
function unknownChecking<T>(value: T, path: string): T {
    if (value === null || typeof value !== "object") return value;
    return new Proxy(value as object, {
        get(target, key, receiver) {
            const v: unknown = Reflect.get(target, key, receiver);
            if (typeof key !== "string") return v;
            if (v === UNKNOWN) throw new UnknownValueError(`${path}${path ? "." : ""}${key} is unknown during preview`);
            // A Proxy must return a frozen own property as is (the same invariant the SDK's proxy honours).
            const desc = Object.getOwnPropertyDescriptor(target, key);
            if (desc && "value" in desc && !desc.configurable && !desc.writable) return v;
            return unknownChecking(v, `${path}${path ? "." : ""}${key}`);
        },
    }) as T;
}

const toPolicyResource = (r: PlanResource): PolicyResource => ({
    type: r.type, name: r.name, urn: r.urn, props: unknownChecking(r.inputs, ""), protect: r.protect,
    retainOnDelete: r.retainOnDelete, dependsOn: r.dependsOn,
});

/**
 * Runs the pack's rules over a plan's resources: the same check functions `pulumi preview
 * --policy-pack policy` runs. A rule that cannot judge a value unknown during preview yields an
 * advisory violation, like the policy SDK does.
 */
export function evaluatePolicies(resources: readonly PlanResource[], ctx: PolicyContext, rules: readonly Rule[] = RULES): PolicyViolation[] {
    const subjects = resources.map(toPolicyResource);
    const stackUrn = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
    const out: PolicyViolation[] = [];
    const attempt = (rule: Rule, urn: string, run: () => { urn?: string; message: string }[]) => {
        try {
            for (const v of run()) out.push({ policy: rule.name, urn: v.urn ?? urn, level: rule.enforcementLevel, message: v.message });
        } catch (e) {
            if (!(e instanceof UnknownValueError)) throw e;
            out.push({ policy: rule.name, urn, level: "advisory", message: `can't run policy during preview: ${e.message}` });
        }
    };
    for (const rule of rules) {
        if (unobserved(rule, ctx).length) continue;
        if (rule.kind === "stack") {
            attempt(rule, stackUrn, () => rule.check(subjects, ctx));
            continue;
        }
        for (const r of subjects.filter((s) => rule.types.includes(s.type))) {
            attempt(rule, r.urn, () => rule.check(r, ctx).map((message) => ({ message })));
        }
    }
    return out;
}
