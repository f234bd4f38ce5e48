import * as assert from "assert";
import { DEFAULT_TIMINGS, alertingSection } from "../../config/alerting";
import { ConfigError } from "../../config/errors";
import { RawConfig, parseSettings } from "../../config/load";
import { editSection, problemsOf, stackConfig, withConfig } from "../harness";

/**
 * The problems a stack config has with the alerting section or its secrets ([] when none). Other
 * areas' problems are filtered out so these tests judge alerting alone.
 */
function alertingProblems(raw: RawConfig): string[] {
    return problemsOf(raw).filter((p) => /kms-observability:(alerting|slack(Critical|Default)?WebhookUrl|pagerdutyRoutingKey|smtpAuthPassword)\b/.test(p));
}

const prod = () => stackConfig("prod");

describe("config: alerting", () => {
    it("accepts both stack files' alerting section and secrets", () => {
        assert.deepStrictEqual(alertingProblems(stackConfig("staging")), []);
        assert.deepStrictEqual(alertingProblems(prod()), []);
    });

    it("defaults the timings to seed 001's (critical 10s/2m/30m, warning 30s/5m/2h)", () => {
        const s = alertingSection.parse({ email: { to: "a@b.org", criticalTo: "c@b.org", from: "d@b.org", smarthost: "smtp.b.org:587" } });
        assert.deepStrictEqual(s.timings.critical, { groupWait: "10s", groupInterval: "2m", repeatInterval: "30m" });
        assert.deepStrictEqual(s.timings.warning, { groupWait: "30s", groupInterval: "5m", repeatInterval: "2h" });
        assert.deepStrictEqual(s.timings, DEFAULT_TIMINGS);
        assert.deepStrictEqual([s.slack.channel, s.slack.criticalChannel, s.slack.criticalMention], ["#security-ops", "#security-critical", "@channel"]);
        assert.strictEqual(s.pagerduty.enabled, false);
    });

    it("rejects a Slack channel without #", () => {
        const raw = editSection(prod(), "alerting", (s) => { (s.slack as Record<string, string>).criticalChannel = "security-critical"; });
        assert.deepStrictEqual(alertingProblems(raw), [
            'Pulumi.prod.yaml: kms-observability:alerting.slack.criticalChannel = "security-critical": must be a Slack channel name ' +
            "starting with # (lower-case letters, digits, '-', '_' or '.'), e.g. #security-ops",
        ]);
    });

    it("rejects an invalid email address", () => {
        const raw = editSection(prod(), "alerting", (s) => { (s.email as Record<string, string>).criticalTo = "oncall-at-ledger-mind.org"; });
        assert.deepStrictEqual(alertingProblems(raw), [
            'Pulumi.prod.yaml: kms-observability:alerting.email.criticalTo = "oncall-at-ledger-mind.org": must be an email address (name@domain)',
        ]);
    });

    it("requires the PagerDuty secret when PagerDuty is enabled, and only then", () => {
        const raw = withConfig(prod(), { pagerdutyRoutingKey: undefined });
        assert.deepStrictEqual(alertingProblems(raw), [
            "Pulumi.prod.yaml: kms-observability:pagerdutyRoutingKey = (missing): is required because alerting.pagerduty.enabled is true; " +
            "set it with: pulumi config set --secret --stack prod kms-observability:pagerdutyRoutingKey <routing key>",
        ]);
        const disabled = editSection(raw, "alerting", (s) => { s.pagerduty = { enabled: false }; });
        assert.deepStrictEqual(alertingProblems(disabled), []);
    });

    it("reports the missing PagerDuty secret together with other sections' problems (every problem at once)", () => {
        const raw = withConfig(prod(), { pagerdutyRoutingKey: undefined, protectStateful: "maybe" });
        assert.throws(() => parseSettings(raw), (e: ConfigError) =>
            e.problems.some((p) => p.startsWith("Pulumi.prod.yaml: kms-observability:protectStateful")) &&
            e.problems.some((p) => p.startsWith("Pulumi.prod.yaml: kms-observability:pagerdutyRoutingKey = (missing)")));
    });

    it("requires the SMTP password secret when an SMTP user is set", () => {
        const raw = withConfig(prod(), { smtpAuthPassword: undefined });
        assert.match(alertingProblems(raw).join("\n"), /kms-observability:smtpAuthPassword = \(missing\): is required because alerting\.email\.authUsername is set; set it with: pulumi config set --secret --stack prod kms-observability:smtpAuthPassword <password>/);
    });

    it("rejects a Slack webhook URL that is not a secret, or none", () => {
        assert.match(alertingProblems(withConfig(prod(), { slackWebhookUrl: "https://hooks.slack.com/services/T0/B0/x" })).join("\n"),
            /kms-observability:slackWebhookUrl = .*must be a secret: set it with `pulumi config set --secret`/);
        assert.doesNotMatch(alertingProblems(withConfig(prod(), { slackWebhookUrl: "https://hooks.slack.com/services/T0/B0/x" })).join("\n"), /hooks\.slack\.com/,
            "the plaintext value is echoed only as the engine gave it");
        assert.match(alertingProblems(withConfig(prod(), { slackWebhookUrl: undefined })).join("\n"),
            /kms-observability:slackWebhookUrl = \(missing\): is required because .*; set it with: pulumi config set --secret --stack prod kms-observability:slackWebhookUrl /);
    });

    it("requires a webhook of its own for the critical channel and for the default receiver's channel", () => {
        assert.deepStrictEqual(alertingProblems(withConfig(prod(), { slackCriticalWebhookUrl: undefined })), [
            "Pulumi.prod.yaml: kms-observability:slackCriticalWebhookUrl = (missing): is required because " +
            "alerting.slack.criticalChannel is #security-critical, a channel of its own; " +
            "set it with: pulumi config set --secret --stack prod kms-observability:slackCriticalWebhookUrl https://hooks.slack.com/services/...",
        ]);
        assert.deepStrictEqual(alertingProblems(withConfig(prod(), { slackDefaultWebhookUrl: undefined })), [
            "Pulumi.prod.yaml: kms-observability:slackDefaultWebhookUrl = (missing): is required because " +
            "alerting.defaultReceiver.slackChannel is #ops-alerts, a channel of its own; " +
            "set it with: pulumi config set --secret --stack prod kms-observability:slackDefaultWebhookUrl https://hooks.slack.com/services/...",
        ]);
    });

    it("lets settings that name the same channel share its webhook, and refuses a webhook secret no channel uses", () => {
        const sameCritical = editSection(prod(), "alerting", (s) => { (s.slack as Record<string, string>).criticalChannel = "#security-ops"; });
        assert.deepStrictEqual(alertingProblems(sameCritical), [
            'Pulumi.prod.yaml: kms-observability:slackCriticalWebhookUrl = "[secret]": is set but no channel uses it: ' +
            "alerting.slack.criticalChannel (#security-ops) is the channel of alerting.slack.channel, which posts with slackWebhookUrl; " +
            "remove it (pulumi config rm slackCriticalWebhookUrl)",
        ]);
        assert.deepStrictEqual(alertingProblems(withConfig(sameCritical, { slackCriticalWebhookUrl: undefined })), []);
        const defaultOnCritical = editSection(withConfig(prod(), { slackDefaultWebhookUrl: undefined }), "alerting",
            (s) => { (s.defaultReceiver as Record<string, string>).slackChannel = "#security-critical"; });
        assert.deepStrictEqual(alertingProblems(defaultOnCritical), []);
        const noDefaultSlack = editSection(prod(), "alerting", (s) => { delete (s.defaultReceiver as Record<string, string>).slackChannel; });
        assert.deepStrictEqual(alertingProblems(noDefaultSlack), [
            'Pulumi.prod.yaml: kms-observability:slackDefaultWebhookUrl = "[secret]": is set but no channel uses it: ' +
            "alerting.defaultReceiver.slackChannel is not set; remove it (pulumi config rm slackDefaultWebhookUrl)",
        ]);
    });

    it("refuses one webhook URL for two channels, without echoing it", () => {
        const url = "https://hooks.slack.com/services/T04LMXK7Q2B/B0SECOPS/abc123";
        const raw = withConfig(prod(), { slackWebhookUrl: url, slackDefaultWebhookUrl: url }, ["slackWebhookUrl", "slackDefaultWebhookUrl"]);
        const problems = alertingProblems(raw);
        assert.deepStrictEqual(problems, [
            'Pulumi.prod.yaml: kms-observability:slackDefaultWebhookUrl = "[secret]": must be another webhook than slackWebhookUrl: ' +
            "it posts to #ops-alerts, slackWebhookUrl to #security-ops, and a Slack incoming webhook posts only to the channel it was created for",
        ]);
        assert.doesNotMatch(problems.join("\n"), /hooks\.slack\.com|abc123/);
    });

    it("rejects a per-channel webhook URL that is not a secret, without echoing it", () => {
        const problems = alertingProblems(withConfig(prod(), { slackCriticalWebhookUrl: "https://hooks.slack.com/services/T0/B0/x" })).join("\n");
        assert.match(problems, /kms-observability:slackCriticalWebhookUrl = \(plaintext, not shown\): must be a secret/);
        assert.doesNotMatch(problems, /hooks\.slack\.com/);
    });

    for (const [key, value, message] of [
        ["groupWait", "10 seconds", "must be a duration like 30s, 5m, 2h or 1h30m"],
        ["groupInterval", "0s", "must be a duration above zero, like 30s, 5m or 2h"],
        ["repeatInterval", "1m", "must be at least groupInterval (2m): Alertmanager cannot repeat faster than it flushes"],
    ] as const) {
        it(`rejects a malformed or inconsistent duration: critical.${key} = ${value}`, () => {
            const raw = editSection(prod(), "alerting", (s) => { ((s.timings as Record<string, Record<string, string>>).critical)[key] = value; });
            assert.deepStrictEqual(alertingProblems(raw), [`Pulumi.prod.yaml: kms-observability:alerting.timings.critical.${key} = "${value}": ${message}`]);
        });
    }

    it("rejects an unknown severity in the timings, naming the allowed ones", () => {
        const raw = editSection(prod(), "alerting", (s) => {
            (s.timings as Record<string, unknown>).critcal = { groupWait: "5s", groupInterval: "1m", repeatInterval: "10m" };
        });
        assert.deepStrictEqual(alertingProblems(raw), [
            'Pulumi.prod.yaml: kms-observability:alerting.timings.critcal = (not shown): ' +
            'unknown key (did you mean "critical"?); allowed: critical, warning, info, heartbeat, default',
        ]);
    });

    it("rejects an unknown critical mention and a default receiver that reuses a KMS receiver name", () => {
        const raw = editSection(prod(), "alerting", (s) => {
            (s.slack as Record<string, string>).criticalMention = "@everyone";
            (s.defaultReceiver as Record<string, string>).name = "kms-critical";
        });
        assert.deepStrictEqual(alertingProblems(raw), [
            'Pulumi.prod.yaml: kms-observability:alerting.slack.criticalMention = "@everyone": must be @channel or @here',
            'Pulumi.prod.yaml: kms-observability:alerting.defaultReceiver.name = "kms-critical": must not reuse a KMS receiver name (kms-*, watchdog-heartbeat)',
        ]);
    });
});
