/**
 * Stack-file mutations: each changes one thing in a real stack file's configuration (types, ranges,
 * typos, secrets in the wrong place, cross-field contradictions, bytes) with the verdict the config
 * layer must give. Secret-bearing mutations carry the CANARY, which must never appear in a message.
 */
import type { RawConfig } from "../../config/load";

export const CANARY = "zzCanary7f3e91Secret";
export const CANARY_URL = `https://hooks.slack.com/services/T0CANARY/B0CANARY/${CANARY}`;

export type Category = "types" | "ranges" | "typos" | "secrets in the wrong place" | "cross-field contradictions" | "bytes";

export interface StackMutation {
    readonly id: string;
    readonly stack: "prod" | "staging";
    readonly category: Category;
    readonly expect: "rejected" | "accepted";
    /** Raw-config mutations: in-process through the config loader. */
    readonly apply?: (raw: RawConfig) => RawConfig;
    /** Byte mutations: the stack file's text (or bytes) rewritten, read through the stack-file reader. */
    readonly file?: (text: string) => string | Buffer;
    /** A fragment some message must contain (the key it names). */
    readonly mentions?: string;
}

type Obj = Record<string, unknown>;
const P = "kms-observability:";

function set(raw: RawConfig, changes: Record<string, unknown>, secret: string[] = []): RawConfig {
    const values = { ...raw.values };
    const secretKeys = new Set(raw.secretKeys);
    for (const [k, v] of Object.entries(changes)) {
        const key = k.includes(":") ? k : `${P}${k}`;
        if (v === undefined) {
            delete values[key];
            secretKeys.delete(key);
            continue;
        }
        values[key] = typeof v === "string" ? v : JSON.stringify(v);
        if (secret.includes(k)) secretKeys.add(key);
        else secretKeys.delete(key);
    }
    return { ...raw, values, secretKeys };
}
/** Edits one structured section (JSON-encoded in the raw config) in place. */
function edit(section: string, fn: (s: Obj) => void): (raw: RawConfig) => RawConfig {
    return (raw) => {
        const s = JSON.parse(raw.values[`${P}${section}`] ?? "{}") as Obj;
        fn(s);
        return set(raw, { [section]: s });
    };
}
const at = (o: unknown, ...path: (string | number)[]): Obj => path.reduce<Obj>((cur, p) => (cur as Record<string | number, Obj>)[p], o as Obj);
const key0 = (s: Obj) => at(s, "keys", 0);
const prodEnv = (s: Obj) => at(s, "repositories", 0, "environments", "production");

function rejected(stack: "prod" | "staging", category: Category, id: string, apply: (raw: RawConfig) => RawConfig, mentions?: string): StackMutation {
    return { id: `${stack}/${id}`, stack, category, expect: "rejected", apply, mentions };
}

function forStack(stack: "prod" | "staging"): StackMutation[] {
    const r = (category: Category, id: string, apply: (raw: RawConfig) => RawConfig, mentions?: string) => rejected(stack, category, id, apply, mentions);
    const out: StackMutation[] = [
        // Types.
        r("types", "rotation-as-string", edit("aws", (s) => { key0(s).rotationDays = "90"; }), "rotationDays"),
        r("types", "protectStateful-as-string", (raw) => set(raw, { protectStateful: "yes" }), "protectStateful"),
        r("types", "keys-as-object", edit("aws", (s) => { s.keys = { name: "x" }; }), "aws.keys"),
        r("types", "users-as-string", edit("aws", (s) => { key0(s).users = "arn:aws:iam::123456789012:role/x"; }), "users"),
        r("types", "accountId-as-number", edit("aws", (s) => { s.accountId = 123456789012; }), "accountId"),
        r("types", "labels-as-list", (raw) => set(raw, { labels: ["a", "b"] }), "labels"),
        r("types", "waitTimer-as-bool", edit("github", (s) => { at(s, "repositories", 0, "environments")[Object.keys(at(s, "repositories", 0, "environments"))[0]] = { waitTimer: true, branches: ["main"] }; }), "waitTimer"),
        r("types", "permissions-as-string", edit("grafana", (s) => { s.permissions = "Admin"; }), "permissions"),
        r("types", "environment-unknown", (raw) => set(raw, { environment: "production" }), "environment"),
        // Ranges.
        r("ranges", "rotation-89", edit("aws", (s) => { key0(s).rotationDays = 89; }), "rotationDays"),
        r("ranges", "rotation-91", edit("aws", (s) => { key0(s).rotationDays = 91; }), "rotationDays"),
        r("ranges", "rotation-365", edit("aws", (s) => { key0(s).rotationDays = 365; }), "rotationDays"),
        r("ranges", "rotation-2561", edit("aws", (s) => { key0(s).rotationDays = 2561; }), "rotationDays"),
        r("ranges", "deletion-window-6", edit("aws", (s) => { key0(s).deletionWindowDays = 6; }), "deletionWindowDays"),
        r("ranges", "deletion-window-31", edit("aws", (s) => { key0(s).deletionWindowDays = 31; }), "deletionWindowDays"),
        r("ranges", "topic-key-rotation-180", edit("aws", (s) => { (s.topicKey as Obj ?? (s.topicKey = {}) as Obj).rotationDays = 180; }), "topicKey.rotationDays"),
        r("ranges", "seven-reviewers", edit("github", (s) => {
            const envs = at(s, "repositories", 0, "environments");
            const env = envs.production ?? envs.staging;
            if (envs.production) (env as Obj).reviewers = { teams: ["a", "b", "c"], users: ["d", "e", "f", "g"] };
            else (env as Obj).waitTimer = 43201;
        })),
        r("ranges", "region-1MiB", (raw) => set(raw, { "aws:region": "x".repeat(1 << 20) }), "aws:region"),
        r("ranges", "negative-retention", edit("gcp", (s) => { at(s, "bucket").retentionDays = -1; }), "retentionDays"),
        // Typos.
        r("typos", "project-key", (raw) => set(raw, { enviroment: stack }), "enviroment"),
        r("typos", "section-key", edit("aws", (s) => { key0(s).rotationPeriodDays = 90; }), "rotationPeriodDays"),
        r("typos", "namespace", (raw) => set(raw, { "kms-observabilty:environment": stack }), "kms-observabilty"),
        r("typos", "provider-namespace", (raw) => set(raw, { "aws-region:region": "us-east-1" }), "aws-region"),
        r("typos", "grafana-key", edit("grafana", (s) => { s.permisions = []; }), "permisions"),
        r("typos", "gcp-key", edit("gcp", (s) => { at(s, "bucket").retentionDay = 730; }), "retentionDay"),
        r("typos", "alerting-key", edit("alerting", (s) => { s.slak = {}; }), "slak"),
        // Secrets in the wrong place (the canary must never be echoed).
        r("secrets in the wrong place", "webhook-plaintext", (raw) => set(raw, { slackWebhookUrl: CANARY_URL }), "slackWebhookUrl"),
        r("secrets in the wrong place", "webhook-misspelled-key", (raw) => set(raw, { slackWebhookUrll: CANARY_URL }), "slackWebhookUrll"),
        r("secrets in the wrong place", "webhook-misspelled-namespace", (raw) => set(raw, { "kms-observabilty:slackWebhookUrl": CANARY_URL }), "kms-observabilty"),
        r("secrets in the wrong place", "webhook-in-section", edit("alerting", (s) => { (s.slack as Obj).webhookUrl = CANARY_URL; }), "webhookUrl"),
        r("secrets in the wrong place", "aws-secretKey", (raw) => set(raw, { "aws:secretKey": CANARY }), "aws:secretKey"),
        r("secrets in the wrong place", "aws-accessKey", (raw) => set(raw, { "aws:accessKey": `AKIA${CANARY}` }), "aws:accessKey"),
        r("secrets in the wrong place", "gcp-credentials", (raw) => set(raw, { "gcp:credentials": `{"private_key":"${CANARY}"}` }), "gcp:credentials"),
        r("secrets in the wrong place", "grafana-auth-plaintext", (raw) => set(raw, { "grafana:auth": CANARY }), "grafana:auth"),
        r("secrets in the wrong place", "github-token-plaintext", (raw) => set(raw, { "github:token": `ghp_${CANARY}` }), "github:token"),
        r("secrets in the wrong place", "grafana-url-userinfo", (raw) => set(raw, { "grafana:url": `https://admin:${CANARY}@grafana.ledger-mind.org` }), "grafana:url"),
        r("secrets in the wrong place", "secret-inside-structure", (raw) => set(raw, { alerting: { slack: { channel: "#x" } } }, ["alerting"]), "alerting"),
        r("secrets in the wrong place", "pagerduty-key-plaintext", (raw) => set(raw, { pagerdutyRoutingKey: CANARY }), "pagerdutyRoutingKey"),
        r("secrets in the wrong place", "unknown-key-json-secret", (raw) => set(raw, { grafanaAuditKey: `{"private_key":"${CANARY}"}` }), "grafanaAuditKey"),
        // Cross-field contradictions.
        r("cross-field contradictions", "admin-in-other-account", edit("aws", (s) => { key0(s).admins = ["arn:aws:iam::999999999999:role/x"]; }), "admins"),
        r("cross-field contradictions", "deployer-in-other-account", edit("aws", (s) => { s.deployers = ["arn:aws:iam::999999999999:role/deployer"]; }), "deployers"),
        r("cross-field contradictions", "duplicate-key-name", edit("aws", (s) => { (s.keys as Obj[]).push({ ...key0(s) }); }), "keys"),
        r("cross-field contradictions", "viewer-gets-admin", edit("grafana", (s) => { s.permissions = [{ role: "Viewer", permission: "Admin" }]; }), "permissions"),
        r("cross-field contradictions", "editor-gets-admin", edit("grafana", (s) => { s.permissions = [{ role: "Editor", permission: "Admin" }]; }), "permissions"),
        r("cross-field contradictions", "lifecycle-beyond-retention", edit("gcp", (s) => { (at(s, "bucket").lifecycle as Obj).archiveAfterDays = 800; }), "archiveAfterDays"),
        r("cross-field contradictions", "lock-without-retention", edit("gcp", (s) => { at(s, "bucket").retentionDays = null; at(s, "bucket").lockRetention = true; }), "lockRetention"),
        r("cross-field contradictions", "chatbot-unused-channel", edit("amp", (s) => { s.enabled = true; s.chatbot = { slackTeamId: "T04LMXK7Q2B", channels: { "#nobody-posts-here": "C05NOBODY01" } }; }), "chatbot"),
        r("cross-field contradictions", "pagerduty-without-key", (raw) => set(edit("alerting", (s) => { s.pagerduty = { enabled: true }; })(raw), { pagerdutyRoutingKey: undefined }), "pagerdutyRoutingKey"),
        r("cross-field contradictions", "amp-writer-is-a-user", edit("amp", (s) => { s.enabled = true; s.writerPrincipals = ["arn:aws:iam::123456789012:user/someone"]; }), "writerPrincipals"),
        r("cross-field contradictions", "oidc-provider-other-account", edit("github", (s) => { s.oidcProviderArn = "arn:aws:iam::999999999999:oidc-provider/token.actions.githubusercontent.com"; })),
    ];
    if (stack === "prod") {
        out.push(
            r("cross-field contradictions", "prod-wildcard-branch", edit("github", (s) => { prodEnv(s).branches = ["[a-z]*"]; }), "branches"),
            r("cross-field contradictions", "prod-star-branch", edit("github", (s) => { prodEnv(s).branches = ["main", "*"]; }), "branches"),
            r("cross-field contradictions", "prod-question-branch", edit("github", (s) => { prodEnv(s).branches = ["?*"]; }), "branches"),
            r("cross-field contradictions", "prod-no-reviewers", edit("github", (s) => { prodEnv(s).reviewers = { teams: [], users: [] }; }), "reviewers"),
            r("cross-field contradictions", "prod-environment-staging", (raw) => set(raw, { environment: "staging", protectStateful: false }), "environment"),
        );
    }
    // Valid variants: each must be accepted.
    const ok = (category: Category, id: string, apply: (raw: RawConfig) => RawConfig): StackMutation => ({ id: `${stack}/valid:${id}`, stack, category, expect: "accepted", apply });
    out.push(
        ok("ranges", "rotation-90-explicit", edit("aws", (s) => { key0(s).rotationDays = 90; })),
        ok("ranges", "deletion-window-30", edit("aws", (s) => { key0(s).deletionWindowDays = 30; })),
        ok("types", "extra-label", (raw) => set(raw, { labels: { ...(JSON.parse(raw.values[`${P}labels`] ?? "{}") as Obj), owner: "secops" } })),
        ok("typos", "key-description", edit("aws", (s) => { key0(s).description = "Reworded description"; })),
        ok("cross-field contradictions", "viewer-view", edit("grafana", (s) => { s.permissions = [{ role: "Viewer", permission: "View" }, { team: "security-ops", permission: "Admin" }]; })),
        ok("secrets in the wrong place", "webhook-as-secret", (raw) => set(raw, { slackWebhookUrl: "offline-secret:kms-observability:slackWebhookUrl" }, ["slackWebhookUrl"])),
        ok("cross-field contradictions", "user-deployer", edit("aws", (s) => { s.deployers = [`arn:aws:iam::${String(s.accountId)}:role/ledger-mind-pulumi-deployer`, `arn:aws:iam::${String(s.accountId)}:user/ci-deployer`]; })),
        ok("secrets in the wrong place", "aws-secretKey-as-secret", (raw) => set(raw, { "aws:secretKey": "offline-secret:aws:secretKey" }, ["aws:secretKey"])),
    );
    if (stack === "prod") out.push(ok("cross-field contradictions", "prod-release-branch", edit("github", (s) => { at(s, "repositories", 1, "environments", "production").branches = ["main", "release/*"]; })));
    else out.push(ok("cross-field contradictions", "staging-wildcard-branch", edit("github", (s) => { at(s, "repositories", 1, "environments", "staging").branches = ["*"]; })));
    return out;
}

/** Byte-level mutations of the stack file text (read through tools/stackfile.ts). */
function bytes(stack: "prod" | "staging"): StackMutation[] {
    const b = (id: string, expect: "rejected" | "accepted", file: (t: string) => string | Buffer, mentions?: string): StackMutation =>
        ({ id: `${stack}/bytes:${id}`, stack, category: "bytes", expect, file, mentions });
    const webhookLine = (t: string) => t.replace(/\nconfig:\n/, `\nconfig:\n  kms-observability:slackWebhookUrl2: ${CANARY_URL}\n`);
    return [
        b("invalid-utf8", "rejected", (t) => Buffer.concat([Buffer.from(t), Buffer.from([0xc3, 0x28, 0x0a])]), "UTF-8"),
        b("latin1-byte-in-value", "rejected", (t) => Buffer.concat([Buffer.from(t.replace("team: platform", "team: plat")), Buffer.from([0xe9, 0x0a])]), "UTF-8"),
        b("yaml-syntax-with-secret", "rejected", (t) => webhookLine(t).replace(`${CANARY_URL}`, `[${CANARY_URL}\n  x: {`), "not valid YAML"),
        b("tab-indentation", "rejected", (t) => t.replace("\n  aws:region:", "\n\taws:region:"), "not valid YAML"),
        b("duplicate-key", "rejected", (t) => t.replace("\nconfig:\n", "\nconfig:\n  aws:region: eu-west-1\n"), "not valid YAML"),
        b("inf", "rejected", (t) => t.replace(/\n {2}kms-observability:protectStateful: (true|false)/, "\n  kms-observability:protectStateful: .inf"), "non-finite"),
        b("nan-nested", "rejected", (t) => t.replace(/retentionDays: \d+/, "retentionDays: .nan"), "non-finite"),
        b("crlf-line-endings", "accepted", (t) => t.replace(/\n/g, "\r\n")),
        b("utf8-bom", "accepted", (t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t)])),
    ];
}

/** Every stack-file mutation, for both stacks. */
export function stackMutations(): StackMutation[] {
    return (["prod", "staging"] as const).flatMap((s) => [...forStack(s), ...bytes(s)]);
}
