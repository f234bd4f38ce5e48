import * as assert from "assert";
import { KEY_ADMIN_ACTIONS, KEY_USER_ACTIONS, MFA_PROTECTED_ACTIONS, keyPolicy } from "../../../documents/aws/key-policy";
import { plannedKeys } from "../../../documents/aws/key-kinds";
import { AwsSettings } from "../../../config/aws";
import { parseSettings } from "../../../config/load";
import { Settings } from "../../../config/schema";
import { StackRun, editSection, runStack, stackConfig, stackRun } from "../../harness";
import { T, awsOut, under } from "./stack";
import { evaluate } from "./iam-eval";
import { assertKmsStarOnlyForRoot, assertNoWildcardPrincipal, bySid, doc, sids } from "./policy-asserts";

describe("aws: KmsKeys (components/aws/kms.ts)", () => {
    let settings: Settings;
    let aws: AwsSettings;
    let root: string;
    let prod: StackRun;
    let staging: StackRun;

    before(async () => {
        settings = parseSettings(stackConfig("prod"));
        aws = settings.aws;
        root = `arn:aws:iam::${aws.accountId}:root`;
        prod = await stackRun("prod");
        staging = await stackRun("staging");
    });

    const dataKeys = (run: StackRun) => {
        return under(run, T.key, T.keys);
    };
    /** The KMS key the stable alias of configured key `name` points at (its current generation). */
    const keyNamed = (run: StackRun, name: string) => {
        const k = parseSettings(stackConfig(run === prod ? "prod" : "staging")).aws.keys.find((c) => c.name === name);
        assert.ok(k, name);
        const current = plannedKeys(k).find((p) => p.role === "current");
        const found = dataKeys(run).filter((r) => r.name === `aws-kms-keys-${current?.suffix}`);
        assert.strictEqual(found.length, 1, name);
        return found[0];
    };
    const encryptKeys = () => aws.keys.filter((k) => k.kind === "encrypt");

    it("creates one symmetric ENCRYPT_DECRYPT key per encrypt key, rotated on the configured period", () => {
        for (const k of encryptKeys()) {
            const key = keyNamed(prod, k.name);
            assert.strictEqual(key.inputs.keyUsage, "ENCRYPT_DECRYPT");
            assert.strictEqual(key.inputs.customerMasterKeySpec, "SYMMETRIC_DEFAULT");
            assert.strictEqual(key.inputs.enableKeyRotation, true);
            assert.strictEqual(key.inputs.rotationPeriodInDays, 90);
            assert.strictEqual(key.inputs.deletionWindowInDays, 30, "prod deletion window");
            assert.strictEqual(key.inputs.multiRegion, k.multiRegion);
            assert.strictEqual(key.inputs.bypassPolicyLockoutSafetyCheck, false);
            assert.strictEqual(key.inputs.description, k.description);
            assert.deepStrictEqual(key.inputs.tags, { ...settings.labels, ...k.tags });
        }
        assert.ok(encryptKeys().some((k) => k.multiRegion), "the prod file has a multi-Region key");
        assert.ok(dataKeys(staging).every((k) => k.inputs.deletionWindowInDays === 7), "staging: 7-day window");
    });

    it("plans compliance-signing as a SIGN_VERIFY key per generation, with no automatic rotation", () => {
        const signing = aws.keys.find((k) => k.name === "ledger-mind/prod/compliance-signing");
        assert.strictEqual(signing?.kind, "sign");
        const key = keyNamed(prod, "ledger-mind/prod/compliance-signing");
        assert.strictEqual(key.inputs.keyUsage, "SIGN_VERIFY");
        assert.strictEqual(key.inputs.customerMasterKeySpec, "ECC_NIST_P256");
        assert.strictEqual(key.inputs.enableKeyRotation, false);
        assert.ok(!("rotationPeriodInDays" in key.inputs), "no rotation period: AWS cannot rotate a signing key");
        assert.deepStrictEqual(key.inputs.tags, { ...settings.labels, ...signing.tags, "kms-generation": "g2026-11", "kms-generation-role": "current" });
        const staged = dataKeys(staging).filter((r) => r.name.includes("compliance-signing"));
        assert.deepStrictEqual(staged.map((r) => [r.name, r.inputs.isEnabled]).sort(), [
            ["aws-kms-keys-ledger-mind-staging-compliance-signing-g2026-09", undefined],
            ["aws-kms-keys-ledger-mind-staging-compliance-signing-g2026-11", undefined],
        ]);
    });

    it("grants each kind exactly its actions: encrypt, sign, mac (IAM evaluation of the key policy)", () => {
        const user = "arn:aws:iam::123456789012:role/app";
        const all = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:GenerateDataKey", "kms:GenerateDataKeyPair", "kms:Sign", "kms:Verify",
            "kms:GetPublicKey", "kms:GenerateMac", "kms:VerifyMac", "kms:DescribeKey", "kms:CreateGrant", "kms:DisableKey", "kms:ScheduleKeyDeletion"];
        const expected: Record<string, string[]> = {
            encrypt: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:GenerateDataKey", "kms:GenerateDataKeyPair", "kms:DescribeKey", "kms:CreateGrant"],
            sign: ["kms:Sign", "kms:Verify", "kms:GetPublicKey", "kms:DescribeKey"],
            mac: ["kms:GenerateMac", "kms:VerifyMac", "kms:DescribeKey"],
        };
        for (const [kind, keySpec] of [["encrypt", undefined], ["sign", "RSA_3072"], ["mac", "HMAC_256"]] as const) {
            const [p] = plannedKeys({ name: "k", kind, keySpec, generations: kind === "encrypt" ? undefined : [{ id: "g1", created: "2026-12-01", retired: false }], current: kind === "encrypt" ? undefined : "g1", rotationDays: 90 });
            assert.strictEqual(p.keyUsage, { encrypt: "ENCRYPT_DECRYPT", sign: "SIGN_VERIFY", mac: "GENERATE_VERIFY_MAC" }[kind]);
            const policy = keyPolicy({ partition: "aws", accountId: "123456789012", administrators: ["arn:aws:iam::123456789012:role/admin"], users: [user],
                userActions: p.userActions, grantsForAwsResources: kind === "encrypt", emergency: [], recovery: [], deployers: ["arn:aws:iam::123456789012:role/deployer"] });
            const context = { "kms:GrantIsForAWSResource": "true" };
            const allowed = all.filter((action) => evaluate(policy, { principal: user, action, context }) === "Allow");
            assert.deepStrictEqual(allowed, expected[kind], kind);
        }
    });

    it("disables a retired generation and leaves its users no action", async () => {
        const run = await runStack(editSection(stackConfig("staging"), "aws", (s) => {
            const gens = (s.keys as Record<string, unknown>[])[0].generations as Record<string, unknown>[];
            gens[0].retired = true;
        }));
        const retired = run.one(T.key, "aws-kms-keys-ledger-mind-staging-compliance-signing-g2026-09");
        assert.strictEqual(retired.inputs.isEnabled, false);
        assert.ok(!sids(doc(retired.inputs.policy)).includes("KeyUsage"), "no KeyUsage statement on a retired generation");
        assert.strictEqual((retired.inputs.tags as Record<string, string>)["kms-generation-role"], "retired");
        assert.strictEqual(run.ofType("aws:scheduler/schedule:Schedule").filter((r) => r.name.includes("g2026-09")).length, 0, "no retirement reminder once retired");
    });

    it("points the stable alias at the current generation and gives every generation its own alias", () => {
        const stable = staging.one(T.alias, "aws-kms-keys-ledger-mind-staging-compliance-signing-alias");
        assert.strictEqual(stable.inputs.name, "alias/ledger-mind/staging/compliance-signing");
        const current = staging.one(T.key, "aws-kms-keys-ledger-mind-staging-compliance-signing-g2026-11");
        assert.strictEqual(`key/${String(stable.inputs.targetKeyId)}`, awsOut(staging).keyArns["ledger-mind/staging/compliance-signing"].split(":").pop());
        assert.ok(stable.dependsOn.includes(current.urn));
        for (const g of ["g2026-09", "g2026-11"]) {
            const a = staging.one(T.alias, `aws-kms-keys-ledger-mind-staging-compliance-signing-${g}-alias`);
            assert.strictEqual(a.inputs.name, `alias/ledger-mind/staging/compliance-signing/${g}`);
        }
    });

    it("lets users of a signing key Sign and Verify but not Decrypt; the previous generation only verifies (IAM evaluation)", () => {
        const api = "arn:aws:iam::210987654321:role/ledger-api-staging";
        const cur = doc(staging.one(T.key, "aws-kms-keys-ledger-mind-staging-compliance-signing-g2026-11").inputs.policy);
        const prev = doc(staging.one(T.key, "aws-kms-keys-ledger-mind-staging-compliance-signing-g2026-09").inputs.policy);
        for (const action of ["kms:Sign", "kms:Verify", "kms:GetPublicKey", "kms:DescribeKey"]) {
            assert.strictEqual(evaluate(cur, { principal: api, action }), "Allow", action);
        }
        for (const action of ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateMac", "kms:CreateGrant"]) {
            assert.notStrictEqual(evaluate(cur, { principal: api, action }), "Allow", action);
        }
        const prodSigning = doc(keyNamed(prod, "ledger-mind/prod/compliance-signing").inputs.policy);
        const prodApi = "arn:aws:iam::123456789012:role/ledger-api-prod";
        assert.strictEqual(evaluate(prodSigning, { principal: prodApi, action: "kms:Sign" }), "Allow", "prod: ledger-api signs compliance spans");
        assert.notStrictEqual(evaluate(prodSigning, { principal: prodApi, action: "kms:Decrypt" }), "Allow", "prod: and cannot decrypt with it");
        const prodPii = doc(keyNamed(prod, "ledger-mind/prod/pii-redaction").inputs.policy);
        assert.strictEqual(evaluate(prodPii, { principal: prodApi, action: "kms:Decrypt" }), "Allow");
        assert.notStrictEqual(evaluate(prodPii, { principal: prodApi, action: "kms:Sign" }), "Allow", "an encrypt key's users cannot Sign");
        assert.strictEqual(evaluate(prev, { principal: api, action: "kms:Verify" }), "Allow");
        assert.strictEqual(evaluate(prev, { principal: api, action: "kms:GetPublicKey" }), "Allow");
        assert.notStrictEqual(evaluate(prev, { principal: api, action: "kms:Sign" }), "Allow", "a previous generation no longer signs");
    });

    it("protects and retains the keys in prod only", () => {
        for (const k of [...dataKeys(prod), ...under(prod, T.key, T.alerts)]) {
            assert.strictEqual(k.protect, true, k.name);
            assert.strictEqual(k.retainOnDelete, true, k.name);
        }
        for (const k of [...dataKeys(staging), ...under(staging, T.key, T.alerts)]) {
            assert.strictEqual(k.protect, false, k.name);
            assert.strictEqual(k.retainOnDelete, false, k.name);
        }
        for (const r of [...under(prod, T.alias, T.keys), ...under(prod, T.role, T.governance), ...under(prod, T.topic, T.alerts)]) {
            assert.strictEqual(r.protect, false, `${r.name} is not stateful`);
        }
    });

    it("gives each key the alias alias/<name>, pointing at that key", () => {
        const out = awsOut(prod);
        for (const k of aws.keys) {
            const alias = prod.one(T.alias, `aws-kms-keys-${k.name.replace(/\//g, "-")}-alias`);
            assert.strictEqual(alias.inputs.name, `alias/${k.name}`);
            assert.strictEqual(`key/${String(alias.inputs.targetKeyId)}`, out.keyArns[k.name].split(":").pop());
            assert.strictEqual(out.aliases[k.name], `alias/${k.name}`);
        }
    });

    it("exports key ARNs and aliases by key name", () => {
        const out = awsOut(prod);
        assert.deepStrictEqual(Object.keys(out.keyArns).sort(), aws.keys.map((k) => k.name).sort());
        for (const arn of Object.values(out.keyArns)) {
            assert.match(arn, new RegExp(`^arn:aws:kms:us-east-1:${aws.accountId}:key/(mrk-)?[0-9a-f-]{36}$`));
        }
    });

    describe("key policy, statement by statement (prod)", () => {
        const policyOf = (name: string) => doc(keyNamed(prod, name).inputs.policy);
        const first = () => encryptKeys()[0];

        it("has root, administration, usage, grants (encrypt keys only), emergency, recovery and the MFA deny", () => {
            for (const k of aws.keys) {
                const p = policyOf(k.name);
                assert.deepStrictEqual(sids(p), ["EnableRootAccountPermissions", "KeyAdministration", "KeyUsage",
                    ...(k.kind === "encrypt" ? ["KeyGrantsForAwsResources"] : []),
                    "EmergencyRevocation", "KeyRecovery", "DenyDestructiveActionsWithoutMfa"], k.name);
                assertNoWildcardPrincipal(p);
                assertKmsStarOnlyForRoot(p, root);
            }
        });

        it("names the real governance roles and the configured users", () => {
            const out = awsOut(prod);
            const k = first();
            const p = policyOf(k.name);
            assert.deepStrictEqual(bySid(p, "EnableRootAccountPermissions").Principal, { AWS: [root] });
            assert.deepStrictEqual(bySid(p, "KeyAdministration").Principal, { AWS: [out.roleArns.admin, ...k.admins].sort() });
            assert.deepStrictEqual(bySid(p, "KeyAdministration").Action, KEY_ADMIN_ACTIONS);
            assert.deepStrictEqual(bySid(p, "KeyUsage").Principal, { AWS: [...k.users].sort() });
            assert.deepStrictEqual(bySid(p, "KeyUsage").Action, KEY_USER_ACTIONS);
            assert.deepStrictEqual(bySid(p, "KeyGrantsForAwsResources").Condition, { Bool: { "kms:GrantIsForAWSResource": "true" } });
            assert.deepStrictEqual(bySid(p, "EmergencyRevocation").Principal, { AWS: [out.roleArns.emergency] });
            assert.deepStrictEqual(bySid(p, "KeyRecovery").Principal, { AWS: [out.roleArns.recovery] });
            assert.match(out.roleArns.emergency, new RegExp(`^arn:aws:iam::${aws.accountId}:role/ledgermind-prod-EmergencyKeyAdmin$`));
        });

        it("denies the destructive actions without MFA to everyone but the configured deployer", () => {
            const p = policyOf(first().name);
            const deny = bySid(p, "DenyDestructiveActionsWithoutMfa");
            assert.deepStrictEqual(deny.Action, MFA_PROTECTED_ACTIONS);
            assert.deepStrictEqual(deny.Condition?.ArnNotLike, { "aws:PrincipalArn": [...aws.deployers].sort() });
            const [deployer] = aws.deployers;
            assert.strictEqual(evaluate(p, { principal: deployer, action: "kms:PutKeyPolicy" }), "DelegatedToIam");
            assert.strictEqual(evaluate(p, { principal: awsOut(prod).roleArns.admin, action: "kms:PutKeyPolicy" }), "Deny");
            assert.strictEqual(evaluate(p, { principal: awsOut(prod).roleArns.admin, action: "kms:PutKeyPolicy",
                context: { "aws:MultiFactorAuthPresent": "true" } }), "Allow");
        });
    });

    it("scopes each governance role's inline policy to exactly this stack's data keys", () => {
        const out = awsOut(prod);
        const policies = under(prod, T.rolePolicy, T.keys);
        assert.deepStrictEqual(policies.map((r) => r.inputs.role).sort(),
            ["ledgermind-prod-EmergencyKeyAdmin", "ledgermind-prod-KeyManagementAdmin", "ledgermind-prod-KeyRecoveryAdmin"]);
        const keyArns = Object.values(out.keyArns).sort();
        for (const rp of policies) {
            const [s] = doc(rp.inputs.policy).Statement;
            const resources = [s.Resource].flat().map(String);
            assert.ok(!resources.includes("*"), `${rp.name}: no *`);
            assert.deepStrictEqual(resources.filter((r) => r.includes(":key/")), keyArns, rp.name);
            assert.ok(!resources.includes(out.topicKeyArn), `${rp.name}: the topic key is granted separately`);
        }
        const emergency = policies.find((r) => r.inputs.role === "ledgermind-prod-EmergencyKeyAdmin");
        assert.deepStrictEqual(doc(emergency?.inputs.policy).Statement[0].Action, ["kms:DescribeKey", "kms:DisableKey", "kms:EnableKey"]);
    });

    it("creates the keys after the roles they name (KMS rejects unknown principals)", () => {
        const roleUrns = under(prod, T.role, T.governance).map((r) => r.urn);
        for (const key of dataKeys(prod)) {
            for (const urn of roleUrns) assert.ok(key.dependsOn.includes(urn), `${key.name} depends on ${urn}`);
        }
    });
});
