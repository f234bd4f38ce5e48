import * as assert from "assert";
import * as fs from "fs";
import { DriftReport } from "../../../tools/drift/model";
import { formatPath, parsePath } from "../../../tools/drift/paths";
import { redactValue } from "../../../tools/drift/redact";
import { PreviewFormatError, driftFromPreview, parsePreview } from "../../../tools/drift/preview";
import { MAX_ISSUE_BODY, fitMarkdown, issueTitle, renderChatbot, renderIssue, renderMarkdown, renderText } from "../../../tools/drift/render";
import { fixture } from "../../harness";

const FIXTURE = fixture("drift", "preview-prod-hand-edits.json");
const load = (): DriftReport => driftFromPreview(parsePreview(fs.readFileSync(FIXTURE, "utf8")), "kms-observability", "prod");
const PROD_ENV = "urn:pulumi:prod::kms-observability::kms-observability:github:EnvironmentProtections$github:index/repositoryEnvironment:RepositoryEnvironment::github-kms-observability-production";
const all = (r: DriftReport): string[] => [renderMarkdown(r, { runUrl: "https://github.com/o/r/actions/runs/1" }), renderText(r), renderChatbot(r), renderIssue(r), JSON.stringify(r)];

describe("tools: drift report from `pulumi preview --refresh --json`", () => {
    it("a reviewer requirement switched off by hand on the production environment is critical drift, with both values", () => {
        const r = load();
        const env = r.drift.find((d) => d.urn === PROD_ENV);
        assert.ok(env, "the production environment is reported");
        assert.deepStrictEqual([env.kind, env.class, env.revert], ["changed", "critical", "update"]);
        assert.deepStrictEqual(env.properties, [{ path: "reviewers", class: "critical", code: [{ teams: [8197472, 8040599], users: [] }], observed: [] }]);
        const md = renderMarkdown(r);
        assert.match(md, /^## Drift: kms-observability\/prod — 5 critical, 2 warning$/m);
        assert.match(md, /🔴 `github-kms-observability-production` — deployment protection/);
        assert.match(md, /\| critical \| `reviewers` \| `\[\{"teams":\[8197472,8040599\],"users":\[\]\}\]` \| `\[\]` \|/);
        assert.match(renderText(r), /^CRITICAL github-kms-observability-production \(deployment protection.*\): reviewers$/m);
    });

    it("names the key-policy statement added from the console, the disabled detection and the deleted subscription", () => {
        const r = load();
        const key = r.drift.find((d) => d.name === "alerting-amp-key");
        assert.deepStrictEqual(key?.properties.map((p) => [p.path, p.class, p.code]), [
            ["policy#Statement[Sid=ContractorDecrypt]", "critical", undefined],
            ["tags.owner", "warning", undefined],
        ]);
        assert.deepStrictEqual((key?.properties[0].observed as { Principal: unknown }).Principal, { AWS: "arn:aws:iam::123456789012:role/contractor" });
        const rule = r.drift.find((d) => d.name === "aws-kms-governance-alerts-access-denied");
        assert.deepStrictEqual(rule?.properties.map((p) => [p.path, p.code, p.observed]), [["state", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS", "DISABLED"]]);
        const sub = r.drift.find((d) => d.type === "aws:sns/topicSubscription:TopicSubscription");
        assert.deepStrictEqual([sub?.kind, sub?.class, sub?.revert], ["missing", "critical", "create"]);
    });

    it("cosmetic drift (labels, a dashboard title) is a warning; critical drift is listed first", () => {
        const r = load();
        assert.deepStrictEqual(r.drift.filter((d) => d.class === "warning").map((d) => [d.name, d.properties.map((p) => p.path)]), [
            ["kms-audit-archive", ["labels.team"]],
            ["kms-dashboards-kms-audit", ["configJson#title"]],
        ]);
        const classes = r.drift.map((d) => d.class);
        assert.deepStrictEqual(classes, [...classes].sort());
    });

    it("a code change not yet deployed is listed apart, not as drift; unchanged resources are not listed", () => {
        const r = load();
        assert.deepStrictEqual(r.pending.map((p) => [p.type, p.op, p.properties]), [["grafana:alerting/notificationPolicy:NotificationPolicy", "update", ["groupWait"]]]);
        assert.ok(!r.drift.some((d) => d.type === "aws:kms/alias:Alias" || d.type === "grafana:alerting/notificationPolicy:NotificationPolicy"));
        assert.match(renderMarkdown(r), /### Not drift: code not yet deployed/);
        assert.strictEqual(r.diagnostics.length, 1);
    });

    it("never prints a secret: values marked [secret], credential-named properties, webhook URLs read back in plain text", () => {
        const r = load();
        const cp = r.drift.find((d) => d.name === "alerting-grafana-kms-critical");
        assert.deepStrictEqual(cp?.properties.map((p) => [p.path, p.code, p.observed]), [
            ["slacks[0].recipient", "#security-critical", "#random"],
            ["slacks[0].url", "[secret]", "[secret]"],
            ["slacks[1].url", "[secret]", "[secret]"],
        ]);
        const raw = fs.readFileSync(FIXTURE, "utf8");
        assert.ok(raw.includes("hooks.slack.com/services/T0FIXTURE"), "the fixture does carry a plain-text webhook");
        for (const text of all(r)) {
            assert.ok(!/hooks\.slack\.com|fixtureWebhookToken/.test(text), text.slice(0, 200));
            assert.ok(!text.includes("integrationKey\":\"") || !/integrationKey":"(?!\[secret\])/.test(text));
        }
        assert.match(renderMarkdown(r), /`slacks\[0\]\.url` \| `\[secret: not shown\]` \| `\[secret: not shown\]`/);
    });

    it("redacts credentials in engine diagnostics too", () => {
        const digest = parsePreview(JSON.stringify({
            steps: [{ op: "refresh", urn: PROD_ENV, detailedDiff: null }],
            diagnostics: [{ severity: "error", message: "POST https://hooks.slack.com/services/T1/B2/abcdefgh failed; token ghp_abcdefghijklmnopqrstuvwxyz0123" }],
        }));
        const r = driftFromPreview(digest, "kms-observability", "prod");
        assert.deepStrictEqual(r.diagnostics, ["error: POST [secret] failed; token [secret]"]);
    });

    it("the notification is a short Chatbot custom notification; the issue has a stable title and a checklist", () => {
        const r = load();
        const n = JSON.parse(renderChatbot(r, { issueUrl: "https://github.com/o/r/issues/7" })) as { version: string; source: string; content: { title: string; description: string; nextSteps: string[] } };
        assert.deepStrictEqual([n.version, n.source], ["1.0", "custom"]);
        assert.strictEqual(n.content.title, "[kms-security] Drift in kms-observability/prod: 5 critical, 2 warning");
        assert.deepStrictEqual(n.content.nextSteps, ["Issue: https://github.com/o/r/issues/7", "Runbook: docs/runbooks/drift.md"]);
        assert.ok(renderText(r).split("\n").length <= 12);
        assert.strictEqual(issueTitle(r), "Drift detected: kms-observability/prod");
        assert.match(renderIssue(r), /- \[ \] For each resource above, decide: adopt into the code or revert/);
    });

    it("an issue body stays within GitHub's limit, cut between resources, pointing to the full report", () => {
        const r = load();
        const many: DriftReport = { ...r, drift: Array.from({ length: 400 }, (_, i) => ({ ...r.drift[0], urn: `${r.drift[0].urn}-${i}`, name: `${r.drift[0].name}-${i}` })) };
        const body = renderIssue(many, { runUrl: "https://github.com/o/r/actions/runs/1" });
        assert.ok(renderMarkdown(many).length > MAX_ISSUE_BODY && body.length < 65_536, String(body.length));
        assert.match(body, /\n\n\*\*The report is longer than an issue can hold: the rest is in the job summary and the `drift-prod` artifact of https:\/\/github\.com\/o\/r\/actions\/runs\/1\.\*\*/);
        assert.match(body, /\| critical \| `slacks\[1\]\.url` \| `\[secret: not shown\]` \| `\[secret: not shown\]` \|\n\n\n\*\*The report/, "cut after a whole resource");
        assert.match(body, /- \[ \] For each resource above/);
        const fitted = fitMarkdown("a\n#### one\nxxxx\n#### two\nyyyy\n", 24, "NOTE");
        assert.strictEqual(fitted, "a\n#### one\nxxxx\n\nNOTE\n");
    });

    it("no drift: a refresh preview with only refresh steps reports nothing", () => {
        const digest = parsePreview(JSON.stringify({ steps: [{ op: "refresh", urn: "urn:pulumi:prod::kms-observability::pulumi:pulumi:Stack::kms-observability-prod", detailedDiff: null }], changeSummary: { same: 110 } }));
        const r = driftFromPreview(digest, "kms-observability", "prod");
        assert.deepStrictEqual([r.drift, r.pending], [[], []]);
        assert.match(renderMarkdown(r), /— no drift[\s\S]*Every resource matches the code\./);
    });

    it("refuses what is not a refresh preview (no refresh step, not JSON, not a digest)", () => {
        const plain = parsePreview(JSON.stringify({ steps: [{ op: "update", urn: PROD_ENV, detailedDiff: null }] }));
        assert.throws(() => driftFromPreview(plain, "p", "s"), (e: Error) => e instanceof PreviewFormatError && /did not refresh/.test(e.message));
        assert.throws(() => parsePreview("Previewing update (prod)"), /not JSON/);
        assert.throws(() => parsePreview(JSON.stringify({ steps: [{ urn: 3 }] })), /not a Pulumi preview digest: steps\.0\.op/);
    });

    it("redaction: by Pulumi's secret marker, by a credential's property name, by a credential's shape", () => {
        assert.strictEqual(redactValue({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "x" }), "[secret]");
        assert.deepStrictEqual(redactValue({ integrationKey: "abc123", severity: "critical" }), { integrationKey: "[secret]", severity: "critical" });
        assert.deepStrictEqual(redactValue("pulumi-deployer-token"), "pulumi-deployer-token", "a name that mentions a token is not one");
        assert.strictEqual(redactValue("abc", ["secureJsonDataEncoded"]), "[secret]");
        assert.deepStrictEqual(redactValue({ headers: { Authorization: "Basic dXNlcjpwYXNz" } }), { headers: { Authorization: "[secret]" } });
        assert.strictEqual(redactValue("key AKIAABCDEFGHIJKLMNOP in text"), "[secret]");
        assert.deepStrictEqual(redactValue({ recipient: "#security-ops", userAuthorizationRequired: true }), { recipient: "#security-ops", userAuthorizationRequired: true });
    });

    it("property paths round-trip Pulumi's syntax", () => {
        assert.deepStrictEqual(parsePath('slacks[0].url'), ["slacks", 0, "url"]);
        assert.deepStrictEqual(parsePath('tags["cost-center"]'), ["tags", "cost-center"]);
        assert.deepStrictEqual(parsePath('labels["a.b]c"].x'), ["labels", "a.b]c", "x"]);
        for (const p of ["reviewers[0].teams", 'labels["a.b"]', "policy"]) assert.strictEqual(formatPath(parsePath(p)), p);
    });
});
