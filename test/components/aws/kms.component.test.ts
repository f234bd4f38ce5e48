import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { KmsKeys } from "../../../components/aws/kms";
import { parseSettings } from "../../../config/load";
import { StackRun, stackConfig } from "../../harness";
import { CTX, assertNamesDerived, child, children, component, runAlone } from "../alone";

const role = (n: string) => ({ name: pulumi.output(n), arn: pulumi.output(`arn:aws:iam::${CTX.accountId}:role/${n}`) });

describe("aws: KmsKeys alone (components/aws/kms.ts)", () => {
    const keys = parseSettings(stackConfig("staging")).aws.keys;
    const encrypt = keys.find((k) => k.name === "ledger-mind/staging/pii-redaction")!;
    /** Logical names carry the key name with '/' made '-'. */
    const slug = "ledger-mind-staging-pii-redaction";
    let run: StackRun;

    before(async () => {
        run = await runAlone(() => {
            const c = new KmsKeys("keys", {
                keys: [encrypt], ctx: CTX, deployers: ["arn:aws:iam::210987654321:role/deployer"], protect: true, tags: { team: "t" },
                roles: { admin: role("Admin"), emergency: role("Emergency"), recovery: role("Recovery") },
            });
            return { keyArns: c.keyArns, aliases: c.aliases, generationArns: c.generationArns };
        });
    });

    it("registers one key and its alias per key, and the three roles' inline policies, under the component", () => {
        const c = component(run, "kms-observability:aws:KmsKeys", "keys");
        assert.deepStrictEqual(children(run, c), [
            "aws:iam/rolePolicy:RolePolicy keys-admin-keys",
            "aws:iam/rolePolicy:RolePolicy keys-emergency-keys",
            "aws:iam/rolePolicy:RolePolicy keys-recovery-keys",
            `aws:kms/alias:Alias keys-${slug}-alias`,
            `aws:kms/key:Key keys-${slug}`,
        ]);
        assertNamesDerived(run, c);
    });

    it("protects the key, names the roles in its policy and grants them on it", () => {
        const c = run.one("kms-observability:aws:KmsKeys");
        const key = child(run, c, "aws:kms/key:Key", `keys-${slug}`);
        assert.strictEqual(key.protect, true);
        assert.strictEqual(key.retainOnDelete, true);
        assert.strictEqual((key.inputs.tags as Record<string, string>).team, "t");
        const policy = String(key.inputs.policy);
        for (const r of ["Admin", "Emergency", "Recovery"]) assert.ok(policy.includes(`role/${r}`), r);
        assert.strictEqual(child(run, c, "aws:iam/rolePolicy:RolePolicy", "keys-admin-keys").inputs.role, "Admin");
    });

    it("outputs the key ARN and the stable alias by key name", () => {
        const keyArns = run.outputs.keyArns as Record<string, string>;
        assert.deepStrictEqual(Object.keys(keyArns), [encrypt.name]);
        assert.match(keyArns[encrypt.name], /^arn:aws:kms:eu-west-1:210987654321:key\//);
        assert.deepStrictEqual(run.outputs.aliases, { [encrypt.name]: `alias/${encrypt.name}` });
    });

    it("refuses an empty key list", async () => {
        await assert.rejects(runAlone(() => {
            new KmsKeys("keys", { keys: [], ctx: CTX, deployers: ["d"], protect: false, tags: {},
                roles: { admin: role("A"), emergency: role("E"), recovery: role("R") } });
            return {};
        }), /at least one key/);
    });
});
