import { isProductionStack } from "../shared/tier";

/**
 * The rule model of the policy pack. A rule is a pure function over resources as the engine
 * receives them (type token, input properties, options) plus a little stack-level context; the
 * same functions run inside `pulumi preview --policy-pack policy` (see pack.ts) and inside the
 * offline plan (see evaluate.ts), so the two can never disagree.
 */

/** Facts a runtime may be unable to observe; a rule that needs one is "not applicable" there. */
export type Observable =
    /** Whether a value is a Pulumi secret: the policy SDK unwraps secrets before validation. */
    | "secrets"
    /** The `retainOnDelete` option: the analyzer protocol does not carry it. */
    | "retainOnDelete"
    /** Input properties in stack rules: the analyzer's stack validation receives outputs, which providers fill in. */
    | "stackInputs"
    /**
     * Who owns the stack: its AWS account and GitHub owner (stack config offline; the pack's
     * policy config under the CLI, which passes no stack config to an analyzer).
     */
    | "identity";

/** The stack's own AWS account and GitHub organization: the only ones its policies may trust. */
export interface StackIdentity {
    /** 12-digit AWS account id the stack deploys to (`kms-observability:aws.accountId`). */
    readonly awsAccountId: string;
    /** GitHub organization or user that owns the repositories (`github:owner`). */
    readonly githubOwner: string;
}

/** Stack-level facts every rule may use. */
export interface PolicyContext {
    /** The stack name (the part of the URN after `urn:pulumi:`). */
    readonly stack: string;
    /** True for production stacks: the stricter prod-only guarantees apply. See {@link isProductionStack}. */
    readonly production: boolean;
    /** What this runtime can see; rules requiring something else are skipped as not applicable. */
    readonly observes: ReadonlySet<Observable>;
    /** Set whenever `observes` has "identity". */
    readonly identity?: StackIdentity;
}

/** One resource as a rule sees it. */
export interface PolicyResource {
    readonly type: string;
    /** Logical name. */
    readonly name: string;
    readonly urn: string;
    /** Input properties as the engine receives them (JSON-string properties stay strings). */
    readonly props: Readonly<Record<string, unknown>>;
    readonly protect: boolean;
    /** Undefined where the runtime cannot observe it (the policy SDK). */
    readonly retainOnDelete?: boolean;
    /** URNs this resource depends on (explicit and through its inputs). */
    readonly dependsOn: readonly string[];
}

/** A stack rule's finding: a message, against one resource or (no urn) the whole stack. */
export interface Finding {
    readonly urn?: string;
    readonly message: string;
}

interface RuleMeta {
    /** Unique, kebab-case, prefixed by area (`aws-`, `gcp-`, `github-`, `grafana-`, `stack-`). */
    readonly name: string;
    /** One sentence: what must hold (shown by the CLI with each violation and in docs/policy.md). */
    readonly description: string;
    readonly enforcementLevel: "mandatory";
    /** Facts the rule needs that not every runtime observes. */
    readonly requires?: readonly Observable[];
}

/** Checks each resource of the listed types on its own; returns violation messages (none = compliant). */
export interface ResourceRule extends RuleMeta {
    readonly kind: "resource";
    readonly types: readonly string[];
    check(r: PolicyResource, ctx: PolicyContext): string[];
}

/** Checks the stack as a whole (relations between resources, presence of a resource). */
export interface StackRule extends RuleMeta {
    readonly kind: "stack";
    /** The types the rule looks at (documentation; the check receives every resource). */
    readonly types: readonly string[];
    check(resources: readonly PolicyResource[], ctx: PolicyContext): Finding[];
}

export type Rule = ResourceRule | StackRule;

type Def<T> = Omit<T, "kind" | "enforcementLevel">;

/** A mandatory resource rule. */
export function resourceRule(def: Def<ResourceRule>): ResourceRule {
    return { kind: "resource", enforcementLevel: "mandatory", ...def };
}

/** A mandatory stack rule. */
export function stackRule(def: Def<StackRule>): StackRule {
    return { kind: "stack", enforcementLevel: "mandatory", ...def };
}

/** The stack name in a URN `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function stackOfUrn(urn: string): string {
    const m = /^urn:pulumi:([^:]+)::/.exec(urn);
    if (!m) throw new Error(`not a Pulumi URN: ${urn}`);
    return m[1];
}

/** Production is told from the stack name (shared/tier.ts: the config's tier check uses the same rule). */
export { isProductionStack };

/** The context for a stack in a runtime that observes `observes`. */
export function policyContext(stack: string, observes: readonly Observable[], identity?: StackIdentity): PolicyContext {
    const seen = new Set<Observable>(observes.filter((o) => o !== "identity"));
    if (identity) seen.add("identity");
    return { stack, production: isProductionStack(stack), observes: seen, identity };
}

/** Everything a rule may need that the runtime cannot see, or none. */
export function unobserved(rule: Rule, ctx: PolicyContext): Observable[] {
    return (rule.requires ?? []).filter((o) => !ctx.observes.has(o));
}

/** How the offline plan shows a value not known until apply (tools/engine.ts). */
export const UNKNOWN = "[unknown]";
/** How the offline plan shows a secret value (tools/engine.ts). */
export const SECRET = "[secret]";
