import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Change, diffPlans, formatDiff } from "../../tools/diff";
import type { PlanDocument } from "../../tools/plan";
import { fixture } from "../harness";
import { planInProcess, runPlanCli } from "../policy/plan-cli";

const readPlan = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as PlanDocument;
const plan = (name: string) => readPlan(fixture("plans", `${name}.json`));
const KEYS = "urn:pulumi:prod::kms-observability::pulumi:pulumi:Stack$kms-observability:aws:KmsKeys$";
const GCP = "urn:pulumi:prod::kms-observability::pulumi:pulumi:Stack$kms-observability:gcp:KmsAuditLogging$";

/** kind and flag per URN, for readable assertions. */
const summary = (changes: Change[]) => Object.fromEntries(changes.map((c) => [c.urn, `${c.kind}${c.protectedViolation ? " PROTECTED" : ""}`]));

describe("tools/diff: plan diffs", () => {
    describe("diffPlans on fixture plans", () => {
        const changes = diffPlans(plan("before").resources, plan("after").resources);

        it("reports creates, updates, replaces and deletes, and nothing for unchanged resources", () => {
            assert.deepStrictEqual(summary(changes), {
                [`${KEYS}aws:cloudwatch/eventRule:EventRule::kms-critical-events`]: "create",
                [`${KEYS}aws:kms/alias:Alias::signing-alias`]: "replace",
                [`${KEYS}aws:kms/key:Key::pii`]: "replace PROTECTED",
                [`${KEYS}aws:kms/key:Key::signing`]: "update",
                [`${KEYS}aws:sns/topic:Topic::kms-critical`]: "update",
                [`${KEYS}aws:sns/topicSubscription:TopicSubscription::legacy-email`]: "delete",
                [`${GCP}gcp:bigquery/dataset:Dataset::kms-audit-dataset`]: "delete PROTECTED",
            });
        });

        it("names the inputs that changed", () => {
            const byUrn = new Map(changes.map((c) => [c.urn, c]));
            assert.deepStrictEqual(byUrn.get(`${KEYS}aws:kms/key:Key::pii`)?.keys, ["keyUsage"]);
            assert.deepStrictEqual(byUrn.get(`${KEYS}aws:kms/alias:Alias::signing-alias`)?.keys, ["name"]);
            assert.deepStrictEqual(byUrn.get(`${KEYS}aws:sns/topic:Topic::kms-critical`)?.keys, ["displayName"]);
        });

        it("formats a Markdown report that counts each kind and refuses the protected changes", () => {
            const md = formatDiff(changes);
            assert.match(md, /^### Plan diff: 1 to create, 2 to update, 2 to replace, 2 to delete$/m);
            assert.match(md, /^- `\+-` replace `aws:kms\/key:Key` `pii` \(keyUsage\) \*\*PROTECTED: refused\*\*$/m);
            assert.match(md, /^- `-` delete `gcp:bigquery\/dataset:Dataset` `kms-audit-dataset` \*\*PROTECTED: refused\*\*$/m);
            assert.match(md, /^- `-` delete `aws:sns\/topicSubscription:TopicSubscription` `legacy-email`$/m);
            assert.match(md, /^2 protected resource\(s\) would be deleted or replaced\./m);
        });

        it("flags nothing when only updates and creates happen", () => {
            const safe = diffPlans(plan("before").resources, plan("after-safe").resources);
            assert.deepStrictEqual(Object.values(summary(safe)).sort(), ["create", "update"]);
            assert.doesNotMatch(formatDiff(safe), /PROTECTED/);
        });

        it("reports no changes between a plan and itself", () => {
            assert.deepStrictEqual(diffPlans(plan("before").resources, plan("before").resources), []);
            assert.match(formatDiff([]), /No changes\./);
        });
    });

    describe("npm run plan -- --diff", () => {
        let dir: string;
        let current: PlanDocument;
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "kms-diff-"));
            const r = runPlanCli(["--stack", "prod", "--out", path.join(dir, "base")]);
            assert.strictEqual(r.status, 0, r.stderr);
            current = readPlan(path.join(dir, "base", "plan.json"));
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        // The base plan above is a real `npm run plan`; the diffs run its main() in this process.
        const diffAgainst = async (old: string, name: string) => {
            const out = path.join(dir, name);
            const r = await planInProcess(["--stack", "prod", "--out", out, "--diff", old]);
            return { ...r, report: fs.existsSync(path.join(out, "diff.md")) ? fs.readFileSync(path.join(out, "diff.md"), "utf8") : "" };
        };

        it("exits 0 and reports no changes against the same program's plan", async () => {
            const r = await diffAgainst(path.join(dir, "base", "plan.json"), "same");
            assert.strictEqual(r.status, 0, r.stderr);
            assert.match(r.report, /0 to create, 0 to update, 0 to replace, 0 to delete/);
            assert.match(r.stdout, /No changes\./);
        });

        it("exits 3 when a protected resource would be deleted (fixture plan with a retired key)", async () => {
            const r = await diffAgainst(fixture("plans", "retired-protected-key.json"), "retired");
            assert.strictEqual(r.status, 3, r.stderr);
            assert.match(r.report, /^- `-` delete `aws:kms\/key:Key` `retired-tde-key` \*\*PROTECTED: refused\*\*$/m);
            assert.match(r.stdout, /1 protected resource\(s\) would be deleted or replaced/);
        });

        it("exits 3 when a protected key would be replaced, and names the input that forces it", async () => {
            const key = current.resources.find((x) => x.type === "aws:kms/key:Key" && x.protect);
            assert.ok(key, "prod has a protected KMS key");
            const old: PlanDocument = { ...current, resources: current.resources.map((x) => (x.urn === key.urn ? { ...x, inputs: { ...x.inputs, keyUsage: "SIGN_VERIFY" } } : x)) };
            const file = path.join(dir, "old-key-usage.json");
            fs.writeFileSync(file, JSON.stringify(old));
            const r = await diffAgainst(file, "replaced");
            assert.strictEqual(r.status, 3, r.stderr);
            assert.match(r.report, /0 to create, 0 to update, 1 to replace, 0 to delete/);
            assert.ok(r.report.includes(`replace \`aws:kms/key:Key\` \`${key.name}\` (keyUsage) **PROTECTED: refused**`), r.report);
        });

        it("exits 0 for an unprotected delete and an update", async () => {
            const victim = current.resources.find((x) => x.type === "aws:sns/topicSubscription:TopicSubscription" && !x.protect);
            const updated = current.resources.find((x) => x.type === "aws:sns/topic:Topic");
            assert.ok(victim && updated);
            // The old plan had one more (unprotected) subscription and another display name.
            const extra = { ...victim, urn: `${victim.urn}-retired`, name: `${victim.name}-retired` };
            const old: PlanDocument = {
                ...current,
                resources: [...current.resources.map((x) => (x.urn === updated.urn ? { ...x, inputs: { ...x.inputs, displayName: "old name" } } : x)), extra],
            };
            const file = path.join(dir, "old-safe.json");
            fs.writeFileSync(file, JSON.stringify(old));
            const r = await diffAgainst(file, "safe");
            assert.strictEqual(r.status, 0, r.stderr);
            assert.match(r.report, /0 to create, 1 to update, 0 to replace, 1 to delete/);
            assert.doesNotMatch(r.report, /PROTECTED/);
        });
    });
});
