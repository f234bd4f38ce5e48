import * as pulumi from "@pulumi/pulumi";
import { AdoptSettings } from "../adopt";
import { CatalogueInput, adoptableResources } from "../checks/adoption";

/**
 * Applies `kms-observability:adopt`: each listed resource gets Pulumi's `import` resource option with
 * its id, so that `pulumi up` adopts what the old scripts or a console created instead of failing
 * with 409/AlreadyExists. A stack transformation reaches the resources inside components without
 * touching them; it must be registered before the first resource (index.ts calls this right after
 * loading the settings). The config layer has already checked every name and id (config/adopt.ts,
 * config/checks/adoption.ts). It belongs to the program, not to a component: it applies a config
 * section to every resource, whichever component registers it.
 *
 * Engine semantics (Pulumi developer docs, "Importing resources", the import resource option:
 * https://pulumi-developer-docs.readthedocs.io/latest/docs/architecture/deployment-execution/import.html):
 * a resource not yet in the state is read from the provider with that id and must match the program's
 * declared inputs (a difference is a warning in preview and fails the update); a resource already in
 * the state with the same id is managed as usual, so the entries may stay after the import.
 * https://www.pulumi.com/docs/iac/concepts/options/import/
 */
export function adoptExisting(settings: CatalogueInput & { readonly adopt: AdoptSettings }): void {
    const wanted = new Map(Object.entries(settings.adopt));
    if (wanted.size === 0) return;
    const types = new Map(adoptableResources(settings).map((r) => [r.name, r.type]));
    pulumi.runtime.registerStackTransformation((args) => {
        const id = wanted.get(args.name);
        if (id === undefined || types.get(args.name) !== args.type) return undefined;
        return { props: args.props, opts: pulumi.mergeOptions(args.opts, { import: id }) };
    });
}
