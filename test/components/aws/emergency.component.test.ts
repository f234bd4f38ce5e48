import * as assert from "assert";
import { EmergencyMaterial } from "../../../components/aws/emergency";
import { StackRun } from "../../harness";
import { CTX, assertNamesDerived, child, children, component, runAlone } from "../alone";

const ROLE = (n: string) => `arn:aws:iam::${CTX.accountId}:role/${n}`;

describe("aws: EmergencyMaterial alone (components/aws/emergency.ts)", () => {
    const contacts = [{ name: "Sec On-call", role: "security on-call", email: "oncall@example.org", phone: "+14155550100" }];
    let run: StackRun;

    before(async () => {
        run = await runAlone(() => {
            const e = new EmergencyMaterial("em", {
                contacts, recoveryWindowDays: 7, environment: "staging", namePrefix: "acme", ctx: CTX,
                emergencyRoleArn: ROLE("Emergency"), recoveryRoleArn: ROLE("Recovery"), adminRoleArn: ROLE("Admin"),
                deployers: [ROLE("deployer")], aliases: ["alias/app/data"], protect: true, tags: { env: "staging" },
            });
            return { secretArn: e.secretArn, keyArn: e.keyArn };
        });
    });

    it("registers its key and alias, the secret, its version and policy under the component", () => {
        const c = component(run, "kms-observability:aws:EmergencyMaterial", "em");
        assert.deepStrictEqual(children(run, c), [
            "aws:kms/alias:Alias em-key-alias",
            "aws:kms/key:Key em-key",
            "aws:secretsmanager/secret:Secret em-secret",
            "aws:secretsmanager/secretPolicy:SecretPolicy em-secret-policy",
            "aws:secretsmanager/secretVersion:SecretVersion em-secret-version",
        ]);
        assertNamesDerived(run, c);
    });

    it("protects the key and the secret, encrypts the secret with the key, and keeps the document secret", () => {
        const c = run.one("kms-observability:aws:EmergencyMaterial");
        const key = child(run, c, "aws:kms/key:Key", "em-key");
        const secret = child(run, c, "aws:secretsmanager/secret:Secret", "em-secret");
        assert.deepStrictEqual([key.protect, secret.protect, secret.retainOnDelete], [true, true, true]);
        assert.strictEqual(secret.inputs.name, "acme/emergency-procedures-staging");
        assert.strictEqual(secret.inputs.recoveryWindowInDays, 7);
        assert.strictEqual(child(run, c, "aws:kms/alias:Alias", "em-key-alias").inputs.name, "alias/acme-emergency-material");
        assert.strictEqual(child(run, c, "aws:secretsmanager/secretVersion:SecretVersion", "em-secret-version").inputs.secretString, "[secret]");
    });

    it("defaults the recovery window to 30 days and refuses a document without contacts", async () => {
        const args = {
            environment: "staging", namePrefix: "acme", ctx: CTX, emergencyRoleArn: ROLE("Emergency"), recoveryRoleArn: ROLE("Recovery"),
            adminRoleArn: ROLE("Admin"), deployers: [ROLE("deployer")], aliases: [], protect: false, tags: {},
        };
        const defaults = await runAlone(() => ({ secretArn: new EmergencyMaterial("em", { ...args, contacts }).secretArn }));
        assert.strictEqual(defaults.one("aws:secretsmanager/secret:Secret", "em-secret").inputs.recoveryWindowInDays, 30);
        await assert.rejects(runAlone(() => ({ secretArn: new EmergencyMaterial("em", { ...args, contacts: [] }).secretArn })), /at least one emergency contact/);
    });

        it("outputs the secret's and the key's ARNs", () => {
        assert.match(String(run.outputs.secretArn), /^arn:aws:secretsmanager:eu-west-1:210987654321:/);
        assert.match(String(run.outputs.keyArn), /^arn:aws:kms:eu-west-1:210987654321:key\//);
    });
});
