import * as assert from "assert";
import { EMERGENCY_ACTIONS, KEY_ADMIN_ACTIONS, RECOVERY_ACTIONS } from "../../../documents/aws/key-policy";
import {
    GOVERNANCE_ROLES, mfaTrustPolicy, roleKeysPolicy, roleName,
} from "../../../documents/aws/roles";
import { stackRun } from "../../harness";
import { evaluate } from "../../components/aws/iam-eval";
import { assertNoWildcardPrincipal, doc } from "../../components/aws/policy-asserts";

const ALICE = "arn:aws:iam::731942058316:user/alice";
const KEYS = ["arn:aws:kms:us-east-1:111122223333:key/1111", "arn:aws:kms:us-east-1:111122223333:key/2222"];
const ALIASES = ["arn:aws:kms:us-east-1:111122223333:alias/payments"];

describe("aws: governance role documents (documents/aws/roles.ts)", () => {
    it("names the three seed 004 roles with the stack prefix", () => {
        assert.strictEqual(roleName("ledgermind-prod", "admin"), "ledgermind-prod-KeyManagementAdmin");
        assert.strictEqual(roleName("ledgermind-prod", "emergency"), "ledgermind-prod-EmergencyKeyAdmin");
        assert.strictEqual(roleName("ledgermind-prod", "recovery"), "ledgermind-prod-KeyRecoveryAdmin");
        // 32-character prefix (config maximum) + the longest suffix fits IAM's 64-character limit.
        assert.ok(roleName("a".repeat(32), "recovery").length <= 64);
    });

    it("the stack's three roles end sessions within an hour and refuse MFA older than five minutes", async () => {
        const roles = (await stackRun("prod")).ofType("aws:iam/role:Role").filter((r) => /governance-(admin|emergency|recovery)-role$/.test(r.name));
        assert.strictEqual(roles.length, 3);
        for (const r of roles) {
            assert.ok(Number(r.inputs.maxSessionDuration) <= 3600, `${r.name}: sessions of ${String(r.inputs.maxSessionDuration)} s`);
            const trust = String(r.inputs.assumeRolePolicy);
            const [principal] = [doc(trust).Statement[0].Principal?.AWS ?? []].flat();
            assert.ok(principal, `${r.name} trusts no IAM principal`);
            const assume = (age: string) => evaluate(trust, { principal, action: "sts:AssumeRole", context: { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": age } });
            assert.strictEqual(assume("300"), "Allow", r.name);
            assert.strictEqual(assume("301"), "ImplicitDeny", r.name);
        }
    });

    describe("trust policy", () => {
        const trust = doc(mfaTrustPolicy([ALICE, "arn:aws:iam::731942058316:user/bob"]));

        it("allows sts:AssumeRole to the listed principals only, with MFA present and at most 300 s old", () => {
            assert.strictEqual(trust.Statement.length, 1);
            const [s] = trust.Statement;
            assert.strictEqual(s.Effect, "Allow");
            assert.deepStrictEqual(s.Principal, { AWS: [ALICE, "arn:aws:iam::731942058316:user/bob"] });
            assert.deepStrictEqual(s.Action, ["sts:AssumeRole"]);
            assert.deepStrictEqual(s.Condition, {
                Bool: { "aws:MultiFactorAuthPresent": "true" },
                NumericLessThanEquals: { "aws:MultiFactorAuthAge": "300" },
            });
            assertNoWildcardPrincipal(trust);
        });

        it("refuses assumption without MFA, with stale MFA, or by anyone else", () => {
            const assume = (principal: string, context?: Record<string, string>) =>
                evaluate(trust, { principal, action: "sts:AssumeRole", context });
            assert.strictEqual(assume(ALICE, { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "42" }), "Allow");
            assert.strictEqual(assume(ALICE, { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "300" }), "Allow");
            assert.strictEqual(assume(ALICE, { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "301" }), "ImplicitDeny");
            assert.strictEqual(assume(ALICE, { "aws:MultiFactorAuthPresent": "false" }), "ImplicitDeny");
            assert.strictEqual(assume(ALICE), "ImplicitDeny", "long-term access keys carry no MFA context");
            assert.strictEqual(assume("arn:aws:iam::731942058316:user/mallory",
                { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "1" }), "ImplicitDeny");
        });

        it("needs at least one principal", () => {
            assert.throws(() => mfaTrustPolicy([]), /at least one trusted principal/);
        });
    });

    describe("inline policies", () => {
        it("scope every role to the given key ARNs, never to *", () => {
            for (const kind of ["admin", "emergency", "recovery"] as const) {
                const p = doc(roleKeysPolicy(kind, KEYS, ALIASES));
                assert.strictEqual(p.Statement.length, 1);
                const [s] = p.Statement;
                assert.strictEqual(s.Principal, undefined, "identity policies have no principal");
                assert.deepStrictEqual(s.Action, GOVERNANCE_ROLES[kind].actions);
                const resources = [s.Resource].flat();
                assert.ok(!resources.includes("*"));
                assert.deepStrictEqual(resources.filter((r) => r?.includes(":key/")), KEYS);
            }
        });

        it("give each role its job: admin actions (and aliases), emergency revoke, recovery", () => {
            assert.deepStrictEqual(doc(roleKeysPolicy("admin", KEYS, ALIASES)).Statement[0].Resource, [...ALIASES, ...KEYS].sort());
            assert.deepStrictEqual(doc(roleKeysPolicy("admin", KEYS, ALIASES)).Statement[0].Action, KEY_ADMIN_ACTIONS);
            assert.deepStrictEqual(doc(roleKeysPolicy("emergency", KEYS, ALIASES)).Statement[0].Resource, KEYS);
            assert.deepStrictEqual(doc(roleKeysPolicy("emergency", KEYS)).Statement[0].Action, EMERGENCY_ACTIONS);
            assert.deepStrictEqual(doc(roleKeysPolicy("recovery", KEYS)).Statement[0].Action, RECOVERY_ACTIONS);
            assert.ok(!EMERGENCY_ACTIONS.includes("kms:ScheduleKeyDeletion"), "the break-glass role cannot destroy keys");
        });

        it("refuse an empty key list (an IAM statement without resources)", () => {
            assert.throws(() => roleKeysPolicy("admin", []), /no key ARNs/);
        });
    });
});
