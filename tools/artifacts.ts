import { Settings } from "../config/schema";

/** A file the plan writes next to plan.json, path relative to the output folder. */
export interface Artifact {
    readonly path: string;
    readonly content: string;
}

/** Every rendered artifact of the stack (rule files, Alertmanager config, dashboards), from settings alone. */
export function renderArtifacts(_settings: Settings): Artifact[] {
    return [];
}
