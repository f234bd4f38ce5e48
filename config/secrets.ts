import { z } from "zod";
import { alertingSection } from "./alerting";
import { SLACK_WEBHOOKS, slackWebhookKeys } from "../shared/alerting";
import { SecretValue } from "./secret";

/**
 * Every secret a stack can need, in one table: when it is required (from the stack's other settings),
 * what to set it to, and the `pulumi config set --secret` command. The loader reports all missing
 * secrets at once from it, the offline plan supplies placeholders from it, and the README's secrets
 * list is checked against it (test/config/secrets.test.ts).
 *
 * How the CLI hands a secret to the program: decrypted, as a string in `PULUMI_CONFIG` (JSON map of
 * `<ns>:config:<name>` -> string) with its key listed in `PULUMI_CONFIG_SECRET_KEYS`
 * (pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go constructConfig /
 * constructConfigSecretKeys). A value set from a file (`pulumi config set --secret k < key.json`,
 * pkg/cmd/pulumi/config/config.go reads stdin whole) is a string holding the file's text: JSON text
 * is not an object here, which is why secret values are never JSON-decoded by the loader.
 */

/** One secret: a top-level config key of its own. */
export interface SecretSpec {
    /** Full key, `<namespace>:<name>`. */
    readonly key: string;
    /** What the value is, for the README and messages. */
    readonly what: string;
    /** The argument of the `pulumi config set --secret` command (`<...>` or `< file`). */
    readonly set: string;
    /** Why it is required for this stack, or undefined when it is not (input: the decoded raw config). */
    readonly requiredBecause: (cfg: RawSections) => string | undefined;
}

/** The stack's settings as decoded from the engine's strings, before validation (any shape). */
export type RawSections = Readonly<Record<string, unknown>>;

const P = "kms-observability";
const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === "object" && !Array.isArray(v) ? v as Record<string, unknown> : {});

/** The Slack channels the (valid) alerting section posts to, by webhook secret. */
function slackKeysUsed(cfg: RawSections): Map<string, string> {
    const parsed = alertingSection.safeParse(cfg[`${P}:alerting`]);
    if (!parsed.success) return new Map([["slackWebhookUrl", obj(obj(cfg[`${P}:alerting`]).slack).channel as string]]);
    return new Map([...slackWebhookKeys(parsed.data)].map(([channel, key]) => [key, channel]));
}

const slackSpec = (name: keyof typeof SLACK_WEBHOOKS): SecretSpec => ({
    key: `${P}:${name}`,
    what: `Slack incoming-webhook URL of ${SLACK_WEBHOOKS[name].setting} (a webhook posts only to its own channel)`,
    set: "https://hooks.slack.com/services/...",
    requiredBecause: (cfg) => {
        const channel = slackKeysUsed(cfg).get(name);
        return name === "slackWebhookUrl" ? "alerts are routed to Slack" : channel === undefined ? undefined : `${SLACK_WEBHOOKS[name].setting} is ${channel}, a channel of its own`;
    },
});

export const SECRETS: readonly SecretSpec[] = [
    slackSpec("slackWebhookUrl"),
    slackSpec("slackCriticalWebhookUrl"),
    slackSpec("slackDefaultWebhookUrl"),
    {
        key: `${P}:pagerdutyRoutingKey`, what: "PagerDuty Events v2 integration (routing) key", set: "<routing key>",
        requiredBecause: (cfg) => (obj(obj(cfg[`${P}:alerting`]).pagerduty).enabled === true ? "alerting.pagerduty.enabled is true" : undefined),
    },
    {
        key: `${P}:smtpAuthPassword`, what: "SMTP password of alerting.email.authUsername", set: "<password>",
        requiredBecause: (cfg) => (obj(obj(cfg[`${P}:alerting`]).email).authUsername !== undefined ? "alerting.email.authUsername is set" : undefined),
    },
    {
        key: `${P}:heartbeatPingUrl`, what: "Ping URL of the dead man's switch check (https://hc-ping.com/<uuid>), pinged by AMP's Watchdog",
        set: "https://hc-ping.com/<uuid>",
        requiredBecause: (cfg) => (obj(cfg[`${P}:amp`]).enabled === true && obj(cfg[`${P}:alerting`]).heartbeatEmail !== undefined ? "amp.enabled is true and alerting.heartbeatEmail is set" : undefined),
    },
    {
        key: `${P}:grafanaAuditServiceAccountKey`, what: "GCP service-account key file (JSON) of the Grafana audit data sources",
        set: "< key.json",
        requiredBecause: (cfg) => ((obj(obj(cfg[`${P}:grafana`]).audit).auth ?? "jwt") === "jwt" ? "grafana.audit.auth is jwt (the default)" : undefined),
    },
];

/**
 * The providers' write tokens: secret when set on the stack (workstation), else read by the provider
 * from its environment variable (CI passes them so, docs/github.md "CI credential design"). The
 * program never needs them itself, so they are not required here.
 */
export const PROVIDER_TOKENS: readonly { readonly key: string; readonly env: string; readonly what: string; readonly set: string }[] = [
    { key: "grafana:auth", env: "GRAFANA_AUTH", what: "Grafana service-account token (Admin in the organization: folders, data sources, alerting)", set: "<glsa_... service-account token>" },
    { key: "github:token", env: "GITHUB_TOKEN", what: "GitHub token (a GitHub App installation token or fine-grained token: administration and environments, workflows)", set: "<token>" },
];

/** Keys set with `--secret` that the schema reads as secrets (top-level, string-valued). */
export const SECRET_KEYS: ReadonlySet<string> = new Set([...SECRETS.map((s) => s.key), ...PROVIDER_TOKENS.map((t) => t.key)]);

/** The secrets this stack needs, with the reason each is needed. */
export function requiredSecrets(cfg: RawSections): { spec: SecretSpec; because: string }[] {
    return SECRETS.flatMap((spec) => {
        const because = spec.requiredBecause(cfg);
        return because === undefined ? [] : [{ spec, because }];
    });
}

/** The command that sets a secret on a stack, as the README and the error messages show it. */
export const setCommand = (spec: SecretSpec, stack: string) => `pulumi config set --secret --stack ${stack} ${spec.key} ${spec.set}`;

/** One problem line per required secret the stack lacks: key, why, and the command to set it. */
export function missingSecretProblems(cfg: RawSections, file: string, stack: string): { key: string; problem: string }[] {
    return requiredSecrets(cfg).filter(({ spec }) => cfg[spec.key] === undefined).map(({ spec, because }) => ({
        key: spec.key,
        problem: `${file}: ${spec.key} = (missing): is required because ${because}; set it with: ${setCommand(spec, stack)}`,
    }));
}

const GCP_PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const SA_EMAIL = /^[a-z][a-z0-9-]{4,28}[a-z0-9]@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/;

/**
 * What is wrong with a service-account key file's text, or [] — never quoting the text. The fields
 * are those of the JSON key Google issues (https://cloud.google.com/iam/docs/keys-create-delete:
 * `type: service_account`, `project_id`, `private_key`, `client_email`).
 */
export function serviceAccountKeyProblems(text: string, clientEmail: string | undefined): string[] {
    let key: Record<string, unknown>;
    try {
        key = obj(JSON.parse(text));
    } catch {
        return ["must be the service-account key file as downloaded (JSON): it does not parse as JSON (set it with `pulumi config set --secret grafanaAuditServiceAccountKey < key.json`)"];
    }
    const out: string[] = [];
    if (key.type !== "service_account") out.push(`is not a service-account key: "type" is ${key.type === undefined ? "missing" : "not \"service_account\""}`);
    if (typeof key.project_id !== "string" || !GCP_PROJECT.test(key.project_id)) out.push("is not a service-account key: \"project_id\" is missing or not a GCP project id");
    if (typeof key.private_key !== "string" || !key.private_key.includes("-----BEGIN PRIVATE KEY-----")) {
        out.push("is not a service-account key: \"private_key\" is missing or not a PEM private key");
    }
    if (typeof key.client_email !== "string" || !SA_EMAIL.test(key.client_email)) out.push("is not a service-account key: \"client_email\" is missing or not a service-account email");
    else if (clientEmail !== undefined && key.client_email !== clientEmail) {
        out.push(`belongs to ${key.client_email}, not to grafana.audit.clientEmail ${clientEmail}: use that account's key, or change clientEmail`);
    }
    return out;
}

/** Schema refinement: the audit key secret is a service-account key of grafana.audit.clientEmail. */
export function checkAuditKey(s: { grafanaAuditServiceAccountKey?: unknown; grafana: { audit: { clientEmail?: string } } }, ctx: z.RefinementCtx): void {
    const secret = s.grafanaAuditServiceAccountKey;
    if (!(secret instanceof SecretValue)) return;
    for (const message of serviceAccountKeyProblems(secret.reveal(), s.grafana.audit.clientEmail)) {
        ctx.addIssue({ code: "custom", path: ["grafanaAuditServiceAccountKey"], input: secret, message });
    }
}

/**
 * The stand-in the offline plan gives a secret (no credentials exist offline): it carries the marker
 * `offline-secret:<key>` (which the plan refuses to write to any file) and, for the service-account
 * key, the shape of a key file so the same validation runs as under the CLI.
 */
export function offlinePlaceholder(key: string, cfg: RawSections, marker: string): string {
    if (key !== `${P}:grafanaAuditServiceAccountKey`) return marker;
    const email = String(obj(obj(cfg[`${P}:grafana`]).audit).clientEmail ?? "");
    const project = SA_EMAIL.exec(email)?.[1] ?? String(cfg["gcp:project"] ?? "");
    return JSON.stringify({
        type: "service_account", project_id: project, private_key_id: "offline",
        private_key: `-----BEGIN PRIVATE KEY-----\n${marker}\n-----END PRIVATE KEY-----\n`, client_email: email,
    });
}
