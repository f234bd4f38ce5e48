/**
 * Alias resolution for the offline plan, as Pulumi's engine does it: a resource whose URN is new is
 * the same resource as an old one when one of its aliases equals the old URN; the engine then updates
 * (or leaves) it in place instead of deleting the old one and creating the new
 * (https://www.pulumi.com/docs/iac/concepts/options/aliases/).
 *
 * - An alias is a full URN, or a spec whose absent parts are the resource's own: name, type, project,
 *   stack, and parent — `{ parent: pulumi.rootStackResource }` (or an undefined `parent`) means "had no
 *   component parent", an absent `parent` means "the current parent"
 *   (https://www.pulumi.com/docs/reference/pkg/nodejs/pulumi/pulumi/interfaces/Alias.html).
 * - Children inherit their parent's aliases: for every alias of the parent, the child's URN under that
 *   aliased parent, with the parent's name prefix of the child's name replaced by the alias's name —
 *   N own and M parent aliases give N + M(1 + N) (allAliases,
 *   https://www.pulumi.com/docs/reference/pkg/nodejs/pulumi/pulumi/functions/allAliases.html). With
 *   structured alias specs (SDK and monitor support `aliasSpecs`, as the mock monitor does) the SDK
 *   sends only the resource's own aliases and the engine multiplies out the parent's
 *   (step generator; pulumi/pulumi#12848 "Fix aliasing children").
 *
 * URNs are built the way the mock monitor builds the plan's URNs (runtime/mocks.js `newUrn`: the
 * parent's last type, `pulumi:pulumi:Stack` included), so aliases compare with plan URNs exactly.
 */

/** One alias as the resource monitor receives it (proto `pulumirpc.Alias`). */
export interface AliasSpec {
    readonly urn?: string;
    readonly name?: string;
    readonly type?: string;
    readonly stack?: string;
    readonly project?: string;
    readonly parentUrn?: string;
    readonly noParent?: boolean;
}

/** What a registered resource contributes to its children's aliases. */
export interface AliasedResource {
    readonly name: string;
    /** Absent in plans written before aliases were recorded. */
    readonly aliases?: readonly string[];
}

const split = (urn: string) => {
    const [head, project, qualifiedType, ...rest] = urn.split("::");
    return { stack: head.slice("urn:pulumi:".length), project, qualifiedType, name: rest.join("::") };
};

/**
 * "No parent" is the root level: `{ parent: pulumi.rootStackResource }` and `{ parent: undefined }`
 * are the same alias (Alias docs above), whose URN the engine writes without a parent type and the
 * mock monitor with `pulumi:pulumi:Stack$`: in the mock's scheme it is the URN under the root stack.
 */
const rootStackUrn = (stack: string, project: string) => `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;

/** The URN the mock monitor gives `name` of `type` under `parent` (runtime/mocks.js newUrn). */
export function mockUrn(stack: string, project: string, parent: string | null, type: string, name: string): string {
    const qualified = parent ? `${split(parent).qualifiedType.split("$").pop()}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/**
 * Every URN `resource` answers to besides its own: its aliases (specs completed with its own
 * name, type, stack, project and parent) and those inherited from its parent's aliases.
 */
export function resolveAliases(
    resource: { readonly urn: string; readonly type: string; readonly name: string; readonly parent: string | null },
    specs: readonly AliasSpec[],
    parent?: AliasedResource,
): string[] {
    const self = split(resource.urn);
    const own = specs.map((a) => {
        const stack = a.stack || self.stack;
        const project = a.project || self.project;
        return a.urn || mockUrn(stack, project, a.noParent ? rootStackUrn(stack, project) : a.parentUrn || resource.parent,
            a.type || resource.type, a.name || resource.name);
    });
    const inherited: string[] = [];
    for (const parentAlias of parent?.aliases ?? []) {
        const p = split(parentAlias);
        const rename = (n: string) => (n.startsWith(parent!.name) ? p.name + n.slice(parent!.name.length) : n);
        inherited.push(mockUrn(p.stack, p.project, parentAlias, resource.type, rename(resource.name)));
        for (const a of own) {
            const o = split(a);
            inherited.push(mockUrn(p.stack, p.project, parentAlias, o.qualifiedType.split("$").pop()!, rename(o.name)));
        }
    }
    return [...new Set([...own, ...inherited])].filter((u) => u !== resource.urn).sort();
}
