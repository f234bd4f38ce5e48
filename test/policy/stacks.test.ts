import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { evaluatePolicies, offlineContext } from "../../policy/evaluate";
import { RULES } from "../../policy/rules";
import type { PlanDocument } from "../../tools/plan";
import { StackRun, editSection, runStack, stackConfig, withConfig } from "../harness";
import { runPlanCli, writeStackFile } from "./plan-cli";

describe("policy: the real stacks and a violating one", () => {
    for (const stack of ["staging", "prod"]) {
        describe(`Pulumi.${stack}.yaml`, () => {
            let run: StackRun;
            before(async () => {
                run = await runStack(stackConfig(stack));
            });

            it("has no mandatory policy violation", () => {
                const mandatory = evaluatePolicies(run.resources, offlineContext(stack)).filter((v) => v.level === "mandatory");
                assert.deepStrictEqual(mandatory.map((v) => `[${v.policy}] ${v.urn}: ${v.message}`), []);
            });

            it("gives most rules something to check", () => {
                const types = new Set(run.resources.map((r) => r.type));
                const idle = RULES.filter((r) => !r.types.some((t) => types.has(t))).map((r) => r.name);
                console.log(`      ${stack}: ${RULES.length - idle.length}/${RULES.length} rules apply to its resources` + (idle.length ? ` (idle: ${idle.join(", ")})` : ""));
                assert.ok(RULES.length - idle.length >= 40, `only ${RULES.length - idle.length} rules see a resource`);
            });
        });
    }

    describe("a prod config that is valid but breaks policy", () => {
        const expected = [
            // A 365-day retention also deletes archived entries at 365 days: two GCS rules fire.
            "aws-kms-deletion-window-prod", "aws-kms-key-rotation", "gcp-bucket-lifecycle-keeps-retention", "gcp-bucket-retention-prod",
            "gcp-dataset-no-default-expiration", "stack-stateful-protected", "stack-stateful-retained",
        ];
        let dir: string;
        let result: ReturnType<typeof runPlanCli>;
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "kms-policy-"));
            let raw = withConfig(stackConfig("prod"), { protectStateful: false });
            raw = editSection(raw, "aws", (s) => {
                const keys = s.keys as Record<string, unknown>[];
                // keys[1] is the symmetric pii-redaction key (keys[0] signs, and AWS rotates no signing key).
                keys[1].rotationDays = 365;
                keys[1].deletionWindowDays = 7;
            });
            raw = editSection(raw, "gcp", (s) => {
                (s.bucket as Record<string, unknown>).retentionDays = 365;
                (s.dataset as Record<string, unknown>).tableExpirationDays = 90;
            });
            const file = path.join(dir, "Pulumi.violations.yaml");
            writeStackFile(raw, file);
            result = runPlanCli(["--stack", "prod", "--config-file", file, "--out", path.join(dir, "out")]);
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("makes the plan exit 3 and name each violated rule on stderr", () => {
            assert.strictEqual(result.status, 3, `exit ${result.status}\n${result.stderr}`);
            assert.match(result.stderr, /mandatory policy violation\(s\):/);
            for (const rule of expected) assert.ok(result.stderr.includes(`[${rule}]`), `stderr does not name ${rule}:\n${result.stderr}`);
        });

        it("records exactly those rules in plan.json", () => {
            const plan = JSON.parse(fs.readFileSync(path.join(dir, "out", "plan.json"), "utf8")) as PlanDocument;
            const rules = [...new Set(plan.policy.violations.filter((v) => v.level === "mandatory").map((v) => v.policy))].sort();
            assert.deepStrictEqual(rules, expected);
            const rotation = plan.policy.violations.find((v) => v.policy === "aws-kms-key-rotation");
            assert.match(rotation?.message ?? "", /rotationPeriodInDays = 365: must be at most 90/);
            assert.ok(plan.policy.violations.some((v) => v.policy === "stack-stateful-protected" && v.urn.endsWith("gcp:storage/bucket:Bucket::kms-audit-archive")));
        });
    });
});
