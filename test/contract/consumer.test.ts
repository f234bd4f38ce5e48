import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { compatibleVersion, readKmsObservability } from "../../contract/consumer";
import { StackOutputs, stackOutputsSchema } from "../../contract/outputs";
import { stackRun } from "../harness";

/** Resolves an Output under mocks. */
const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply((v) => { resolve(v); return v; }));

/** Runs a consumer program under mocks whose StackReference returns `outputs`. */
async function consume(outputs: Record<string, unknown>, body: (ref: pulumi.StackReference) => Promise<void>): Promise<void> {
    await pulumi.runtime.setMocks({
        newResource: (a) => (a.type === "pulumi:pulumi:StackReference"
            ? { id: String(a.inputs.name), state: { name: a.inputs.name, outputs, secretOutputNames: [] } }
            : { id: a.name, state: a.inputs }),
        call: () => ({}),
    }, "payments", "prod", false);
    await body(new pulumi.StackReference("ledger-mind/kms-observability/prod"));
}

describe("contract: consumer helper (StackReference)", () => {
    let prodOutputs: Record<string, unknown>;
    before(async () => { prodOutputs = (await stackRun("prod")).outputs; });

    it("reads typed, validated sections of the prod stack", async () => {
        await consume(prodOutputs, async (ref) => {
            const kms = readKmsObservability(ref);
            const aws: StackOutputs["aws"] = await value(kms.aws);
            assert.match(aws.keyArns["ledger-mind/prod/pii-redaction"], /^arn:aws:kms:us-east-1:\d{12}:key\//);
            assert.match(aws.roleArns.emergency, /EmergencyKeyAdmin$/);
            const amp = (await value(kms.alerting)).amp;
            assert.ok(amp && amp.remoteWriteUrl.endsWith("/api/v1/remote_write"));
            assert.strictEqual((await value(kms.gcp)).auditDataset, "ledgermind-prod:kms_audit");
        });
    });

    it("accepts minor versions of its major and refuses another major, naming both", () => {
        assert.strictEqual(compatibleVersion("1.7.2", "org/kms/prod"), "1.7.2");
        assert.throws(() => compatibleVersion("2.0.0", "org/kms/prod"),
            /stack org\/kms\/prod publishes outputs contract 2\.0\.0; this consumer understands 1\.\d+\.\d+ \(major 1\)/);
        assert.throws(() => compatibleVersion(undefined, "org/kms/prod"));
    });

    it("validates sections against the contract", async () => {
        const broken = { ...prodOutputs, aws: { ...(prodOutputs.aws as object), roleArns: { admin: "not-an-arn" } } };
        await consume(broken, async (ref) => {
            assert.ok(!stackOutputsSchema.shape.aws.safeParse(broken.aws).success);
            // The prod sections that are intact still resolve.
            assert.strictEqual((await value(readKmsObservability(ref).gcp)).datasetId, "kms_audit");
        });
    });
});
