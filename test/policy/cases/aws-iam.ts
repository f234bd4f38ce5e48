import { IAM_OIDC_PROVIDER, IAM_POLICY, IAM_ROLE, IAM_ROLE_POLICY, IAM_ROLE_POLICY_ATTACHMENT } from "../../../policy/aws-iam";
import { ACCOUNT, role } from "./aws-kms";
import { CaseTable, one, res } from "./types";

const OIDC_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0b4f6c1e-5d3a-4c2b-9a8e-1f2d3c4b5a69`;
const doc = (...Statement: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement });

/** An operator trust policy requiring MFA no older than `age` seconds (null: no age bound). */
const mfaTrust = (age: number | null = 300) => doc({
    Sid: "OperatorsWithMfa", Effect: "Allow", Principal: { AWS: [role("secops-oncall")] }, Action: "sts:AssumeRole",
    Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" }, ...(age === null ? {} : { NumericLessThan: { "aws:MultiFactorAuthAge": String(age) } }) },
});
const oidcTrust = (condition: Record<string, unknown>) => doc({
    Sid: "GitHubOidc", Effect: "Allow", Principal: { Federated: OIDC_ARN }, Action: "sts:AssumeRoleWithWebIdentity", Condition: condition,
});
const PINNED = {
    StringEquals: {
        "token.actions.githubusercontent.com:sub": "repo:ledger-mind/ledger-api:environment:production",
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
    },
};
const roleRes = (name: string, assumeRolePolicy: string, props: Record<string, unknown> = {}) =>
    res(IAM_ROLE, { name, assumeRolePolicy, maxSessionDuration: 3600, ...props }, { name });
const emergency = (props: Record<string, unknown> = {}, trust = mfaTrust()) => roleRes("prod-EmergencyKeyAdmin", trust, props);
const rotateRole = (condition: Record<string, unknown>) => roleRes("prod-gh-ledger-api-production", oidcTrust(condition));
const rolePolicy = (...Statement: Record<string, unknown>[]) => res(IAM_ROLE_POLICY, { role: "prod-gh-ledger-api-production", policy: doc(...Statement) });
const ROTATE = { Sid: "Rotate", Effect: "Allow", Action: ["kms:RotateKeyOnDemand", "kms:GetKeyRotationStatus", "kms:DescribeKey"], Resource: [KEY_ARN] };

export const awsIamCases: CaseTable = {
    "aws-iam-trust-no-wildcard-principal": {
        pass: [one("named operator role", emergency())],
        fail: [
            one("Principal *", roleRes("open", doc({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" })), { expect: /wildcard principal/ }),
            one("any account root (arn:aws:iam::*:root)", roleRes("open", doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::*:root" }, Action: "sts:AssumeRole" }))),
            one("NotPrincipal", roleRes("open", doc({ Effect: "Allow", NotPrincipal: { AWS: role("x") }, Action: "sts:AssumeRole" })), { expect: /NotPrincipal/ }),
        ],
    },
    "aws-iam-trust-actions-explicit": {
        pass: [one("sts:AssumeRole", emergency()), one("web identity + TagSession", roleRes("gh", doc({ Effect: "Allow", Principal: { Federated: OIDC_ARN }, Action: ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"], Condition: PINNED })))],
        fail: [
            one("sts:*", roleRes("r", doc({ Effect: "Allow", Principal: { AWS: role("x") }, Action: "sts:*" })), { expect: /allows sts:\*/ }),
            one("NotAction", roleRes("r", doc({ Effect: "Allow", Principal: { AWS: role("x") }, NotAction: "iam:*" })), { expect: /NotAction/ }),
        ],
    },
    "aws-iam-github-oidc-sub-pinned": {
        pass: [
            one("exact sub and aud", rotateRole(PINNED)), one("non-OIDC roles are out of scope", emergency()),
            // Pinned to one repository's pull requests; stack-ci-pr-identity-read-only holds what such a role may do.
            one("exact pull_request sub", rotateRole({ StringEquals: { ...PINNED.StringEquals, "token.actions.githubusercontent.com:sub": "repo:ledger-mind/ledger-api:pull_request" } })),
        ],
        fail: [
            one("sub with a wildcard environment", rotateRole({ StringEquals: { ...PINNED.StringEquals, "token.actions.githubusercontent.com:sub": "repo:ledger-mind/ledger-api:environment:*" } }), { expect: /must be exactly one repo:OWNER\/REPO:environment:ENV/ }),
            one("sub by StringLike over every ref", rotateRole({ StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }, StringLike: { "token.actions.githubusercontent.com:sub": "repo:ledger-mind/*" } }), { expect: /StringLike/ }),
            one("two repositories", rotateRole({ StringEquals: { ...PINNED.StringEquals, "token.actions.githubusercontent.com:sub": ["repo:ledger-mind/a:environment:production", "repo:ledger-mind/b:environment:production"] } })),
            one("branch instead of environment", rotateRole({ StringEquals: { ...PINNED.StringEquals, "token.actions.githubusercontent.com:sub": "repo:ledger-mind/ledger-api:ref:refs/heads/main" } })),
            one("no audience", rotateRole({ StringEquals: { "token.actions.githubusercontent.com:sub": "repo:ledger-mind/ledger-api:environment:production" } }), { expect: /:aud/ }),
        ],
    },
    "aws-iam-github-oidc-sub-own-owner": {
        pass: [one("a repository of ledger-mind", rotateRole(PINNED)), one("owner compared case-insensitively", rotateRole({ StringEquals: { ...PINNED.StringEquals, "token.actions.githubusercontent.com:sub": "repo:Ledger-Mind/ledger-api:environment:production" } }))],
        fail: [
            one("another organization's repository", rotateRole({ StringEquals: { ...PINNED.StringEquals, "token.actions.githubusercontent.com:sub": "repo:evil-corp/ledger-api:environment:production" } }), { expect: /not a repository of ledger-mind/ }),
            one("an owner whose name starts like ours", rotateRole({ StringEquals: { ...PINNED.StringEquals, "token.actions.githubusercontent.com:sub": "repo:ledger-mind-fork/ledger-api:environment:production" } })),
            one("another owner by StringLike", rotateRole({ StringEquals: PINNED.StringEquals, StringLike: { "token.actions.githubusercontent.com:sub": "repo:attacker/*" } })),
        ],
    },
    "aws-iam-emergency-role-mfa": {
        pass: [
            one("MFA within 300 s", emergency()),
            one("a machine role trusted by a role needs no MFA", roleRes("prod-amp-writer", doc({ Effect: "Allow", Principal: { AWS: role("eks-adot-collector") }, Action: "sts:AssumeRole" }))),
            one("an OIDC role named like an admin cannot do MFA", roleRes("prod-gh-admin-console-production", oidcTrust(PINNED))),
        ],
        fail: [
            one("no MFA condition", emergency({}, doc({ Sid: "Ops", Effect: "Allow", Principal: { AWS: role("secops") }, Action: "sts:AssumeRole" })), { expect: /MultiFactorAuthPresent = true/ }),
            // Every admin role, not only those named "emergency".
            one("KeyManagementAdmin without MFA", roleRes("prod-KeyManagementAdmin", doc({ Effect: "Allow", Principal: { AWS: role("secops") }, Action: "sts:AssumeRole" })), { expect: /prod-KeyManagementAdmin does not require/ }),
            one("KeyRecoveryAdmin with hour-old MFA", roleRes("prod-KeyRecoveryAdmin", mfaTrust(3600)), { expect: /found \[3600\]/ }),
            one("any role people assume (IAM users) needs MFA", roleRes("prod-operators", doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::731942058316:user/a.okafor" }, Action: "sts:AssumeRole" }))),
            one("any role an account root may assume needs MFA", roleRes("prod-operators", doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::731942058316:root" }, Action: "sts:AssumeRole" }))),
            one("MFA without an age bound", emergency({}, mfaTrust(null)), { expect: /MultiFactorAuthAge/ }),
            one("MFA up to an hour old", emergency({}, mfaTrust(3600)), { expect: /found \[3600\]/ }),
        ],
    },
    "aws-iam-emergency-role-session": {
        pass: [one("one hour", emergency()), one("unset is AWS's one hour", emergency({ maxSessionDuration: undefined })), one("a 12 h machine role (trusted by a role, not named admin)", roleRes("ops", mfaTrust(), { maxSessionDuration: 43200 }))],
        fail: [one("four hours", emergency({ maxSessionDuration: 14400 }), { expect: /14400 s/ }), one("break-glass by name", roleRes("prod-break-glass", mfaTrust(), { maxSessionDuration: 7200 })),
            one("KeyRecoveryAdmin with 12 h sessions", roleRes("prod-KeyRecoveryAdmin", mfaTrust(), { maxSessionDuration: 43200 }), { expect: /43200 s/ }),
            one("KeyManagementAdmin with 2 h sessions", roleRes("prod-KeyManagementAdmin", mfaTrust(), { maxSessionDuration: 7200 })),
            one("a role IAM users assume, 12 h", roleRes("prod-operators", doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::731942058316:user/a.okafor" }, Action: "sts:AssumeRole", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }), { maxSessionDuration: 43200 }))],
    },
    "aws-iam-policy-no-kms-star": {
        pass: [one("listed actions", rolePolicy(ROTATE))],
        fail: [
            one("kms:* in a role policy", rolePolicy({ ...ROTATE, Action: "kms:*" }), { expect: /grants kms:\*/ }),
            one("* in a managed policy", res(IAM_POLICY, { policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }) })),
            one("NotAction in a role's inline policy", roleRes("r", mfaTrust(), { inlinePolicies: [{ name: "broad", policy: doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }) }] }), { expect: /inline policy "broad"/ }),
        ],
    },
    "aws-iam-kms-scoped-to-keys": {
        pass: [one("key ARNs", rolePolicy(ROTATE)), one("account-level ListAliases on *", rolePolicy({ Effect: "Allow", Action: ["kms:ListAliases", "kms:ListKeys"], Resource: "*" }))],
        fail: [
            one("rotation on *", rolePolicy({ ...ROTATE, Resource: "*" }), { expect: /scope it to this stack's key ARNs/ }),
            one("decrypt on every key of the account", rolePolicy({ Effect: "Allow", Action: "kms:Decrypt", Resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/*` })),
        ],
    },
    "aws-iam-no-admin-managed-policies": {
        pass: [one("no managed policies", emergency()), one("a narrow attachment", res(IAM_ROLE_POLICY_ATTACHMENT, { role: "r", policyArn: "arn:aws:iam::aws:policy/AWSCloudTrail_ReadOnlyAccess" }))],
        fail: [
            one("AdministratorAccess on the role", emergency({ managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] }), { expect: /AdministratorAccess/ }),
            one("PowerUserAccess attachment", res(IAM_ROLE_POLICY_ATTACHMENT, { role: "r", policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" })),
        ],
    },
    "aws-iam-github-oidc-provider-audience": {
        pass: [
            one("sts audience", res(IAM_OIDC_PROVIDER, { url: "https://token.actions.githubusercontent.com", clientIdLists: ["sts.amazonaws.com"] })),
            one("other providers are out of scope", res(IAM_OIDC_PROVIDER, { url: "https://accounts.google.com", clientIdLists: ["x"] })),
        ],
        fail: [
            one("extra audience", res(IAM_OIDC_PROVIDER, { url: "https://token.actions.githubusercontent.com", clientIdLists: ["sts.amazonaws.com", "https://github.com/ledger-mind"] }), { expect: /clientIdLists/ }),
            one("http url", res(IAM_OIDC_PROVIDER, { url: "http://token.actions.githubusercontent.com", clientIdLists: ["sts.amazonaws.com"] }), { expect: /must be https/ }),
        ],
    },
};
