import * as assert from "assert";
import { DriftNotifier } from "../../../components/github/drift-notifier";
import { StackRun } from "../../harness";
import { CTX, assertNamesDerived, child, children, component, runAlone } from "../alone";

const PROVIDER = `arn:aws:iam::${CTX.accountId}:oidc-provider/token.actions.githubusercontent.com`;

describe("github: DriftNotifier alone (components/github/drift-notifier.ts)", () => {
    let run: StackRun;

    before(async () => {
        run = await runAlone(() => {
            const d = new DriftNotifier("drift", { owner: "acme", repository: "infra", stackEnvironment: "staging", oidcProviderArn: PROVIDER, namePrefix: "acme", ctx: CTX });
            return { roleArn: d.roleArn };
        });
    });

    it("registers the role, its event-bus policy and the repository variable naming it, under the component", () => {
        const c = component(run, "kms-observability:github:DriftNotifier", "drift");
        assert.deepStrictEqual(children(run, c), [
            "aws:iam/role:Role drift-role",
            "aws:iam/rolePolicy:RolePolicy drift-put-drift-events",
            "github:index/actionsVariable:ActionsVariable drift-role-variable",
        ]);
        assertNamesDerived(run, c);
        const role = child(run, c, "aws:iam/role:Role", "drift-role");
        assert.strictEqual(role.inputs.name, "acme-drift-notify");
        const trust = JSON.parse(String(role.inputs.assumeRolePolicy)) as { Statement: { Principal: { Federated: string }; Condition: unknown }[] };
        assert.strictEqual(trust.Statement[0].Principal.Federated, PROVIDER);
        assert.ok(JSON.stringify(trust.Statement[0].Condition).includes("repo:acme/infra:environment:"), "trusts only the repository's environment");
        assert.strictEqual(child(run, c, "github:index/actionsVariable:ActionsVariable", "drift-role-variable").inputs.repository, "infra");
    });

    it("outputs the role ARN", () => {
        assert.strictEqual(run.outputs.roleArn, `arn:aws:iam::${CTX.accountId}:role/acme-drift-notify`);
    });
});
