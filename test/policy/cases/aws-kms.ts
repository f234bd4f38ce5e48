import { KMS_ALIAS, KMS_KEY, KMS_KEY_POLICY } from "../../../policy/aws-kms";
import { CaseTable, one, res } from "./types";

export const ACCOUNT = "123456789012";
export const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
export const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const DEPLOYER = role("pulumi-deployer");

type Stmt = Record<string, unknown>;

/** The key policy the AWS issue asks for: root, admins, users, AWS-service grants, MFA deny. */
export const GOOD_STATEMENTS: Stmt[] = [
    { Sid: "AccountRoot", Effect: "Allow", Principal: { AWS: ROOT }, Action: "kms:*", Resource: "*" },
    {
        Sid: "KeyAdministrators", Effect: "Allow", Principal: { AWS: [role("prod-KeyManagementAdmin")] }, Resource: "*",
        Action: ["kms:DescribeKey", "kms:EnableKeyRotation", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:TagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"],
    },
    { Sid: "KeyUsers", Effect: "Allow", Principal: { AWS: [role("ledger-api")] }, Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], Resource: "*" },
    {
        Sid: "AwsServiceGrants", Effect: "Allow", Principal: { AWS: [role("ledger-api")] }, Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], Resource: "*",
        Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
    },
    { Sid: "EmergencyDisable", Effect: "Allow", Principal: { AWS: role("prod-EmergencyKeyAdmin") }, Action: ["kms:DisableKey", "kms:EnableKey"], Resource: "*" },
    {
        Sid: "DenyWithoutMfa", Effect: "Deny", Principal: { AWS: "*" }, Resource: "*",
        Action: ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey"],
        Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" }, ArnNotLike: { "aws:PrincipalArn": [DEPLOYER] } },
    },
];

/** The good policy as the engine receives it (a JSON string), with statements replaced or added by Sid. */
export function keyPolicy(patch: Record<string, Stmt | null> = {}): string {
    const statements = GOOD_STATEMENTS.map((s) => (String(s.Sid) in patch ? patch[String(s.Sid)] : s)).filter((s): s is Stmt => s !== null);
    const added = Object.entries(patch).filter(([sid, s]) => s && !GOOD_STATEMENTS.some((g) => g.Sid === sid)).map(([, s]) => s as Stmt);
    return JSON.stringify({ Version: "2012-10-17", Statement: [...statements, ...added] });
}

const GUARDED = ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey"];
const NO_MFA = { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } };
const EXEMPT_DEPLOYER = { ArnNotLike: { "aws:PrincipalArn": [DEPLOYER] } };
const allow = (principal: unknown, action: unknown): Stmt => ({ Effect: "Allow", Principal: principal, Action: action });
/** A Deny for everyone (`AWS: *`) under `condition`. */
const denyAll = (action: string[], condition: Stmt): Stmt => ({ Effect: "Deny", Principal: { AWS: "*" }, Action: action, Condition: condition });

const key = (props: Record<string, unknown> = {}, name = "ledger-tde") =>
    res(KMS_KEY, { description: "TDE key", keyUsage: "ENCRYPT_DECRYPT", enableKeyRotation: true, rotationPeriodInDays: 90, deletionWindowInDays: 30, policy: keyPolicy(), ...props }, { name });
/** The key with policy statement `sid` replaced or added (Resource `*`), or removed (null). */
const keyWith = (sid: string, fields: Stmt | null) => key({ policy: keyPolicy({ [sid]: fields && { Sid: sid, Resource: "*", ...fields } }) });
/** An alias; `target` names the key it points at when the case holds that key. */
const alias = (name: string, target?: string) => res(KMS_ALIAS, { name, targetKeyId: "0b4f6c1e-5d3a-4c2b-9a8e-1f2d3c4b5a69" }, { name: `${target ?? "key"}-alias`, dependsOn: target ? [target] : [] });

export const awsKmsCases: CaseTable = {
    "aws-kms-key-rotation": {
        pass: [
            one("90-day rotation", key()),
            one("signing key rotated by generations", key({ keyUsage: "SIGN_VERIFY", customerMasterKeySpec: "ECC_NIST_P256", enableKeyRotation: false, rotationPeriodInDays: undefined, tags: { "kms-generation": "g2026-11" } })),
            one("HMAC key rotated by generations", key({ keyUsage: "GENERATE_VERIFY_MAC", customerMasterKeySpec: "HMAC_256", enableKeyRotation: undefined, rotationPeriodInDays: undefined, tags: { "kms-generation": "g1" } })),
        ],
        fail: [
            one("signing key asked to rotate", key({ keyUsage: "SIGN_VERIFY", customerMasterKeySpec: "RSA_3072", tags: { "kms-generation": "g1" } }), { expect: /AWS rotates only symmetric encryption keys/ }),
            one("signing key outside the generation scheme", key({ keyUsage: "SIGN_VERIFY", customerMasterKeySpec: "ECC_NIST_P256", enableKeyRotation: false, rotationPeriodInDays: undefined }), { expect: /rotates by generations/ }),
            one("rotation off", key({ enableKeyRotation: false }), { expect: /enableKeyRotation/ }),
            one("period unset rotates yearly", key({ rotationPeriodInDays: undefined }), { expect: /yearly/ }),
            one("180-day period", key({ rotationPeriodInDays: 180 }), { expect: /180: must be at most 90/ }),
        ],
    },
    "aws-kms-deletion-window-prod": {
        pass: [
            one("30 days in prod", key(), { stack: "prod" }),
            one("unset means AWS's 30 days", key({ deletionWindowInDays: undefined }), { stack: "prod" }),
            one("7 days in staging", key({ deletionWindowInDays: 7 })),
        ],
        fail: [
            one("7 days in prod", key({ deletionWindowInDays: 7 }), { stack: "prod", expect: /= 7 in production stack prod/ }),
            one("20 days in prod-eu", key({ deletionWindowInDays: 20 }), { stack: "prod-eu" }),
        ],
    },
    "aws-kms-lockout-safety-check": {
        pass: [one("no bypass", key()), one("key policy resource without bypass", res(KMS_KEY_POLICY, { keyId: "k", policy: keyPolicy() }))],
        fail: [
            one("key bypasses the check", key({ bypassPolicyLockoutSafetyCheck: true }), { expect: /lock every principal out/ }),
            one("key policy resource bypasses", res(KMS_KEY_POLICY, { keyId: "k", policy: keyPolicy(), bypassPolicyLockoutSafetyCheck: true })),
        ],
    },
    "aws-kms-policy-no-wildcard-principal": {
        pass: [one("named principals; Deny with * is fine", key())],
        fail: [
            one("Allow to *", keyWith("KeyUsers", allow("*", "kms:Decrypt")), { expect: /statement KeyUsers allows a wildcard principal/ }),
            one("Allow to {AWS: *} on a KeyPolicy resource", res(KMS_KEY_POLICY, { keyId: "k", policy: keyPolicy({ Open: { Sid: "Open", Resource: "*", ...allow({ AWS: ["*"] }, "kms:Encrypt") } }) })),
            one("Allow with NotPrincipal", keyWith("Inverse", { Effect: "Allow", NotPrincipal: { AWS: ROOT }, Action: "kms:Encrypt" }), { expect: /everyone but NotPrincipal/ }),
        ],
    },
    "aws-kms-policy-kms-star-root-only": {
        pass: [one("only root has kms:*", key()), one("bare account id is root", keyWith("AccountRoot", allow({ AWS: ACCOUNT }, "kms:*")))],
        fail: [
            one("admin role with kms:*", keyWith("KeyAdministrators", allow({ AWS: role("admin") }, "kms:*")), { expect: /KeyAdministrators grants all KMS actions/ }),
            one("user with Action *", keyWith("KeyUsers", allow({ AWS: role("ledger-api") }, "*"))),
            one("root together with a role", keyWith("AccountRoot", allow({ AWS: [ROOT, role("ops")] }, "kms:*"))),
            one("NotAction", keyWith("KeyUsers", { Effect: "Allow", Principal: { AWS: role("ledger-api") }, NotAction: "kms:ScheduleKeyDeletion" }), { expect: /NotAction/ }),
        ],
    },
    "aws-kms-policy-root-own-account": {
        pass: [one("own account root", key()), one("own account by bare id", keyWith("AccountRoot", allow({ AWS: ACCOUNT }, "kms:*")))],
        fail: [
            one("kms:* for another account's root", keyWith("AccountRoot", allow({ AWS: "arn:aws:iam::999999999999:root" }, "kms:*")), { expect: /999999999999:root, the root of another account/ }),
            one("another account by bare id", keyWith("AccountRoot", allow({ AWS: "999999999999" }, "kms:*"))),
            one("a second root next to ours", keyWith("KeyUsers", allow({ AWS: "arn:aws:iam::999999999999:root" }, "kms:Decrypt"))),
            one("MFA exemption in another account", keyWith("DenyWithoutMfa", denyAll(GUARDED, { ...NO_MFA, ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::999999999999:role/deployer" } })), { expect: /outside the stack's account/ }),
            one("GovCloud partition root of another account", keyWith("AccountRoot", allow({ AWS: "arn:aws-us-gov:iam::999999999999:root" }, "kms:*"))),
        ],
    },
    "aws-kms-policy-root-access": {
        pass: [one("root statement present", key())],
        fail: [
            one("no root statement", keyWith("AccountRoot", null), { expect: /account root/ }),
            one("root without PutKeyPolicy", keyWith("AccountRoot", allow({ AWS: ROOT }, "kms:Describe*"))),
            one("policy is not JSON", key({ policy: "{not json" }), { expect: /not valid JSON/ }),
        ],
    },
    "aws-kms-policy-mfa-deny": {
        pass: [
            one("one Deny covering the three actions", key()),
            one("a wildcard Deny (kms:*Key*)", keyWith("DenyWithoutMfa", denyAll(["kms:PutKeyPolicy", "kms:*Key*"], { BoolIfExists: { "aws:MultiFactorAuthPresent": false }, ArnNotEquals: { "aws:PrincipalArn": DEPLOYER } }))),
            one("a user deployer is exempt by its exact ARN", keyWith("DenyWithoutMfa", denyAll(GUARDED, { ...NO_MFA, ArnNotLike: { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:user/ci-deployer` } }))),
            one("a Deny naming the account root binds its identities", keyWith("DenyWithoutMfa", { Effect: "Deny", Principal: { AWS: ROOT }, Action: GUARDED, Condition: { ...NO_MFA, ...EXEMPT_DEPLOYER } })),
        ],
        fail: [
            one("no MFA Deny", keyWith("DenyWithoutMfa", null), { expect: /kms:PutKeyPolicy, kms:ScheduleKeyDeletion, kms:DisableKey/ }),
            one("Deny misses DisableKey", keyWith("DenyWithoutMfa", denyAll(["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"], { ...NO_MFA, ...EXEMPT_DEPLOYER })), { expect: /for kms:DisableKey$/ }),
            one("Deny without an MFA condition", keyWith("DenyWithoutMfa", denyAll(GUARDED, EXEMPT_DEPLOYER))),
            // A Deny that is there but binds nobody (or not everyone it claims to).
            one("exemption is a wildcard", keyWith("DenyWithoutMfa", denyAll(GUARDED, { ...NO_MFA, ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:*" } })), { expect: /exact role or user ARNs/ }),
            one("exemption is a role-name wildcard", keyWith("DenyWithoutMfa", denyAll(GUARDED, { ...NO_MFA, ArnNotLike: { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/*` } }))),
            one("exemption names the key admins", keyWith("DenyWithoutMfa", denyAll(GUARDED, { ...NO_MFA, ArnNotLike: { "aws:PrincipalArn": [DEPLOYER, role("prod-KeyManagementAdmin")] } })), { expect: /exempts .*KeyManagementAdmin, which is granted/ }),
            one("Resource matches nothing", keyWith("DenyWithoutMfa", { ...denyAll(GUARDED, { ...NO_MFA, ...EXEMPT_DEPLOYER }), Resource: "arn:aws:kms:us-east-1:123456789012:key/other" }), { expect: /Resource/ }),
            one("NotResource", { ...keyWith("DenyWithoutMfa", null), props: { ...key().props, policy: keyPolicy({ DenyWithoutMfa: { Sid: "DenyWithoutMfa", ...denyAll(GUARDED, { ...NO_MFA, ...EXEMPT_DEPLOYER }), NotResource: "*" } }) } }),
            one("Principal is another account", keyWith("DenyWithoutMfa", { Effect: "Deny", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: GUARDED, Condition: { ...NO_MFA, ...EXEMPT_DEPLOYER } }), { expect: /does not apply to/ }),
            one("Principal is one unrelated role", keyWith("DenyWithoutMfa", { Effect: "Deny", Principal: { AWS: role("nobody") }, Action: GUARDED, Condition: { ...NO_MFA, ...EXEMPT_DEPLOYER } })),
            one("Bool instead of BoolIfExists (long-term keys escape)", keyWith("DenyWithoutMfa", denyAll(GUARDED, { Bool: { "aws:MultiFactorAuthPresent": "false" }, ...EXEMPT_DEPLOYER })), { expect: /BoolIfExists/ }),
            one("an extra condition narrows it to nothing", keyWith("DenyWithoutMfa", denyAll(GUARDED, { ...NO_MFA, ...EXEMPT_DEPLOYER, StringEquals: { "aws:PrincipalTag/team": "nobody" } })), { expect: /extra condition/ }),
            one("NotPrincipal", keyWith("DenyWithoutMfa", { Effect: "Deny", NotPrincipal: { AWS: DEPLOYER }, Action: GUARDED, Condition: NO_MFA })),
        ],
    },
    "aws-kms-policy-mfa-deny-exempts-deployer": {
        pass: [one("deployer exempted by ArnNotLike", key()), one("no MFA Deny at all (the mfa-deny rule reports that)", keyWith("DenyWithoutMfa", null))],
        fail: [one("Deny locks the deployer out", keyWith("DenyWithoutMfa", denyAll(GUARDED, NO_MFA)), { expect: /lock the deployer out/ })],
    },
    "aws-kms-policy-grants-for-aws-resources": {
        pass: [one("CreateGrant with GrantIsForAWSResource", key())],
        fail: [
            one("CreateGrant unconditioned", keyWith("AwsServiceGrants", allow({ AWS: role("ledger-api") }, "kms:CreateGrant")), { expect: /AwsServiceGrants allows kms:CreateGrant/ }),
            one("admins with kms:Create* (covers CreateGrant)", keyWith("KeyAdministrators", allow({ AWS: role("prod-KeyManagementAdmin") }, ["kms:Create*", "kms:Describe*"]))),
        ],
    },
    "aws-kms-alias-not-reserved": {
        pass: [one("alias/ledger-tde", alias("alias/ledger-tde"))],
        fail: [
            one("alias/aws/ledger", alias("alias/aws/ledger"), { expect: /reserved/ }),
            one("missing alias/ prefix", alias("ledger-tde"), { expect: /must start with alias\// }),
        ],
    },
    "aws-kms-key-has-alias": {
        pass: [{ title: "key with its alias", resources: [key(), alias("alias/ledger-tde", "ledger-tde")] }],
        fail: [{ title: "second key without alias", resources: [key(), alias("alias/ledger-tde", "ledger-tde"), key({}, "ledger-cek")], expect: /ledger-cek has no alias/ }],
    },
    "aws-kms-key-policy-explicit": {
        pass: [
            one("inline policy", key()),
            { title: "policy through a KeyPolicy resource", resources: [key({ policy: undefined }), res(KMS_KEY_POLICY, { keyId: "k", policy: keyPolicy() }, { dependsOn: ["ledger-tde"] })] },
        ],
        fail: [one("no policy anywhere", key({ policy: undefined }), { expect: /default policy/ })],
    },
};
