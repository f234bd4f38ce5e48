import { alertingArtifacts } from "../alerts/artifacts";
import { Settings } from "../config/schema";
import { renderDashboards } from "../dashboards";
import { auditLocation, dashboardOptions } from "../dashboards/options";

/** A file the plan writes next to plan.json, path relative to the output folder. */
export interface Artifact {
    readonly path: string;
    readonly content: string;
}

/** Every rendered artifact of the stack (rule files, Alertmanager config, dashboards), from settings alone. */
export function renderArtifacts(settings: Settings): Artifact[] {
    return [
        ...alertingArtifacts(settings),
        ...renderDashboards(dashboardOptions(settings.grafana, auditLocation(settings)))
            .map((d) => ({ path: `grafana/dashboards/${d.uid}.json`, content: d.json })),
    ];
}
