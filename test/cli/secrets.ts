import { PROVIDER_TOKENS, requiredSecrets } from "../../config/secrets";
import { decoded, readStackConfig } from "../../tools/stackfile";
import { ROOT } from "../harness";

/** A GCP service-account key file as Google issues it (pretty-printed JSON; the PEM is a fake). */
export function keyFile(clientEmail: string): string {
    const project = clientEmail.split("@")[1].split(".")[0];
    return JSON.stringify({
        type: "service_account", project_id: project, private_key_id: "5b2f0c1d9e8a7f6b5c4d3e2f1a0b9c8d7e6f5a4b",
        private_key: "-----BEGIN PRIVATE KEY-----\nMIIEvgIBADANBgkqhkiG9w0BAQEFAASC-cli-harness-fake-key\n-----END PRIVATE KEY-----\n",
        client_email: clientEmail, client_id: "103582947261839475612",
        auth_uri: "https://accounts.google.com/o/oauth2/auth", token_uri: "https://oauth2.googleapis.com/token",
    }, null, 2) + "\n";
}

/**
 * The secrets a user sets on a fresh stack from a workstation (README "Secrets each stack needs": the
 * required ones and the providers' tokens), with distinct values.
 */
export function userSecrets(stack: string): Record<string, string> {
    const cfg = decoded(readStackConfig(ROOT, stack, undefined, { offline: false }).values);
    const audit = (cfg["kms-observability:grafana"] as { audit?: { clientEmail?: string } }).audit;
    const tokens = PROVIDER_TOKENS.map((t): [string, string] => [t.key, `cli-harness-${stack}-${t.env.toLowerCase()}`]);
    return Object.fromEntries([...tokens, ...requiredSecrets(cfg).map(({ spec }, i): [string, string] => {
        if (spec.key.endsWith(":grafanaAuditServiceAccountKey")) return [spec.key, keyFile(audit?.clientEmail ?? "")];
        if (spec.key.includes("slack")) return [spec.key, `https://hooks.slack.com/services/T0CLI${i}/B0CLI${i}/cli-harness-${stack}-${i}`];
        return [spec.key, `cli-harness-${stack}-${spec.key.replace(/\W/g, "-")}`];
    })]);
}
