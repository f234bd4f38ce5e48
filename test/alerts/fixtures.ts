import { AlertingInputs } from "../../alerts/artifacts";
import { alertingSection } from "../../config/alerting";
import { stackConfig } from "../harness";

/** The stacks whose alerting config the tests render. */
export const STACKS = ["staging", "prod"] as const;

/**
 * A stack's alerting inputs parsed from its stack file with the alerting schema alone, so these
 * tests do not depend on other areas' sections (the full parse is tested in test/config/).
 */
export function alertingInputs(stack: (typeof STACKS)[number]): AlertingInputs {
    const raw = stackConfig(stack);
    return {
        alerting: alertingSection.parse(JSON.parse(raw.values["kms-observability:alerting"])),
        providers: { "grafana:url": raw.values["grafana:url"] },
    };
}
