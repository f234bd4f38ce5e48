import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { evaluatePolicies, offlineContext } from "../../policy/evaluate";
import { RULES } from "../../policy/rules";
import type { PlanDocument } from "../../tools/plan";
import { StackRun, editSection, stackConfig, stackRun, withConfig } from "../harness";
import { planInProcess, runPlanCli, writeStackFile } from "./plan-cli";

describe("policy: the real stacks and a violating one", () => {
    for (const stack of ["staging", "prod"]) {
        describe(`Pulumi.${stack}.yaml`, () => {
            let run: StackRun;
            before(async () => {
                run = await stackRun(stack);
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

    // protectStateful: false and a 7-day deletion window in prod are refused by the config layer
    // (config/tier.ts) before the pack could see them: see the next describe. The stack-stateful and
    // deletion-window rules keep their fixture cases in test/policy/cases.
    describe("a prod config that passes the config layer but breaks policy", () => {
        const expected = [
            // A 365-day retention also deletes archived entries at 365 days: two GCS rules fire.
            "gcp-bucket-lifecycle-keeps-retention", "gcp-bucket-retention-prod", "gcp-dataset-no-default-expiration",
        ];
        let dir: string;
        let result: ReturnType<typeof runPlanCli>;
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "kms-policy-"));
            const raw = editSection(stackConfig("prod"), "gcp", (s) => {
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
            // Each violation names the stack file and the config key behind it.
            // Each violation names the stack file and config key it comes from.
            assert.match(result.stderr, /\[gcp-bucket-retention-prod\][^\n]*\n\s+\(from Pulumi\.violations\.yaml: kms-observability:gcp\.bucket\.retentionDays\)/);
        });

        it("records exactly those rules in plan.json", () => {
            const plan = JSON.parse(fs.readFileSync(path.join(dir, "out", "plan.json"), "utf8")) as PlanDocument;
            const rules = [...new Set(plan.policy.violations.filter((v) => v.level === "mandatory").map((v) => v.policy))].sort();
            assert.deepStrictEqual(rules, expected);
        });
    });

    describe("a prod config that leaves stateful resources unprotected", () => {
        it("is refused before the pack runs: the plan exits 1 naming protectStateful and the deletion window", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kms-policy-"));
            try {
                const raw = editSection(withConfig(stackConfig("prod"), { protectStateful: false }), "aws", (s) => {
                    (s.keys as Record<string, unknown>[])[1].deletionWindowDays = 7;
                });
                const file = path.join(dir, "Pulumi.prod.yaml");
                writeStackFile(raw, file);
                const result = await planInProcess(["--stack", "prod", "--config-file", file, "--out", path.join(dir, "out")]);
                assert.strictEqual(result.status, 1, result.stderr);
                assert.match(result.stderr, /kms-observability:protectStateful = false: must be true in prod/);
                assert.match(result.stderr, /kms-observability:aws\.keys\[1\]\.deletionWindowDays = 7: must be 30 in prod/);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });
});
