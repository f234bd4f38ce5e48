import * as assert from "assert";
import { emergencyDocument, emergencySecretPolicy } from "../../../components/aws/emergency";
import { parseSettings } from "../../../config/load";
import { StackRun, stackConfig, stackRun } from "../../harness";
import { evaluate } from "./iam-eval";
import { doc } from "./policy-asserts";
import { awsOut } from "./stack";

describe("aws: emergency material (components/aws/emergency.ts)", () => {
    let prod: StackRun;
    before(async () => { prod = await stackRun("prod"); });

    it("keeps the contacts in a Secrets Manager secret encrypted with the environment's emergency key, 30-day recovery window", () => {
        const secret = prod.one("aws:secretsmanager/secret:Secret");
        assert.strictEqual(secret.inputs.name, "ledgermind-prod/emergency-procedures-prod");
        assert.strictEqual(secret.inputs.recoveryWindowInDays, 30);
        assert.match(String(secret.inputs.kmsKeyId), /^arn:aws:kms:us-east-1:123456789012:key\//);
        assert.strictEqual(secret.protect, true);
        const key = prod.one("aws:kms/key:Key", "aws-emergency-key");
        assert.strictEqual(key.inputs.enableKeyRotation, true);
        const keyPolicy = doc(key.inputs.policy);
        const out = awsOut(prod);
        assert.strictEqual(evaluate(keyPolicy, { principal: out.roleArns.emergency, action: "kms:Decrypt" }), "Allow");
        assert.notStrictEqual(evaluate(keyPolicy, { principal: out.roleArns.emergency, action: "kms:DisableKey", context: { "aws:MultiFactorAuthPresent": "true" } }), "Allow",
            "revoking data keys must not lock the emergency procedures away");
        assert.strictEqual(prod.one("aws:secretsmanager/secretVersion:SecretVersion").inputs.secretString, "[secret]");
    });

    it("lets the break-glass roles read it and explicitly denies everyone else", () => {
        const out = awsOut(prod);
        const policy = prod.one("aws:secretsmanager/secretPolicy:SecretPolicy");
        assert.strictEqual(policy.inputs.blockPublicPolicy, true);
        const p = doc(policy.inputs.policy);
        for (const role of [out.roleArns.emergency, out.roleArns.recovery]) {
            assert.strictEqual(evaluate(p, { principal: role, action: "secretsmanager:GetSecretValue" }), "Allow", role);
        }
        for (const other of [out.roleArns.admin, "arn:aws:iam::123456789012:role/ledger-api-prod", "arn:aws:iam::999999999999:role/outsider"]) {
            assert.strictEqual(evaluate(p, { principal: other, action: "secretsmanager:GetSecretValue" }), "Deny", other);
        }
        // The deployer reads back what it wrote (the provider's GetSecretValue after create): not denied, not granted here.
        assert.strictEqual(evaluate(p, { principal: "arn:aws:iam::123456789012:role/ledger-mind-pulumi-deployer", action: "secretsmanager:GetSecretValue" }), "ImplicitDeny");
        assert.throws(() => emergencySecretPolicy([], []), /break-glass/);
    });

    it("holds the configured contacts and links each procedure to its runbook section", () => {
        const e = parseSettings(stackConfig("prod")).aws.emergency;
        assert.ok(e);
        const d = JSON.parse(emergencyDocument("prod", e.contacts, { emergency: "arn:e", recovery: "arn:r" }, ["alias/b", "alias/a"])) as
            { emergency_contacts: unknown[]; procedures: Record<string, string>; keys: string[] };
        assert.deepStrictEqual(d.emergency_contacts, e.contacts);
        assert.deepStrictEqual(d.keys, ["alias/a", "alias/b"]);
        assert.deepStrictEqual(Object.values(d.procedures).map((p) => p.split("#").pop()),
            ["emergency-revocation", "key-recovery", "key-compromise", "disaster-recovery"]);
    });
});
