import { AmpSettings, ampSection } from "../../../config/amp";
import { GrafanaAlertingSettings, grafanaAlertingSection } from "../../../config/grafana-alerting";
import { stackConfig } from "../../harness";

/**
 * A stack's AMP and Grafana-mirror sections parsed from its stack file with their own schemas, so
 * the pure renderer tests do not depend on other areas' sections (the full parse is tested in
 * test/config/ and by the component tests).
 */
export function provisioningInputs(stack: "staging" | "prod"): { amp: AmpSettings; grafanaAlerting: GrafanaAlertingSettings } {
    const raw = stackConfig(stack);
    return {
        amp: ampSection.parse(JSON.parse(raw.values["kms-observability:amp"] ?? "{}")),
        grafanaAlerting: grafanaAlertingSection.parse(JSON.parse(raw.values["kms-observability:grafanaAlerting"] ?? "{}")),
    };
}
