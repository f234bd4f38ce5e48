import * as assert from "assert";
import { parseSettings } from "../../../config/load";
import { StackRun, editSection, rejects, stackConfig, stackRun } from "../../harness";
import { evaluate, evaluateKmsAccess } from "../aws/iam-eval";
import { bySid, doc } from "../aws/policy-asserts";

const COMPONENT = "kms-observability:alerting:ManagedPrometheus";
const KEY = "aws:kms/key:Key";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";

describe("alerting: the AMP workspace key lets Grafana and the writer read through AMP, and is governed like the data keys", () => {
    let run: StackRun;
    let keyPolicy: ReturnType<typeof doc>;
    const account = "123456789012";
    const role = (n: string) => `arn:aws:iam::${account}:role/${n}`;
    const VIA_APS = { "kms:ViaService": "aps.us-east-1.amazonaws.com" };
    const MFA = { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "60" };

    before(async () => {
        run = await stackRun("prod");
        const component = run.one(COMPONENT).urn;
        keyPolicy = doc(run.ofType(KEY).filter((k) => k.parent === component)[0].inputs.policy);
    });

    it("lets Grafana's query role and the metrics writer use the key through AMP only", () => {
        const grafana = parseSettings(stackConfig("prod")).grafana.prometheus.sigV4.assumeRoleArn ?? "";
        assert.strictEqual(grafana, role("grafana-amp-query"));
        for (const principal of [grafana, role("ledgermind-prod-amp-writer")]) {
            for (const action of ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]) {
                assert.strictEqual(evaluate(keyPolicy, { principal, action, context: VIA_APS }), "Allow", `${principal} ${action} via aps`);
                // Directly (not through AMP) the key policy grants nothing: only IAM could, and these roles have no KMS policy.
                assert.notStrictEqual(evaluate(keyPolicy, { principal, action, context: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } }), "Allow");
                assert.notStrictEqual(evaluate(keyPolicy, { principal, action }), "Allow");
            }
            assert.strictEqual(evaluateKmsAccess(keyPolicy, [], { principal, action: "kms:Decrypt" }), "ImplicitDeny", "no direct decrypt");
        }
        const st = bySid(keyPolicy, "AmpWorkspaceUsersViaAps");
        assert.deepStrictEqual(st.Condition, { StringEquals: { "kms:ViaService": "aps.us-east-1.amazonaws.com" } });
        assert.deepStrictEqual(st.Action, ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"]);
    });

    it("has KeyManagementAdmin as administrator and lets KeyRecoveryAdmin cancel its deletion", () => {
        const admin = role("ledgermind-prod-KeyManagementAdmin");
        const recovery = role("ledgermind-prod-KeyRecoveryAdmin");
        assert.strictEqual(evaluate(keyPolicy, { principal: recovery, action: "kms:CancelKeyDeletion", context: MFA }), "Allow");
        assert.strictEqual(evaluate(keyPolicy, { principal: recovery, action: "kms:EnableKey", context: MFA }), "Allow");
        for (const action of ["kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:DisableKey", "kms:EnableKeyRotation"]) {
            assert.strictEqual(evaluate(keyPolicy, { principal: admin, action, context: MFA }), "Allow", action);
        }
        for (const action of ["kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:DisableKey"]) {
            assert.strictEqual(evaluate(keyPolicy, { principal: admin, action }), "Deny", `${action} without MFA`);
        }
        assert.notStrictEqual(evaluate(keyPolicy, { principal: admin, action: "kms:Decrypt", context: VIA_APS }), "Allow", "administrators do not read metrics");
        // Inline policies on the roles, as for the data keys and the topic key.
        const inline = run.ofType(ROLE_POLICY).filter((p) => p.name.startsWith("alerting-amp-") && p.name.endsWith("-amp-key"));
        assert.deepStrictEqual(inline.map((p) => p.inputs.role).sort(), ["ledgermind-prod-KeyManagementAdmin", "ledgermind-prod-KeyRecoveryAdmin"]);
        const recoveryInline = doc(inline.find((p) => p.inputs.role === "ledgermind-prod-KeyRecoveryAdmin")?.inputs.policy);
        assert.ok(recoveryInline.Statement[0].Action.includes("kms:CancelKeyDeletion"));
    });

    it("requires a query role when Grafana signs with its own credentials", () => {
        const raw = editSection(stackConfig("prod"), "grafana", (g) => {
            (g.prometheus as Record<string, unknown>).sigV4 = { authType: "default" };
        });
        rejects(raw, "Pulumi.prod.yaml: kms-observability:amp.queryPrincipals = []: must name the role Grafana queries AMP with");
        const fixed = editSection(raw, "amp", (a) => { a.queryPrincipals = [role("grafana-host")]; });
        assert.deepStrictEqual(parseSettings(fixed).amp.queryPrincipals, [role("grafana-host")]);
    });
});
