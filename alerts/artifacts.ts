import { AlertingInput } from "../shared/alerting";

/** The part of the settings alerting renders from (config's `Settings` satisfies it). */
export interface AlertingInputs {
    readonly alerting: AlertingInput & {
        /** Runbook document; each alert links to `<runbookUrl>#<alert anchor>`. */
        readonly runbookUrl: string;
        /** Grafana base URL for dashboard links; default the provider's `grafana:url`. */
        readonly grafanaUrl?: string;
        /** Directory where the self-hosted Alertmanager finds its credential files. */
        readonly secretsDir: string;
    };
    readonly providers: { readonly "grafana:url": string };
}
import { alertmanagerConfig, renderAlertmanagerYaml } from "./alertmanager";
import { AlertLinks } from "./catalog";
import { buildRouting } from "./routing";
import { renderRuleFile, ruleFiles } from "./rules";
import { TEMPLATE_FILE, TEMPLATE_TEXT } from "./templates";

/** The links notifications carry, from settings (Grafana falls back to the provider's `grafana:url`). */
export function alertLinks(settings: AlertingInputs): AlertLinks {
    return {
        runbookUrl: settings.alerting.runbookUrl,
        grafanaUrl: settings.alerting.grafanaUrl ?? settings.providers["grafana:url"],
    };
}

/** Rule files and the self-hosted Alertmanager config with its templates, paths relative to the plan's output folder. */
export function alertingArtifacts(settings: AlertingInputs): { path: string; content: string }[] {
    return [
        ...ruleFiles(alertLinks(settings)).map((f) => ({ path: `prometheus/rules/${f.name}`, content: renderRuleFile(f) })),
        {
            path: "alertmanager/alertmanager.yml",
            content: renderAlertmanagerYaml(alertmanagerConfig(buildRouting(settings.alerting), settings.alerting.secretsDir)),
        },
        { path: `alertmanager/templates/${TEMPLATE_FILE}`, content: TEMPLATE_TEXT },
    ];
}
