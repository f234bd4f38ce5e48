import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { AccessReport, PrincipalAccess, accessReport } from "../../../tools/access/access";
import { describe as sentence, diffAccess, formatAccessDiff, level } from "../../../tools/access/diff";
import { renderAccessMarkdown } from "../../../tools/access/render";
import type { PlanResource } from "../../../tools/engine";

const FIXTURE = path.join(__dirname, "..", "..", "..", "..", "test", "fixtures", "access", "plan.json");
interface Plan { stack: string; resources: PlanResource[]; outputs: Record<string, unknown> }
const load = (): Plan => JSON.parse(fs.readFileSync(FIXTURE, "utf8")) as Plan;
const KEY = "alias/ledger-mind/prod/compliance-signing";
const ACCOUNT = "123456789012";
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

/** `{ action: "MFA" | "always" | "cond" }` of one principal on the fixture key, only actions with access. */
function rights(report: AccessReport, principal: string): Record<string, string> {
    const p = report.keys.find((k) => k.key === KEY)?.principals.find((x: PrincipalAccess) => x.principal === principal);
    return Object.fromEntries(Object.entries(p?.actions ?? {}).map(([a, v]) => [a, level(v)]));
}
const only = (r: Record<string, string>, actions: string[]) => Object.fromEntries(actions.filter((a) => r[a]).map((a) => [a, r[a]]));
const LIFECYCLE = ["kms:Decrypt", "kms:Encrypt", "kms:PutKeyPolicy", "kms:CreateGrant", "kms:DisableKey", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"];

function keyPolicyOf(plan: Plan): { Statement: { Sid: string; Principal?: { AWS: string[] }; Condition?: unknown }[] } {
    const key = plan.resources.find((r) => r.type === "aws:kms/key:Key");
    return JSON.parse(String(key?.inputs.policy));
}
function setKeyPolicy(plan: Plan, policy: unknown): void {
    const key = plan.resources.find((r) => r.type === "aws:kms/key:Key");
    if (key) key.inputs.policy = JSON.stringify(policy);
}

describe("effective key access (tools/access)", () => {
    // Hand-derived from the fixture's key policy (KeyAdministration, KeyUsage, EmergencyRevocation,
    // KeyRecovery, DenyDestructiveActionsWithoutMfa exempting the deployer) and the roles' trust and
    // inline policies: see docs/reviewing.md for the reading.
    const report = accessReport(load());

    it("the key administrator may change the policy, disable, schedule and cancel deletion, only with MFA, and never decrypt", () => {
        assert.deepStrictEqual(only(rights(report, role("ledgermind-prod-KeyManagementAdmin")), LIFECYCLE), {
            "kms:PutKeyPolicy": "mfa", "kms:DisableKey": "mfa", "kms:ScheduleKeyDeletion": "mfa", "kms:CancelKeyDeletion": "mfa",
        });
    });
    it("break-glass roles: emergency may only disable, recovery may only cancel deletion, both only with MFA", () => {
        assert.deepStrictEqual(only(rights(report, role("ledgermind-prod-EmergencyKeyAdmin")), LIFECYCLE), { "kms:DisableKey": "mfa" });
        assert.deepStrictEqual(only(rights(report, role("ledgermind-prod-KeyRecoveryAdmin")), LIFECYCLE), { "kms:CancelKeyDeletion": "mfa" });
    });
    it("the key user (named in the key policy) encrypts and decrypts without MFA, and may not disable without MFA", () => {
        const r = rights(report, role("ledger-api-prod"));
        assert.strictEqual(r["kms:Decrypt"], "always");
        assert.strictEqual(r["kms:Encrypt"], "always");
        // Through the account delegation only, and the MFA deny still applies.
        assert.strictEqual(r["kms:DisableKey"], "mfa");
        assert.strictEqual(report.keys[0].principals.find((p) => p.principal === role("ledger-api-prod"))?.actions["kms:Decrypt"].via, "key-policy");
    });
    it("a plan role decrypts through IAM (key policy delegates to the account); a service-assumed role can never disable (no MFA)", () => {
        const r = rights(report, role("reporting-reader"));
        assert.deepStrictEqual(only(r, LIFECYCLE), { "kms:Decrypt": "always" });
        assert.strictEqual(report.keys[0].principals.find((p) => p.principal === role("reporting-reader"))?.actions["kms:Decrypt"].via, "iam");
    });
    it("the deployer is exempt from the MFA deny; everyone else in the account needs MFA for PutKeyPolicy", () => {
        assert.strictEqual(rights(report, role("ledger-mind-pulumi-deployer"))["kms:PutKeyPolicy"], "always");
        assert.strictEqual(rights(report, `${ACCOUNT}:*`)["kms:PutKeyPolicy"], "mfa");
        assert.strictEqual(rights(report, `${ACCOUNT}:*`)["kms:ScheduleKeyDeletion"], "mfa");
    });
    it("customer managed policies attached in the plan count; policies not in the plan are named on the row", () => {
        const plan = load();
        const res = (type: string, name: string, inputs: Record<string, unknown>, dependsOn: string[] = []): PlanResource => ({
            urn: `urn:pulumi:prod::kms-observability::${type}::${name}`, type, name, parent: null, protect: false, retainOnDelete: false, dependsOn, provider: null, inputs,
        });
        const auditor = res("aws:iam/role:Role", "auditor", {
            name: "auditor", assumeRolePolicy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::731942058316:user/a.okafor" }, Action: "sts:AssumeRole" }] }),
        });
        const policy = res("aws:iam/policy:Policy", "auditor-kms", { name: "auditor-kms", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "kms:Decrypt", Resource: "*" }] }) });
        plan.resources.push(auditor, policy,
            res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "auditor-kms", { role: "auditor", policyArn: `arn:aws:iam::${ACCOUNT}:policy/auditor-kms` }, [auditor.urn, policy.urn]),
            res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "auditor-ro", { role: "auditor", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }, [auditor.urn]));
        const row = accessReport(plan).keys[0].principals.find((p) => p.principal === role("auditor"));
        assert.deepStrictEqual(only(rights(accessReport(plan), role("auditor")), LIFECYCLE), { "kms:Decrypt": "always" }, "no MFA in its trust policy");
        assert.deepStrictEqual(row?.notes, ["policies not in the plan: arn:aws:iam::aws:policy/ReadOnlyAccess"]);
        assert.strictEqual(row?.assumedBy, "user/a.okafor");
    });
    it("access.md has a table per key with the legend", () => {
        const md = renderAccessMarkdown(report);
        assert.match(md, /### `alias\/ledger-mind\/prod\/compliance-signing` \(production\)/);
        assert.match(md, /\| role ledgermind-prod-KeyManagementAdmin \| user\/a\.okafor, user\/m\.lindqvist \(MFA ≤ 300 s\) \| — \| — \| MFA \| — \| MFA \| MFA \| MFA \|/);
        assert.match(md, /\| role reporting-reader \| ecs-tasks\.amazonaws\.com \| ✅ⁱ \| — \| — \| — \| — \| — \| — \|/);
    });
});

describe("access diff (tools/access/diff)", () => {
    const before = accessReport(load());

    it("no change, no lines", () => {
        assert.deepStrictEqual(diffAccess(before, accessReport(load())), []);
        assert.match(formatAccessDiff([]), /No change in effective key access/);
    });
    it("a role given Decrypt in the key policy is called out on a production key", () => {
        const plan = load();
        const policy = keyPolicyOf(plan);
        policy.Statement.find((s) => s.Sid === "KeyUsage")?.Principal?.AWS.push(role("ledgermind-prod-KeyRecoveryAdmin"));
        setKeyPolicy(plan, policy);
        const changes = diffAccess(before, accessReport(plan));
        const decrypt = changes.find((c) => c.principal === "role ledgermind-prod-KeyRecoveryAdmin" && c.actions.includes("kms:Decrypt"));
        assert.ok(decrypt, formatAccessDiff(changes));
        assert.strictEqual(decrypt.change, "gains");
        assert.strictEqual(decrypt.callout, true);
        assert.strictEqual(changes[0], decrypt, "callouts come first");
        assert.match(formatAccessDiff(changes), /- ⚠ \*\*role ledgermind-prod-KeyRecoveryAdmin gains kms:Decrypt on `alias\/ledger-mind\/prod\/compliance-signing` \(production\) with MFA\*\*/);
    });
    it("an identity policy granting Decrypt shows up too", () => {
        const plan = load();
        const rp = plan.resources.find((r) => r.name === "aws-kms-keys-emergency-keys");
        const doc = JSON.parse(String(rp?.inputs.policy));
        doc.Statement[0].Action.push("kms:Decrypt");
        if (rp) rp.inputs.policy = JSON.stringify(doc);
        const text = formatAccessDiff(diffAccess(before, accessReport(plan)));
        assert.match(text, /⚠ \*\*role ledgermind-prod-EmergencyKeyAdmin gains kms:Decrypt on .* with MFA\*\*/);
    });
    it("the MFA condition removed from the key policy's deny: the account's principals no longer need MFA to change the policy", () => {
        const plan = load();
        const policy = keyPolicyOf(plan);
        setKeyPolicy(plan, { ...policy, Statement: policy.Statement.filter((s) => s.Sid !== "DenyDestructiveActionsWithoutMfa") });
        const changes = diffAccess(before, accessReport(plan));
        const c = changes.find((x) => x.principal === `any other principal of ${ACCOUNT}` && x.change === "no longer needs MFA for");
        assert.ok(c, formatAccessDiff(changes));
        assert.deepStrictEqual(c.actions, ["kms:DisableKey", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"]);
        assert.strictEqual(c.callout, true);
    });
    it("the MFA condition removed from a break-glass role's trust policy shows the role acting without MFA", () => {
        const plan = load();
        const r = plan.resources.find((x) => x.name === "aws-kms-governance-recovery-role");
        const trust = JSON.parse(String(r?.inputs.assumeRolePolicy));
        delete trust.Statement[0].Condition;
        if (r) r.inputs.assumeRolePolicy = JSON.stringify(trust);
        const changes = diffAccess(before, accessReport(plan));
        assert.deepStrictEqual(changes.map(sentence), [
            "role ledgermind-prod-KeyRecoveryAdmin no longer needs MFA for kms:CancelKeyDeletion on `alias/ledger-mind/prod/compliance-signing` (production)",
            "role ledgermind-prod-KeyRecoveryAdmin no longer needs MFA for kms:CancelKeyDeletion on `alias/ledgermind-prod-kms-alert-topics` (production)",
        ]);
        assert.ok(changes.every((c) => c.callout));
    });
    it("a service's grant is conditional on its request context; dropping the condition widens it, called out", () => {
        const withService = load();
        const policy = keyPolicyOf(withService) as unknown as { Statement: Record<string, unknown>[] };
        const condition = { StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": "arn:aws:sns:us-east-1:123456789012:ledgermind-prod-kms-critical" } };
        policy.Statement.push({ Sid: "EventBridge", Effect: "Allow", Principal: { Service: ["events.amazonaws.com"] }, Action: ["kms:Decrypt", "kms:GenerateDataKey*"], Resource: "*", Condition: condition });
        setKeyPolicy(withService, policy);
        const conditional = accessReport(withService);
        const svc = conditional.keys[0].principals.find((p) => p.principal === "events.amazonaws.com");
        assert.deepStrictEqual([svc?.actions["kms:Decrypt"].noMfa, svc?.notes], ["conditional", ["only when kms:EncryptionContext:aws:sns:topicArn match the key policy"]]);
        delete policy.Statement[policy.Statement.length - 1].Condition;
        setKeyPolicy(withService, policy);
        const changes = diffAccess(conditional, accessReport(withService));
        assert.ok(changes.some((c) => c.callout && c.principal === "events.amazonaws.com" && c.change === "widens" && c.actions.includes("kms:Decrypt")), formatAccessDiff(changes));
    });
    it("a right granted twice (key policy and IAM) survives losing one grant; lost rights are listed without a callout", () => {
        const plan = load();
        const policy = keyPolicyOf(plan);
        setKeyPolicy(plan, { ...policy, Statement: policy.Statement.filter((s) => s.Sid !== "EmergencyRevocation") });
        assert.deepStrictEqual(diffAccess(before, accessReport(plan)).map((c) => [sentence(c), c.callout]), [[
            "role ledgermind-prod-EmergencyKeyAdmin loses kms:DisableKey on `alias/ledger-mind/prod/compliance-signing` (production) from the key policy (still granted by its IAM policies)", false,
        ]], "the inline policy still grants DisableKey through the account delegation");
        plan.resources = plan.resources.filter((r) => r.name !== "aws-kms-keys-emergency-keys");
        const changes = diffAccess(before, accessReport(plan));
        assert.deepStrictEqual(changes.map((c) => [sentence(c), c.callout]), [
            ["role ledgermind-prod-EmergencyKeyAdmin loses kms:DisableKey on `alias/ledger-mind/prod/compliance-signing` (production)", false],
        ]);
    });
});
