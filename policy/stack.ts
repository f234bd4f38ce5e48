import { KMS_KEY } from "./aws-kms";
import { BQ_DATASET, GCS_BUCKET } from "./gcp-storage";
import { CRYPTO_KEY } from "./gcp-logging";
import { GH_ENVIRONMENT } from "./github";
import { PolicyResource, Rule, stackRule } from "./rule";

/** Resources whose loss loses data or history: keys, audit datasets and buckets, deployment environments. */
export const STATEFUL_TYPES = [KMS_KEY, BQ_DATASET, GCS_BUCKET, GH_ENVIRONMENT, CRYPTO_KEY, "gcp:kms/keyRing:KeyRing"];

const stateful = (resources: readonly PolicyResource[]) => resources.filter((r) => STATEFUL_TYPES.includes(r.type));

export const stackRules: Rule[] = [
    stackRule({
        name: "stack-stateful-protected",
        description: "In production, stateful resources (keys, datasets, buckets, GitHub environments) are protected: `pulumi destroy` or a replace cannot delete them.",
        types: STATEFUL_TYPES,
        check: (resources, ctx) => (!ctx.production ? [] : stateful(resources).filter((r) => !r.protect)
            .map((r) => ({ urn: r.urn, message: `${r.type} ${r.name} is not protected in production stack ${ctx.stack} (set protectStateful: true)` }))),
    }),
    stackRule({
        name: "stack-stateful-retained",
        description: "In production, stateful resources are retained on delete (retainOnDelete): removing them from the program leaves the cloud resource in place.",
        types: STATEFUL_TYPES,
        requires: ["retainOnDelete"],
        check: (resources, ctx) => (!ctx.production ? [] : stateful(resources).filter((r) => r.retainOnDelete !== true)
            .map((r) => ({ urn: r.urn, message: `${r.type} ${r.name} is not retained on delete in production stack ${ctx.stack} (set protectStateful: true)` }))),
    }),
];
