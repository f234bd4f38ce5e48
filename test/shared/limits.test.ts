import * as assert from "assert";
import { slackChannel } from "../../config/alerting";
import { ROTATION_DAYS, SLACK_CHANNEL, isPinnedRefPattern, keyAlias, keySlug, slug, topicName } from "../../shared/limits";
import { evaluatePolicies, offlineContext } from "../../policy/evaluate";
import { PlanResource } from "../../shared/plan";
import { editSection, rejects, stackConfig, stackRun } from "../harness";
import { parseSettings } from "../../config/load";

describe("shared/limits.ts: one set of limits for config, components and pack", () => {
    it("the pack enforces exactly the limits components build: one second or day past them is refused", async () => {
        const run = await stackRun("prod");
        const mandatory = (rs: readonly PlanResource[]) => evaluatePolicies(rs, offlineContext("prod")).filter((v) => v.level === "mandatory");
        assert.deepStrictEqual(mandatory(run.resources), [], "the built stack is at or within every limit");
        /** The pack's verdict on a copy of the stack with `edit` applied to the resources `pick` selects. */
        const pastTheLimit = (what: string, pick: (r: PlanResource) => boolean, edit: (inputs: Record<string, unknown>) => void) => {
            const rs = structuredClone(run.resources);
            const edited = rs.filter(pick);
            assert.ok(edited.length > 0, `${what}: nothing to edit`);
            edited.forEach((r) => edit(r.inputs));
            const refused = new Set(mandatory(rs).map((v) => v.urn));
            for (const r of edited) assert.ok(refused.has(r.urn), `${what}: ${r.name} is not refused`);
        };
        const governance = (r: PlanResource) => r.type === "aws:iam/role:Role" && /governance-(admin|emergency|recovery)-role$/.test(r.name);
        pastTheLimit("sessions", governance, (i) => { i.maxSessionDuration = Number(i.maxSessionDuration) + 1; });
        pastTheLimit("MFA age", governance, (i) => {
            const trust = String(i.assumeRolePolicy);
            const age = /"aws:MultiFactorAuthAge":"(\d+)"/.exec(trust);
            assert.ok(age, trust);
            i.assumeRolePolicy = trust.replace(age[0], `"aws:MultiFactorAuthAge":"${Number(age[1]) + 1}"`);
        });
        pastTheLimit("rotation", (r) => r.type === "aws:kms/key:Key" && r.inputs.enableKeyRotation === true,
            (i) => { i.rotationPeriodInDays = Number(i.rotationPeriodInDays) + 1; });
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
