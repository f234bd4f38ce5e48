import * as assert from "assert";
import {
    EMERGENCY_ACTIONS, KEY_ADMIN_ACTIONS, KEY_USER_ACTIONS, KeyPolicyInput, MFA_PROTECTED_ACTIONS, RECOVERY_ACTIONS, keyPolicy,
} from "../../../documents/aws/key-policy";
import { evaluate } from "../../components/aws/iam-eval";
import { CRYPTO_ACTION, assertKmsStarOnlyForRoot, assertNoWildcardPrincipal, bySid, doc, sids } from "../../components/aws/policy-asserts";

const ACCOUNT = "111122223333";
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const role = (n: string) => `arn:aws:iam::${ACCOUNT}:role/${n}`;
const INPUT: KeyPolicyInput = {
    partition: "aws",
    accountId: ACCOUNT,
    administrators: [role("acme-KeyManagementAdmin"), role("payments-key-owner")],
    users: [role("payments-api"), "arn:aws:iam::444455556666:role/partner-decryptor"],
    emergency: [role("acme-EmergencyKeyAdmin")],
    recovery: [role("acme-KeyRecoveryAdmin")],
    deployers: [role("pulumi-deployer")],
};
const MFA = { "aws:MultiFactorAuthPresent": "true" };
const NO_MFA = { "aws:MultiFactorAuthPresent": "false" };

describe("aws: key policy builder (documents/aws/key-policy.ts)", () => {
    const policy = doc(keyPolicy(INPUT));

    it("has one statement per role list plus root and the MFA deny, in a stable order", () => {
        assert.deepStrictEqual(sids(policy), [
            "EnableRootAccountPermissions", "KeyAdministration", "KeyUsage", "KeyGrantsForAwsResources",
            "EmergencyRevocation", "KeyRecovery", "DenyDestructiveActionsWithoutMfa",
        ]);
        assertNoWildcardPrincipal(policy);
        assertKmsStarOnlyForRoot(policy, ROOT);
    });

    it("gives the account root kms:* (IAM delegation) without conditions", () => {
        assert.deepStrictEqual(bySid(policy, "EnableRootAccountPermissions"),
            { Sid: "EnableRootAccountPermissions", Effect: "Allow", Principal: { AWS: [ROOT] }, Action: ["kms:*"], Resource: "*" });
    });

    it("gives administrators administration only, never a cryptographic operation", () => {
        const s = bySid(policy, "KeyAdministration");
        assert.deepStrictEqual(s.Principal, { AWS: [role("acme-KeyManagementAdmin"), role("payments-key-owner")] });
        assert.deepStrictEqual(s.Action, KEY_ADMIN_ACTIONS);
        for (const a of ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:EnableKeyRotation", "kms:RotateKeyOnDemand"]) {
            assert.ok(s.Action.includes(a), a);
        }
        assert.deepStrictEqual(s.Action.filter((a) => CRYPTO_ACTION.test(a) || a.includes("*")), []);
        assert.strictEqual(s.Condition, undefined);
    });

    it("gives users exactly seed 003's cryptographic actions", () => {
        const s = bySid(policy, "KeyUsage");
        assert.deepStrictEqual(s.Principal, { AWS: [...INPUT.users].sort() });
        assert.deepStrictEqual([...s.Action].sort(),
            ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]);
        assert.deepStrictEqual(s.Action, KEY_USER_ACTIONS);
    });

    it("lets users create grants only for AWS resources (kms:GrantIsForAWSResource)", () => {
        const s = bySid(policy, "KeyGrantsForAwsResources");
        assert.deepStrictEqual(s.Principal, { AWS: [...INPUT.users].sort() });
        assert.deepStrictEqual(s.Action, ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]);
        assert.deepStrictEqual(s.Condition, { Bool: { "kms:GrantIsForAWSResource": "true" } });
        const partner = "arn:aws:iam::444455556666:role/partner-decryptor";
        assert.strictEqual(evaluate(policy, { principal: partner, action: "kms:CreateGrant" }), "ImplicitDeny");
        assert.strictEqual(evaluate(policy, { principal: partner, action: "kms:CreateGrant",
            context: { "kms:GrantIsForAWSResource": "true" } }), "Allow");
        // Within the account only IAM could add more; the key policy itself does not.
        assert.strictEqual(evaluate(policy, { principal: role("payments-api"), action: "kms:CreateGrant" }), "DelegatedToIam");
    });

    it("lets the emergency role disable and re-enable, and the recovery role cancel deletion and enable", () => {
        const e = bySid(policy, "EmergencyRevocation");
        assert.deepStrictEqual(e.Principal, { AWS: [role("acme-EmergencyKeyAdmin")] });
        assert.deepStrictEqual(e.Action, EMERGENCY_ACTIONS);
        assert.deepStrictEqual([...e.Action].sort(), ["kms:DescribeKey", "kms:DisableKey", "kms:EnableKey"]);
        const r = bySid(policy, "KeyRecovery");
        assert.deepStrictEqual(r.Principal, { AWS: [role("acme-KeyRecoveryAdmin")] });
        assert.deepStrictEqual(r.Action, RECOVERY_ACTIONS);
        assert.deepStrictEqual([...r.Action].sort(), ["kms:CancelKeyDeletion", "kms:DescribeKey", "kms:EnableKey"]);
    });

    it("denies PutKeyPolicy, ScheduleKeyDeletion and DisableKey without MFA to the whole account, deployers exempt", () => {
        const s = bySid(policy, "DenyDestructiveActionsWithoutMfa");
        assert.strictEqual(s.Effect, "Deny");
        assert.deepStrictEqual(s.Principal, { AWS: [ROOT] }, "the account, not \"*\"");
        assert.deepStrictEqual([...s.Action].sort(), ["kms:DisableKey", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"]);
        assert.deepStrictEqual(s.Action, MFA_PROTECTED_ACTIONS);
        assert.deepStrictEqual(s.Condition, {
            BoolIfExists: { "aws:MultiFactorAuthPresent": "false" },
            ArnNotLike: { "aws:PrincipalArn": [role("pulumi-deployer")] },
        });
    });

    describe("what the policy means", () => {
        const decide = (principal: string, action: string, context?: Record<string, string>) => evaluate(policy, { principal, action, context });

        it("the deployer keeps PutKeyPolicy without MFA (the stack cannot lock itself out)", () => {
            assert.strictEqual(decide(role("pulumi-deployer"), "kms:PutKeyPolicy"), "DelegatedToIam");
            assert.strictEqual(decide(role("pulumi-deployer"), "kms:PutKeyPolicy", NO_MFA), "DelegatedToIam");
        });

        it("an administrator needs MFA for the destructive actions, not for the others", () => {
            for (const action of MFA_PROTECTED_ACTIONS) {
                assert.strictEqual(decide(role("acme-KeyManagementAdmin"), action), "Deny", `${action} with access keys`);
                assert.strictEqual(decide(role("acme-KeyManagementAdmin"), action, NO_MFA), "Deny", `${action} without MFA`);
                assert.strictEqual(decide(role("acme-KeyManagementAdmin"), action, MFA), "Allow", `${action} with MFA`);
            }
            assert.strictEqual(decide(role("acme-KeyManagementAdmin"), "kms:EnableKeyRotation", NO_MFA), "Allow");
            assert.strictEqual(decide(role("acme-KeyManagementAdmin"), "kms:Decrypt", MFA), "DelegatedToIam");
        });

        it("any other principal of the account is denied too, whatever IAM grants it", () => {
            assert.strictEqual(decide(role("someone-with-admin-access"), "kms:ScheduleKeyDeletion", NO_MFA), "Deny");
            assert.strictEqual(decide(`arn:aws:iam::${ACCOUNT}:user/alice`, "kms:DisableKey"), "Deny");
        });

        it("the emergency role revokes with MFA but cannot decrypt or delete", () => {
            assert.strictEqual(decide(role("acme-EmergencyKeyAdmin"), "kms:DisableKey", MFA), "Allow");
            assert.strictEqual(decide(role("acme-EmergencyKeyAdmin"), "kms:EnableKey", MFA), "Allow");
            assert.strictEqual(decide(role("acme-EmergencyKeyAdmin"), "kms:ScheduleKeyDeletion", MFA), "DelegatedToIam");
            assert.strictEqual(decide(role("acme-EmergencyKeyAdmin"), "kms:DisableKey", NO_MFA), "Deny");
        });

        it("a cross-account user can use the key but nothing else", () => {
            const partner = "arn:aws:iam::444455556666:role/partner-decryptor";
            assert.strictEqual(decide(partner, "kms:Decrypt"), "Allow");
            assert.strictEqual(decide(partner, "kms:PutKeyPolicy", MFA), "ImplicitDeny");
            assert.strictEqual(decide("arn:aws:iam::999999999999:role/stranger", "kms:Decrypt"), "ImplicitDeny");
        });
    });

    it("omits the statements of empty role lists", () => {
        const p = doc(keyPolicy({ ...INPUT, users: [], emergency: [] }));
        assert.deepStrictEqual(sids(p), ["EnableRootAccountPermissions", "KeyAdministration", "KeyRecovery", "DenyDestructiveActionsWithoutMfa"]);
    });

    it("de-duplicates and sorts principals so that the document is stable", () => {
        const p = doc(keyPolicy({ ...INPUT, users: [role("b"), role("a"), role("b")] }));
        assert.deepStrictEqual(bySid(p, "KeyUsage").Principal, { AWS: [role("a"), role("b")] });
    });

    it("refuses to build a policy without a deployer exemption", () => {
        assert.throws(() => keyPolicy({ ...INPUT, deployers: [] }), /at least one deployer/);
    });

    it("uses the partition for the root principal", () => {
        const p = doc(keyPolicy({ ...INPUT, partition: "aws-us-gov" }));
        assert.deepStrictEqual(bySid(p, "EnableRootAccountPermissions").Principal, { AWS: [`arn:aws-us-gov:iam::${ACCOUNT}:root`] });
    });
});
