import * as assert from "assert";
import { mockUrn, resolveAliases } from "../../tools/aliases";
import { diffPlans, readPlanFile } from "../../tools/diff";
import { PlanResource } from "../../tools/engine";
import { fixture, stackRun } from "../harness";

const STACK = "urn:pulumi:prod::kms-observability::pulumi:pulumi:Stack::kms-observability-prod";
const urn = (parent: string | null, type: string, name: string) => mockUrn("prod", "kms-observability", parent, type, name);
const TOPIC = "aws:sns/topic:Topic";
const COMPONENT = "kms-observability:alerting:Alerting";

function res(type: string, name: string, parent: string | null, inputs: Record<string, unknown> = {}, aliases: string[] = []): PlanResource {
    return {
        urn: urn(parent, type, name), type, name, parent, protect: false, retainOnDelete: false, dependsOn: [], provider: null,
        aliases, inputs,
    };
}

describe("tools/aliases + tools/diff: aliases as the engine resolves and matches them", () => {
    describe("resolveAliases", () => {
        it("completes a { parent: rootStackResource } spec (noParent) with the resource's own name and type, at the root", () => {
            const parent = urn(STACK, COMPONENT, "alerting");
            const r = { urn: urn(parent, TOPIC, "alerting-t"), type: TOPIC, name: "alerting-t", parent };
            assert.deepStrictEqual(resolveAliases(r, [{ noParent: true }]), [urn(STACK, TOPIC, "alerting-t")]);
        });

        it("takes a spec's name, type and parent over the resource's own, and a full URN as it is", () => {
            const parent = urn(STACK, COMPONENT, "alerting");
            const r = { urn: urn(parent, TOPIC, "t"), type: TOPIC, name: "t", parent };
            assert.deepStrictEqual(resolveAliases(r, [{ name: "old", parentUrn: STACK }, { urn: "urn:pulumi:prod::x::y::z" }]),
                [urn(STACK, TOPIC, "old"), "urn:pulumi:prod::x::y::z"].sort());
        });

        it("gives a child the aliases of its parent, renaming the parent's name prefix", () => {
            const oldParent = urn(STACK, "kms-observability:alerting:Old", "legacy");
            const parent = { urn: urn(STACK, COMPONENT, "alerting"), name: "alerting", aliases: [oldParent] };
            const r = { urn: urn(parent.urn, TOPIC, "alerting-t"), type: TOPIC, name: "alerting-t", parent: parent.urn };
            assert.deepStrictEqual(resolveAliases(r, [], parent), [urn(oldParent, TOPIC, "legacy-t")]);
        });
    });

    describe("diffPlans honours aliases", () => {
        const component = res(COMPONENT, "alerting", STACK);
        const before = [res(TOPIC, "alerting-t", STACK, { name: "t" })];

        it("a resource moved under a new component WITH an alias to its old URN is the same resource: no delete, no create", () => {
            const moved = res(TOPIC, "alerting-t", component.urn, { name: "t" }, [urn(STACK, TOPIC, "alerting-t")]);
            const changes = diffPlans(before, [component, moved]);
            assert.deepStrictEqual(changes.map((c) => [c.kind, c.urn]), [["create", component.urn]]);
        });

        it("an aliased move with changed inputs is an update of the old resource", () => {
            const moved = res(TOPIC, "alerting-t", component.urn, { name: "t", displayName: "new" }, [urn(STACK, TOPIC, "alerting-t")]);
            const changes = diffPlans(before, [component, moved]);
            assert.deepStrictEqual(changes.map((c) => [c.kind, c.urn, c.keys]), [["update", moved.urn, ["displayName"]], ["create", component.urn, []]]);
        });

        it("the same move WITHOUT an alias is a delete and a create", () => {
            const moved = res(TOPIC, "alerting-t", component.urn, { name: "t" });
            const kinds = diffPlans(before, [component, moved]).map((c) => [c.kind, c.urn]);
            assert.deepStrictEqual(kinds, [["create", component.urn], ["create", moved.urn], ["delete", before[0].urn]].sort((a, b) => (a[1] < b[1] ? -1 : 1)));
        });

        it("an alias naming a URN that a resource of the new plan still holds claims nothing", () => {
            const stays = res(TOPIC, "alerting-t", STACK, { name: "t" });
            const copy = res(TOPIC, "alerting-t", component.urn, { name: "t" }, [stays.urn]);
            const changes = diffPlans(before, [component, stays, copy]);
            assert.deepStrictEqual(changes.map((c) => [c.kind, c.urn]),
                [["create", component.urn], ["create", copy.urn]].sort((a, b) => (a[1] < b[1] ? -1 : 1)));
        });
    });

    for (const stack of ["prod", "staging"] as const) {
        describe(`${stack}: today's plan against the plan of main at 50ebaaa (test/fixtures/baseline-50ebaaa)`, () => {
            it("has no replace, no delete and no update: the moved components are matched by their aliases", async () => {
                const baseline = readPlanFile(fixture("baseline-50ebaaa", stack, "plan.json"));
                const run = await stackRun(stack);
                const changes = diffPlans(baseline, run.resources);
                assert.deepStrictEqual(changes.filter((c) => c.kind !== "create").map((c) => `${c.kind} ${c.urn}`), []);
                // Only what is new: the Alerting component itself (no cloud resource).
                assert.deepStrictEqual(changes.map((c) => c.type), [COMPONENT]);
                // The two components that moved under it answer to their old root-level URNs.
                for (const name of ["alerting-amp", "alerting-grafana"]) {
                    const r = run.resources.find((x) => x.name === name);
                    assert.ok(r, `${name} is in the ${stack} plan`);
                    const old = baseline.resources.find((x) => x.name === name && x.type === r.type);
                    assert.ok(old && old.urn !== r.urn && r.aliases?.includes(old.urn), `${name}: aliased to ${old?.urn}`);
                }
            });
        });
    }
});
