import * as assert from "assert";
import { RawConfig, parseSettings } from "../../config/load";
import { offlineContext } from "../../policy/evaluate";
import { editSection, problemsOf, stackConfig, stackRun, withConfig } from "../harness";

/** `raw` as the stack `stack` (its file named after it). */
const as = (raw: RawConfig, stack: string): RawConfig => ({ ...raw, stack, file: `Pulumi.${stack}.yaml` });

const problems = problemsOf;

describe("config: one answer to \"is this production\" (config/tier.ts)", () => {
    it("refuses a stack prd declaring environment prod: the policy pack would not treat it as production", () => {
        assert.strictEqual(offlineContext("prd").production, false);
        const found = problems(as(stackConfig("prod"), "prd"));
        assert.deepStrictEqual(found.length, 1, found.join("\n"));
        assert.match(found[0], /^Pulumi\.prd\.yaml: kms-observability:environment = "prod": stack "prd" is not a production stack name, so the policy pack applies no production rules to it; allowed: environment prod exactly on stacks named prod, production/);
    });

    it("refuses environment staging in the prod stack (it would publish environment: staging)", () => {
        const found = problems(withConfig(stackConfig("prod"), { environment: "staging" }));
        assert.ok(found.some((p) => p.startsWith("Pulumi.prod.yaml: kms-observability:environment = \"staging\": stack \"prod\" is a production stack name")), found.join("\n"));
    });

    it("accepts production names the pack recognises (prod-eu) and non-production names for staging (dev)", () => {
        assert.strictEqual(parseSettings(as(stackConfig("prod"), "prod-eu")).environment, "prod");
        assert.strictEqual(parseSettings(as(stackConfig("staging"), "dev")).environment, "staging");
    });

    it("requires protectStateful and the full deletion window of every key in prod", () => {
        let raw = withConfig(stackConfig("prod"), { protectStateful: false });
        raw = editSection(raw, "aws", (s) => {
            (s.keys as Record<string, unknown>[])[0].deletionWindowDays = 7;
            (s.topicKey as Record<string, unknown>).deletionWindowDays = 14;
        });
        assert.deepStrictEqual(problems(raw).map((p) => p.split(": must")[0]), [
            "Pulumi.prod.yaml: kms-observability:protectStateful = false",
            "Pulumi.prod.yaml: kms-observability:aws.keys[0].deletionWindowDays = 7",
            "Pulumi.prod.yaml: kms-observability:aws.topicKey.deletionWindowDays = 14",
        ]);
    });

    it("lets each stack file declare only its own tier's GitHub environment", () => {
        const addEnv = (stack: string, env: string) => editSection(stackConfig(stack), "github", (g) => {
            const repo = (g.repositories as Record<string, Record<string, unknown>>[])[0];
            repo.environments[env] = env === "production" ? { reviewers: { teams: ["security-ops"] }, branches: ["main"] } : { branches: ["main"] };
        });
        assert.match(problems(addEnv("prod", "staging")).join("\n"),
            /Pulumi\.prod\.yaml: kms-observability:github\.repositories\[0\]\.environments\.staging = .*: a prod stack manages only the production environment/);
        assert.match(problems(addEnv("staging", "production")).join("\n"),
            /Pulumi\.staging\.yaml: kms-observability:github\.repositories\[0\]\.environments\.production = .*: a staging stack manages only the staging environment/);
    });

    for (const stack of ["staging", "prod"]) {
        it(`publishes the validated environment in the ${stack} stack outputs`, async () => {
            const run = await stackRun(stack);
            assert.strictEqual(run.outputs.environment, stack);
        });
    }
});
