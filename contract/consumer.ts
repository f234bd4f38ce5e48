import * as pulumi from "@pulumi/pulumi";
import { CONTRACT_VERSION, StackOutputs, stackOutputsSchema } from "./outputs";

/** The stack outputs as typed Outputs, each validated against the contract when it resolves. */
export type KmsObservabilityOutputs = { readonly [K in keyof StackOutputs]-?: pulumi.Output<StackOutputs[K]> };

const major = (v: string) => v.split(".")[0];

/** The published contract version, if this consumer understands it; throws naming both versions otherwise. */
export function compatibleVersion(published: unknown, stackName: string): string {
    const parsed = stackOutputsSchema.shape.contractVersion.parse(published);
    if (major(parsed) !== major(CONTRACT_VERSION)) {
        throw new Error(`stack ${stackName} publishes outputs contract ${parsed}; this consumer understands ${CONTRACT_VERSION} (major ${major(CONTRACT_VERSION)})`);
    }
    return parsed;
}

/**
 * Reads a kms-observability stack from another team's Pulumi program:
 *
 * ```ts
 * const kms = readKmsObservability(new pulumi.StackReference("ledger-mind/kms-observability/prod"));
 * const keyArn = kms.aws.apply((a) => a.keyArns["ledger-mind/prod/pii-redaction"]);
 * ```
 *
 * Every section is read with `requireOutput` (a missing output fails the consumer's preview) and
 * parsed with the contract's schema; a stack on another major contract version is refused.
 */
export function readKmsObservability(ref: pulumi.StackReference): KmsObservabilityOutputs {
    const shape = stackOutputsSchema.shape;
    const version = pulumi.all([ref.name, ref.requireOutput("contractVersion")]).apply(([name, v]) => compatibleVersion(v, name));
    const section = <K extends Exclude<keyof StackOutputs, "contractVersion">>(key: K): pulumi.Output<StackOutputs[K]> =>
        pulumi.all([version, ref.requireOutput(key)]).apply(([, v]) => shape[key].parse(v) as StackOutputs[K]);
    return {
        contractVersion: version,
        environment: section("environment"),
        aws: section("aws"),
        gcp: section("gcp"),
        alerting: section("alerting"),
        grafana: section("grafana"),
        github: section("github"),
    };
}

export { CONTRACT_VERSION, stackOutputsSchema } from "./outputs";
export type { StackOutputs } from "./outputs";
