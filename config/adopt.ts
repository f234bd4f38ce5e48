import { z } from "zod";
import { CatalogueInput, adoptableResources } from "./adopt-catalogue";
import { didYouMean } from "./errors";

/**
 * `kms-observability:adopt` — resources that already exist (created by the old scripts or in a
 * console) and that this stack adopts instead of creating: logical resource name → the provider's
 * import id. Applied with Pulumi's `import` resource option (components/adoption.ts); listed with
 * their import-id formats, and turned into `pulumi import` commands or a bulk import file, by
 * `npm run adopt` (tools/adopt.ts). docs/adoption.md explains both paths.
 */
export const adoptSection = z.record(
    z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/*?-]*$/, { error: "must be a logical resource name such as kms-audit-dataset (see npm run adopt)" }),
    z.string({ error: "must be the provider's import id (a string)" }).trim().min(1, { error: "must be the provider's import id, not empty" }),
).default({});

export type AdoptSettings = z.infer<typeof adoptSection>;

/**
 * Every adopted name must be a resource this stack declares, with an id of the form its provider
 * documents for exactly the declared resource (a different dataset or uid could not match the declared
 * inputs, and the import would fail at apply). Cross-section: names depend on the whole config.
 */
export function checkAdoption(s: CatalogueInput & { readonly adopt: AdoptSettings }, ctx: z.RefinementCtx): void {
    const entries = Object.entries(s.adopt);
    if (entries.length === 0) return;
    const catalogue = new Map(adoptableResources(s).map((r) => [r.name, r]));
    for (const [name, id] of entries) {
        const r = catalogue.get(name);
        if (!r) {
            const hint = didYouMean(name, [...catalogue.keys()]);
            ctx.addIssue({
                code: "custom", path: ["adopt", name], input: id,
                message: `unknown logical name "${name}"${hint ? ` (did you mean "${hint}"?)` : ""}: this stack declares no such adoptable resource; ` +
                    "`npm run adopt -- --stack <stack>` lists them",
            });
        } else if (!r.pattern.test(id)) {
            ctx.addIssue({
                code: "custom", path: ["adopt", name], input: id,
                message: `is not an import id of ${r.type} for this stack's resource: expected ${r.format}, e.g. ${r.example} (${r.source})`,
            });
        }
    }
}
