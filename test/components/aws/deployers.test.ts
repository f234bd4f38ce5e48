import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { deployerForCaller } from "../../../documents/aws/deployers";
import { parseSettings } from "../../../config/load";
import { StackRun, editSection, rejects, runStack, stackConfig, stackRun } from "../../harness";
import { evaluateKmsAccess } from "./iam-eval";
import { doc } from "./policy-asserts";

const KEY = "aws:kms/key:Key";
const FILE = "Pulumi.prod.yaml: kms-observability:aws";
/** What a deploy identity holds in IAM (PowerUser-like): every KMS action on every key. */
const KMS_ANYWHERE = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["kms:*"], Resource: "*" }] };
/** A role session without MFA: IAM Identity Center and OIDC (CI) sessions carry no aws:MultiFactorAuthPresent. */
const NO_MFA = {};
const MFA = { "aws:MultiFactorAuthPresent": "true" };

describe("aws: the supported deploy identities get past the MFA deny and the lockout check, nobody else", () => {
    for (const stack of ["prod", "staging"] as const) {
        describe(`${stack}: every KMS key in the plan`, () => {
            let run: StackRun;
            let account: string;
            before(async function () {
                this.timeout(120_000);
                run = await stackRun(stack);
                account = parseSettings(stackConfig(stack)).aws.accountId;
            });
            const put = (policy: unknown, principal: string, context: Record<string, string>) =>
                evaluateKmsAccess(policy, [KMS_ANYWHERE], { principal, action: "kms:PutKeyPolicy", context });

            it("keeps KMS's key-policy lockout safety check on", () => {
                const keys = run.ofType(KEY);
                assert.ok(keys.length >= 4, `keys: ${keys.length} (data keys, topic key, AMP key)`);
                for (const k of keys) assert.ok(k.inputs.bypassPolicyLockoutSafetyCheck === false, `${k.name}: bypassPolicyLockoutSafetyCheck`);
            });

            it("lets the CI deploy role and the workstation SSO permission set put the policy without MFA (the new policy allows its own update)", () => {
                const ci = `arn:aws:iam::${account}:role/ledger-mind-pulumi-deployer`;
                const sso = `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/us-east-1/AWSReservedSSO_KmsDeployer_0a1b2c3d4e5f6789`;
                for (const k of run.ofType(KEY)) {
                    const policy = doc(k.inputs.policy);
                    assert.strictEqual(put(policy, ci, NO_MFA), "Allow", `${k.name}: CI`);
                    assert.strictEqual(put(policy, sso, NO_MFA), "Allow", `${k.name}: SSO workstation`);
                    for (const action of ["kms:CreateAlias", "kms:TagResource", "kms:EnableKeyRotation"]) {
                        assert.strictEqual(evaluateKmsAccess(policy, [KMS_ANYWHERE], { principal: ci, action }), "Allow", `${k.name}: ${action}`);
                    }
                }
            });

            it("denies PutKeyPolicy without MFA to every other principal, even one whose IAM policy allows kms:*", () => {
                const others = [
                    `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/us-east-1/AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6789`,
                    `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/us-east-1/AWSReservedSSO_KmsDeployerX_0a1b2c3d4e5f6789`,
                    `arn:aws:iam::${account}:role/ledger-mind-pulumi-deployer-copy`,
                    `arn:aws:iam::${account}:user/alice`,
                ];
                for (const k of run.ofType(KEY)) {
                    const policy = doc(k.inputs.policy);
                    for (const p of others) {
                        assert.strictEqual(put(policy, p, NO_MFA), "Deny", `${k.name}: ${p} without MFA`);
                        assert.strictEqual(put(policy, p, { "aws:MultiFactorAuthPresent": "false" }), "Deny", `${k.name}: ${p} MFA false`);
                        assert.strictEqual(put(policy, p, MFA), "Allow", `${k.name}: ${p} with MFA and IAM permission`);
                    }
                }
            });
        });
    }

    it("accepts an IAM Identity Center permission set pattern, and no other wildcard", () => {
        const sso = "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-2/AWSReservedSSO_DatabaseAdministrator_*";
        // The CI deploy role (github.ci.deployRoleName) must stay listed: config/github.ts requires it.
        const ci = "arn:aws:iam::123456789012:role/ledger-mind-pulumi-deployer";
        const ok = parseSettings(editSection(stackConfig("prod"), "aws", (s) => { s.deployers = [ci, sso]; })).aws.deployers;
        assert.deepStrictEqual(ok, [ci, sso]);
        for (const bad of ["arn:aws:iam::123456789012:role/*", "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/*",
            "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/us-east-1/AWSReservedSSO_*"]) {
            rejects(editSection(stackConfig("prod"), "aws", (s) => { s.deployers = [bad]; }), `${FILE}.deployers[0] = "${bad.slice(0, 40)}`, "must be the ARN of the IAM role or user");
        }
        rejects(editSection(stackConfig("prod"), "aws", (s) => { s.deployers = [sso.replace("123456789012", "999999999999")]; }),
            `${FILE}.deployers[0]`, "must be in account 123456789012");
    });
});

describe("aws: the deploying identity is checked against aws.deployers at preview (documents/aws/deployers.ts)", () => {
    const deployers = [
        "arn:aws:iam::123456789012:role/ledger-mind-pulumi-deployer",
        "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/us-east-1/AWSReservedSSO_KmsDeployer_*",
    ];

    it("recognises the CI role and the SSO permission set from their STS session ARNs, and nobody else", () => {
        assert.strictEqual(deployerForCaller("arn:aws:sts::123456789012:assumed-role/ledger-mind-pulumi-deployer/GitHubActions", deployers), deployers[0]);
        assert.strictEqual(deployerForCaller("arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_KmsDeployer_0a1b2c3d4e5f6789/alice@ledger-mind.org", deployers), deployers[1]);
        for (const other of [
            "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6789/alice@ledger-mind.org",
            "arn:aws:sts::999999999999:assumed-role/ledger-mind-pulumi-deployer/GitHubActions",
            "arn:aws:iam::123456789012:user/alice",
        ]) assert.strictEqual(deployerForCaller(other, deployers), undefined, other);
    });

    it("warns at preview when someone else deploys, and stays quiet for a deployer", async () => {
        const warnings: string[] = [];
        const original = pulumi.log.warn;
        pulumi.log.warn = async (msg: string) => { warnings.push(msg); };
        try {
            await runStack(stackConfig("prod"));
            assert.deepStrictEqual(warnings.filter((w) => w.includes("aws.deployers")), [], "the mock caller is the CI role");
            await runStack(stackConfig("prod"), { calls: { "aws:index/getCallerIdentity:getCallerIdentity": () => ({
                accountId: "123456789012", id: "123456789012", userId: "AROAX:alice",
                arn: "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6789/alice",
            }) } });
            assert.ok(warnings.some((w) => w.includes("AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6789/alice is not one of kms-observability:aws.deployers")), warnings.join("\n"));
        } finally {
            pulumi.log.warn = original;
        }
    });
});
