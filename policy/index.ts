// The policy pack's entry point, loaded by `pulumi preview --policy-pack policy` (PulumiPolicy.yaml).
// Constructing the PolicyPack starts the analyzer's gRPC server, so nothing but the CLI may import
// this file: the offline plan runs the same rules through evaluate.ts instead.
import { PolicyPack } from "@pulumi/policy";
import { toPolicies } from "./pack";
import { keepSecrets } from "./pack-secrets";
import { RULES } from "./rules";

// Secrets stay marked for the rules, as in the offline plan (policy/pack-secrets.ts).
keepSecrets();

new PolicyPack("kms-observability", {
    description: "Key governance guarantees for the kms-observability stacks: KMS keys, IAM trust, audit logging, GitHub and Grafana (see docs/policy.md).",
    enforcementLevel: "mandatory",
    policies: toPolicies(RULES),
});
