import { z } from "zod";

/**
 * `kms-observability:adopt` — resources that already exist (created by the old scripts or in a
 * console) and that this stack adopts instead of creating: logical resource name → the provider's
 * import id. Applied with Pulumi's `import` resource option (config/to-args/adoption.ts); listed with
 * their import-id formats, and turned into `pulumi import` commands or a bulk import file, by
 * `npm run adopt` (tools/adopt.ts). docs/adoption.md explains both paths.
 */
export const adoptSection = z.record(
    z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/*?-]*$/, { error: "must be a logical resource name such as kms-audit-dataset (see npm run adopt)" }),
    z.string({ error: "must be the provider's import id (a string)" }).trim().min(1, { error: "must be the provider's import id, not empty" }),
).default({});

export type AdoptSettings = z.infer<typeof adoptSection>;
