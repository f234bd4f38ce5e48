import { stringify } from "yaml";

/**
 * YAML as Prometheus and Alertmanager read it: no line folding (PromQL and Go templates stay on
 * the lines they were written on) and no anchors/aliases for repeated objects (group_by lists).
 */
export function toYaml(doc: unknown, header?: string): string {
    const body = stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
    return header ? `${header.split("\n").map((l) => `# ${l}`.trimEnd()).join("\n")}\n${body}` : body;
}
