import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { buildRouting } from "../../../alerts/routing";
import { Alerting } from "../../../components/alerting/alerting";
import { parseSettings } from "../../../config/load";
import { alertingArgs } from "../../../config/to-args";
import { StackRun, stackConfig } from "../../harness";
import { children, component, runAlone } from "../alone";

const role = (n: string) => ({ name: pulumi.output(n), arn: pulumi.output(`arn:aws:iam::210987654321:role/${n}`) });

describe("alerting: Alerting alone (components/alerting/alerting.ts)", () => {
    const settings = parseSettings(stackConfig("staging"));
    let both: StackRun;
    let none: StackRun;

    before(async () => {
        both = await runAlone(() => {
            const a = new Alerting("alerting", alertingArgs(settings, {}, { admin: role("Admin"), recovery: role("Recovery") }));
            return { alerting: a.outputs };
        });
        none = await runAlone(() => ({ alerting: new Alerting("alerts", { routing: buildRouting(settings.alerting) }).outputs }));
    });

    it("parents the AMP workspace component and the Grafana mirror, named after it", () => {
        const c = component(both, "kms-observability:alerting:Alerting", "alerting");
        assert.deepStrictEqual(children(both, c), [
            "kms-observability:alerting:GrafanaAlertingMirror alerting-grafana",
            "kms-observability:alerting:ManagedPrometheus alerting-amp",
        ]);
    });

    it("aliases both children to the root-level URNs they had before the component existed", () => {
        const stack = both.one("pulumi:pulumi:Stack").urn;
        const kids = both.resources.filter((x) => x.parent === both.one("kms-observability:alerting:Alerting").urn);
        assert.strictEqual(kids.length, 2, "the loop below checks both children");
        for (const r of kids) {
            assert.deepStrictEqual(r.aliases, [`urn:pulumi:staging::kms-observability::pulumi:pulumi:Stack$${r.type}::${r.name}`], r.name);
            assert.notStrictEqual(r.parent, stack);
        }
    });

    it("outputs both deliveries: the AMP endpoints and topics, the Grafana contact points", () => {
        const out = both.outputs.alerting as { amp: Record<string, unknown>; grafana: { contactPoints: string[] } };
        assert.deepStrictEqual(Object.keys(out).sort(), ["amp", "grafana"]);
        assert.match(String(out.amp.queryUrl), /\/api\/v1\/query$/);
        assert.match(String(out.amp.remoteWriteUrl), /\/api\/v1\/remote_write$/);
        assert.deepStrictEqual(out.grafana.contactPoints.sort(), buildRouting(settings.alerting).receivers.map((r) => r.name).sort());
    });

    it("with neither delivery (both default to off): the component alone, no children, empty outputs", () => {
        const c = component(none, "kms-observability:alerting:Alerting", "alerts");
        assert.deepStrictEqual(children(none, c), []);
        assert.deepStrictEqual(none.outputs.alerting, {});
    });
});
