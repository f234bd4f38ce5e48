import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError } from "../../config/errors";
import { PlanResource } from "../../tools/engine";
import { diffPlans, replaceTable } from "../../tools/diff";
import { analyse } from "../../tools/gen-replace-table";
import { OUT_MARKER, PlanDocument, parseArgs } from "../../tools/plan";
import { readStackConfig } from "../../tools/stackfile";
import { ROOT, problemsOf, stackConfig, withConfig } from "../harness";
import { planInProcess, runPlanCli } from "../policy/plan-cli";

const prodFile = () => fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8");
const WEBHOOK = "https://hooks.slack.com/services/T0CANARY/B0CANARY/zzCanaryWebhook1234";

/** The problems parseSettings reports for a raw config, or [] when it is valid. */
const problems = problemsOf;

describe("hardening: the plan never deletes what it did not write (--out, --stack)", function () {
    this.timeout(120_000);
    let dir: string;
    before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "kms-out-")); });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("refuses a non-empty directory it did not write, and leaves every file in it", async () => {
        const out = path.join(dir, "precious");
        fs.mkdirSync(out);
        fs.writeFileSync(path.join(out, "thesis.tex"), "do not delete");
        const r = await planInProcess(["--stack", "staging", "--out", out]);
        assert.strictEqual(r.status, 2, r.stderr);
        assert.match(r.stderr, /not empty and was not written by the plan/);
        assert.deepStrictEqual(fs.readdirSync(out), ["thesis.tex"]);
    });

    it("rewrites its own directory, deleting only the files its marker lists", async () => {
        const out = path.join(dir, "mine");
        assert.strictEqual((await planInProcess(["--stack", "staging", "--out", out])).status, 0);
        assert.ok(fs.existsSync(path.join(out, OUT_MARKER)));
        fs.writeFileSync(path.join(out, "notes.md"), "mine, not the plan's");
        const r = await planInProcess(["--stack", "staging", "--out", out]);
        assert.strictEqual(r.status, 0, r.stderr);
        assert.strictEqual(fs.readFileSync(path.join(out, "notes.md"), "utf8"), "mine, not the plan's");
        assert.ok(fs.existsSync(path.join(out, "plan.json")));
    });

    for (const stack of ["..", ".", "../evil", "a/b", "prod\u0000", "x".repeat(101), "has space"]) {
        it(`refuses the stack name ${JSON.stringify(stack.slice(0, 12))} (Pulumi's stack name rule)`, () => {
            assert.throws(() => parseArgs(["--stack", stack]), /a stack name is 1-100 letters/);
        });
    }

    it("with --stack .. and --config-file, deletes nothing and exits 2", async () => {
        const copy = path.join(dir, "project-copy.yaml");
        fs.copyFileSync(path.join(ROOT, "Pulumi.staging.yaml"), copy);
        const r = await planInProcess(["--stack", "..", "--config-file", copy]);
        assert.strictEqual(r.status, 2);
        assert.ok(fs.existsSync(copy) && fs.existsSync(path.join(ROOT, "package.json")));
    });
});

describe("hardening: secrets and bad bytes in stack files", function () {
    this.timeout(120_000);
    let dir: string;
    before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "kms-bytes-")); });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, content: string | Buffer) => {
        const f = path.join(dir, name);
        fs.writeFileSync(f, content);
        return f;
    };

    it("never prints a plaintext secret under a misspelled key", () => {
        const p = problems(withConfig(stackConfig("prod"), { slackWebhookUrll: WEBHOOK }));
        assert.ok(p.some((m) => /slackWebhookUrll = \(not shown\): unknown key \(did you mean "slackWebhookUrl"\?\)/.test(m)), p.join("\n"));
        assert.ok(!p.join("\n").includes("zzCanaryWebhook"));
    });

    it("rejects a misspelled namespace with a hint, without its value", () => {
        const p = problems(withConfig(stackConfig("prod"), { "kms-observabilty:slackWebhookUrl": WEBHOOK }));
        assert.ok(p.some((m) => /unknown namespace "kms-observabilty" \(did you mean "kms-observability"\?\)/.test(m)), p.join("\n"));
        assert.ok(!p.join("\n").includes("zzCanaryWebhook"));
    });

    for (const key of ["aws:secretKey", "aws:accessKey", "aws:token", "gcp:credentials", "gcp:accessToken", "grafana:cloudAccessPolicyToken", "github:appAuth"]) {
        it(`rejects ${key} in plaintext, without echoing it`, () => {
            const p = problems(withConfig(stackConfig("prod"), { [key]: "AKIACANARY0000000000zzSecret" }));
            assert.ok(p.some((m) => m.includes(`${key} = (plaintext, not shown): must be a secret`)), p.join("\n"));
            assert.ok(!p.join("\n").includes("zzSecret"));
            assert.deepStrictEqual(problems(withConfig(stackConfig("prod"), { [key]: "offline-secret:x" }, [key])), []);
        });
    }

    it("rejects credentials in grafana:url and never writes them to plan.json", async () => {
        const p = problems(withConfig(stackConfig("prod"), { "grafana:url": "https://admin:zzHunter2@grafana.ledger-mind.org" }));
        assert.ok(p.some((m) => /grafana:url = \(not shown: it embeds credentials\)/.test(m)), p.join("\n"));
        assert.ok(!p.join("\n").includes("zzHunter2"));
        const f = write("Pulumi.userinfo.yaml", prodFile().replace("grafana:url: https://grafana.ledger-mind.org", "grafana:url: https://admin:zzHunter2@grafana.ledger-mind.org"));
        const out = path.join(dir, "userinfo-out");
        const r = await planInProcess(["--stack", "prod", "--config-file", f, "--out", out]);
        assert.strictEqual(r.status, 1, r.stderr);
        assert.ok(!r.stderr.includes("zzHunter2") && !fs.existsSync(path.join(out, "plan.json")));
    });

    it("reports a YAML syntax error by position, exit 1, without printing the line", async () => {
        const f = write("Pulumi.syntax.yaml", prodFile().replace("  kms-observability:protectStateful: true", `  kms-observability:slackWebhookUrl: [${WEBHOOK}\n  broken: {\n  kms-observability:protectStateful: true`));
        const r = await planInProcess(["--stack", "prod", "--config-file", f]);
        assert.strictEqual(r.status, 1, r.stderr);
        assert.match(r.stderr, /Pulumi\.syntax\.yaml:\d+:\d+ not valid YAML/);
        assert.ok(!r.stderr.includes("zzCanaryWebhook") && !r.stderr.includes("hooks.slack.com"), r.stderr);
        assert.doesNotMatch(r.stderr, /\n\s*\^/);
    });

    it("rejects bytes that are not UTF-8 instead of turning them into U+FFFD", () => {
        const bytes = Buffer.concat([Buffer.from(prodFile().replace("team: platform", "team: plat")), Buffer.from([0xff, 0xfe]), Buffer.from("\n")]);
        assert.throws(() => readStackConfig(ROOT, "prod", write("Pulumi.bytes.yaml", bytes)), (e: unknown) =>
            e instanceof ConfigError && /line \d+, near byte \d+: not valid UTF-8/.test(e.problems[0]));
    });

    it("rejects .inf and .nan, naming the key, instead of showing null", () => {
        const f = write("Pulumi.inf.yaml", prodFile().replace("retentionDays: 730", "retentionDays: .inf").replace("waitTimer: 0", "waitTimer: .nan"));
        assert.throws(() => readStackConfig(ROOT, "prod", f), (e: unknown) => e instanceof ConfigError &&
            e.problems.some((p) => p.includes("kms-observability:gcp.bucket.retentionDays = (a non-finite number)")) &&
            e.problems.some((p) => /waitTimer = \(a non-finite number\)/.test(p)) && !e.message.includes("null"));
    });

    it("cuts a huge value in messages, and the CLI's stderr arrives whole", () => {
        const huge = "x".repeat(1 << 20);
        const p = problems(withConfig(stackConfig("prod"), { "aws:region": huge }));
        assert.ok(p.every((m) => m.length < 400), `a message of ${Math.max(...p.map((m) => m.length))} characters`);
        // Many problems at once: more than a pipe buffer (64 KiB) of stderr, all of it delivered.
        const keys = Array.from({ length: 900 }, (_, i) => `  kms-observability:unknownKey${i}: ${"y".repeat(60)}`).join("\n");
        const f = write("Pulumi.many.yaml", prodFile().replace("config:\n", `config:\n${keys}\n`));
        const r = runPlanCli(["--stack", "prod", "--config-file", f]);
        assert.strictEqual(r.status, 1);
        assert.ok(r.stderr.length > 65_536, `stderr has ${r.stderr.length} bytes`);
        assert.match(r.stderr, /unknownKey899 = \(not shown\)/);
    });
});

describe("hardening: --diff precision and exit-code precedence", function () {
    this.timeout(120_000);
    const res = (type: string, name: string, inputs: Record<string, unknown>, protect = false): PlanResource => ({
        urn: `urn:pulumi:prod::kms-observability::${type}::${name}`, type, name, parent: null, protect, retainOnDelete: protect, dependsOn: [], provider: null, inputs,
    });
    const key = (inputs: Record<string, unknown>) => res("aws:kms/key:Key", "k", { keyUsage: "ENCRYPT_DECRYPT", ...inputs }, true);

    it("replaces every resource of a provider whose region or project changes, protected ones refused", () => {
        const resources = [key({}), res("gcp:storage/bucket:Bucket", "b", { name: "b" }, true)];
        const changes = diffPlans({ resources, providers: { "aws:region": "us-east-1", "gcp:project": "p" } },
            { resources, providers: { "aws:region": "eu-west-1", "gcp:project": "p" } });
        assert.deepStrictEqual(changes.map((c) => [c.type, c.kind, c.protectedViolation, c.keys]), [["aws:kms/key:Key", "replace", true, ["provider aws:region"]]]);
    });

    it("takes replacements from the providers' schemas: OIDC url, bucket customPlacementConfig", () => {
        const oidc = (url: string) => res("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "o", { url, clientIdLists: ["sts.amazonaws.com"] });
        assert.strictEqual(diffPlans([oidc("https://token.actions.githubusercontent.com")], [oidc("https://example.com")])[0].kind, "replace");
        const bucket = (c: unknown) => res("gcp:storage/bucket:Bucket", "b", { name: "b", customPlacementConfig: c }, true);
        const [c] = diffPlans([bucket({ dataLocations: ["US-EAST1", "US-WEST1"] })], [bucket({ dataLocations: ["US-EAST1", "US-CENTRAL1"] })]);
        assert.deepStrictEqual([c.kind, c.protectedViolation], ["replace", true]);
    });

    it("keeps the replace table in step with the provider packages it was generated for", () => {
        const deps = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies;
        const t = replaceTable();
        for (const [pkg, npm] of [["aws", "@pulumi/aws"], ["gcp", "@pulumi/gcp"], ["github", "@pulumi/github"], ["grafana", "@pulumiverse/grafana"]]) {
            assert.strictEqual(t.providers[pkg]?.package, `${npm}@${deps[npm]}`, `${npm} was upgraded: rerun tools/gen-replace-table.ts`);
        }
    });

    it("reads ForceNew, RequiresReplace and top-level defaults from provider sources, not nested ones", () => {
        const go = `Schema: map[string]*schema.Schema{
			"name": {
				Type:     schema.TypeString,
				ForceNew: true,
			},
			names.AttrKeyID: {
				Type:    schema.TypeString,
				Default: "SYMMETRIC_DEFAULT",
			},
			"lifecycle_rule": {
				Type: schema.TypeList,
				Elem: &schema.Resource{
					Schema: map[string]*schema.Schema{
						"age": {
							Type:     schema.TypeInt,
							ForceNew: true,
							Default:  3,
						},
					},
				},
			},
		},
Attributes: map[string]schema.Attribute{
			"uid": schema.StringAttribute{
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
		},`;
        const a = analyse([go]);
        assert.deepStrictEqual(a.replaceOnChanges, ["lifecycleRule", "lifecycleRules", "name", "uid"]);
        assert.deepStrictEqual(a.defaults, { keyId: "SYMMETRIC_DEFAULT" });
    });

    it("treats an explicit default (customerMasterKeySpec) as no change", () => {
        assert.deepStrictEqual(diffPlans([key({})], [key({ customerMasterKeySpec: "SYMMETRIC_DEFAULT" })]), []);
        assert.strictEqual(diffPlans([key({})], [key({ customerMasterKeySpec: "RSA_4096" })])[0].kind, "replace");
    });

    // The plan command's main(); the two --diff cases that must show no stack trace, and the 64 KiB
    // stderr case above, run it as a process.
    describe("through the CLI", () => {
        let dir: string;
        before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "kms-diffin-")); });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        for (const [what, content] of [["not JSON", "<html>not a plan</html>"], ["JSON but not a plan", "{\"resources\": 5}"]]) {
            it(`exits 2 without a stack trace when the --diff file is ${what}`, () => {
                const f = path.join(dir, `${what.replace(/\W/g, "")}.json`);
                fs.writeFileSync(f, content);
                const r = runPlanCli(["--stack", "staging", "--out", path.join(dir, `o-${what.replace(/\W/g, "")}`), "--diff", f]);
                assert.strictEqual(r.status, 2, r.stderr);
                assert.match(r.stderr, /--diff: .* (is not JSON|is not a plan\.json)/);
                assert.doesNotMatch(r.stderr, /\n\s+at |plan failed/);
                assert.ok(!r.stderr.includes("<html>"));
            });
        }

        it("a policy violation (3) is not hidden by a missing --diff file (2)", async () => {
            const f = path.join(dir, "Pulumi.unprotected.yaml");
            // protectStateful: false in prod is refused by the config layer (exit 1); a short retention reaches the pack.
            fs.writeFileSync(f, prodFile().replace("retentionDays: 730", "retentionDays: 365"));
            const r = await planInProcess(["--stack", "prod", "--config-file", f, "--out", path.join(dir, "o-policy"), "--diff", path.join(dir, "missing.json")]);
            assert.strictEqual(r.status, 3, r.stderr);
            assert.match(r.stderr, /gcp-bucket-retention-prod/);
            assert.match(r.stderr, /--diff: cannot read/);
        });

        it("records the provider settings plan.json was planned with, never a credential", async () => {
            const out = path.join(dir, "o-providers");
            assert.strictEqual((await planInProcess(["--stack", "prod", "--out", out])).status, 0);
            const plan = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8")) as PlanDocument;
            assert.deepStrictEqual(Object.keys(plan.providers).sort(), ["aws:region", "gcp:project", "gcp:region", "github:owner", "grafana:url"]);
        });
    });
});
