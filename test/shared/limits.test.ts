import * as assert from "assert";
import { MAX_SESSION_SECONDS as ROLE_SESSION, MFA_MAX_AGE_SECONDS } from "../../documents/aws/roles";
import { slackChannel } from "../../config/alerting";
import { MAX_MFA_AGE_SECONDS, MAX_SESSION_SECONDS, ROTATION_DAYS, SLACK_CHANNEL, isPinnedRefPattern, keyAlias, keySlug, slug, topicName } from "../../shared/limits";
import { EMERGENCY_MAX_MFA_AGE_SECONDS, EMERGENCY_MAX_SESSION_SECONDS } from "../../policy/aws-iam";
import { MAX_ROTATION_DAYS } from "../../policy/aws-kms";
import { editSection, rejects, stackConfig } from "../harness";
import { parseSettings } from "../../config/load";

describe("shared/limits.ts: one set of limits for config, components and pack", () => {
    it("the pack enforces exactly the limits config accepts and components build", () => {
        assert.strictEqual(MAX_ROTATION_DAYS, ROTATION_DAYS);
        assert.strictEqual(EMERGENCY_MAX_SESSION_SECONDS, MAX_SESSION_SECONDS);
        assert.strictEqual(ROLE_SESSION, MAX_SESSION_SECONDS);
        assert.strictEqual(EMERGENCY_MAX_MFA_AGE_SECONDS, MAX_MFA_AGE_SECONDS);
        assert.strictEqual(MFA_MAX_AGE_SECONDS, MAX_MFA_AGE_SECONDS);
    });

    it("config accepts the rotation the pack accepts, and nothing else (it used to accept 90-2560)", () => {
        const withDays = (d: number) => editSection(stackConfig("prod"), "aws", (s) => { (s.keys as Record<string, unknown>[])[0].rotationDays = d; });
        assert.strictEqual(parseSettings(withDays(ROTATION_DAYS)).aws.keys[0].rotationDays, ROTATION_DAYS);
        rejects(withDays(180), "Pulumi.prod.yaml: kms-observability:aws.keys[0].rotationDays = 180: must be 90");
    });

    it("both Slack channel schemas use the one pattern (the Chatbot mapping used to refuse '.')", () => {
        assert.ok(slackChannel().safeParse("#sec.ops").success);
        assert.ok(SLACK_CHANNEL.test("#sec.ops"));
        const raw = editSection(stackConfig("prod"), "amp", (s) => {
            (s.chatbot as Record<string, Record<string, string>>).channels = { "#security-ops": "C05SECOPS01", "#security-critical": "C05SECCRIT1", "#ops-alerts": "C05OPSALRT1" };
        });
        assert.ok(parseSettings(raw));
    });

    it("builds names once: topics, slugs, key aliases and logical names", () => {
        assert.strictEqual(topicName("ledgermind-prod", "kms-critical"), "ledgermind-prod-kms-critical");
        assert.strictEqual(slug("OnCall@Ledger-Mind.org"), "oncall-ledger-mind-org");
        assert.strictEqual(keyAlias("ledger-mind/prod/x"), "alias/ledger-mind/prod/x");
        assert.strictEqual(keySlug("ledger-mind/prod/x"), "ledger-mind-prod-x");
    });

    it("tells pinned ref patterns from wildcards in disguise", () => {
        for (const p of ["main", "release/*", "hotfix-*", "v1.*", "release/v[0-9]*"]) assert.ok(isPinnedRefPattern(p), p);
        for (const p of ["*", "**", "?", "?*", "[a-z]*", "{main,*}", "m*", "*/*", "", " ", "./*", "../*"]) assert.ok(!isPinnedRefPattern(p), p);
    });
});
