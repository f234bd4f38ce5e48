import * as assert from "assert";
import { RawConfig, parseSettings } from "../../config/load";
import { configProblems, editSection, stackConfig, withConfig } from "../harness";

/** Asserts that the stack config is rejected with problems containing every needle. */
const rejects = (raw: RawConfig, ...needles: string[]) => {
    const problems = configProblems(raw);
    assert.ok(needles.every((n) => problems.some((p) => p.includes(n))), problems.join("\n"));
};
const prod = () => stackConfig("prod");

describe("config: grafanaAlerting", () => {
    it("rejects bad maintenance windows, naming the key", () => {
        rejects(editSection(prod(), "grafanaAlerting", (s) => {
            const w = (s.maintenance as { windows: Record<string, unknown>[] }).windows;
            w[0].times = [{ start: "10:00", end: "09:00" }];
            w[1].weekdays = ["tuesdy"];
        }), "grafanaAlerting.maintenance.windows[0].times[0]", "start must be before end",
        "grafanaAlerting.maintenance.windows[1].weekdays[0] = \"tuesdy\": must be a lower-case weekday");
        rejects(editSection(prod(), "grafanaAlerting", (s) => { (s.maintenance as Record<string, unknown>).location = "Mars/Olympus"; }),
            "grafanaAlerting.maintenance.location = \"Mars/Olympus\": must be an IANA time zone");
        rejects(editSection(prod(), "grafanaAlerting", (s) => { (s.maintenance as Record<string, unknown>).mutedSeverities = ["page"]; }),
            "must be one of critical, warning, info");
    });

    it("requires the maintenance block when the mirror is enabled", () => {
        rejects(editSection(prod(), "grafanaAlerting", (s) => { delete s.maintenance; }),
            "kms-observability:grafanaAlerting.maintenance = (missing): is required; must describe the maintenance mute timing");
    });

    it("refuses the mirror when a receiver has no destination (Grafana cannot hold an empty contact point)", () => {
        rejects(editSection(prod(), "alerting", (s) => { delete s.heartbeatEmail; }),
            "kms-observability:grafanaAlerting.enabled = true: needs a destination for every receiver, but watchdog-heartbeat has none");
        const ok = editSection(editSection(prod(), "alerting", (s) => { delete s.heartbeatEmail; }), "grafanaAlerting", (s) => { s.enabled = false; });
        assert.doesNotThrow(() => parseSettings(ok));
    });

    it("defaults both sections to disabled when absent", () => {
        const raw = withConfig(withConfig(prod(), { amp: undefined, grafanaAlerting: undefined }), {
            grafana: { ...JSON.parse(prod().values["kms-observability:grafana"]), prometheus: { url: "https://prometheus.ledger-mind.org" } },
        });
        const s = parseSettings(raw);
        assert.deepStrictEqual([s.amp.enabled, s.grafanaAlerting.enabled], [false, false]);
    });
});
