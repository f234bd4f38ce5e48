import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseSettings } from "../../config/load";
import { evaluatePolicies, offlineContext } from "../../policy/evaluate";
import type { PlanResource } from "../../tools/engine";
import { PlanDocument, writePlan } from "../../tools/plan";
import { offlinePlaceholder } from "../../config/secrets";
import { SECRET_PLACEHOLDER, decoded } from "../../tools/stackfile";
import { runStack, stackConfig, withConfig } from "../harness";
import { runPlanCli } from "../policy/plan-cli";

/** Every file under `dir` with its content. */
function filesUnder(dir: string): { file: string; content: string }[] {
    return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile())
        .map((e) => path.join(e.parentPath, e.name))
        .map((file) => ({ file: path.relative(dir, file), content: fs.readFileSync(file, "utf8") }));
}

/** Paths of inputs whose value is the redaction marker, as `type name .a[0].b`. */
function secretInputs(resources: readonly PlanResource[]): string[] {
    const out: string[] = [];
    const walk = (v: unknown, p: string, r: PlanResource) => {
        if (v === "[secret]") out.push(`${r.type} ${r.name} ${p}`);
        else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${p}[${i}]`, r));
        else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, `${p}.${k}`, r);
    };
    resources.forEach((r) => walk(r.inputs, "", r));
    return out;
}

/** Credential-bearing inputs that must arrive redacted wherever the program sets them. */
function credentialInputs(resources: readonly PlanResource[]): { where: string; value: unknown }[] {
    const out: { where: string; value: unknown }[] = [];
    for (const r of resources) {
        if (r.type === "grafana:alerting/contactPoint:ContactPoint") {
            const list = (k: string) => (Array.isArray(r.inputs[k]) ? (r.inputs[k] as Record<string, unknown>[]) : []);
            list("slacks").forEach((s, i) => out.push({ where: `${r.name} slacks[${i}].url`, value: s.url }));
            list("pagerduties").forEach((p, i) => out.push({ where: `${r.name} pagerduties[${i}].integrationKey`, value: p.integrationKey }));
        }
        if (r.type === "grafana:oss/dataSource:DataSource" && r.inputs.secureJsonDataEncoded !== undefined) {
            out.push({ where: `${r.name} secureJsonDataEncoded`, value: r.inputs.secureJsonDataEncoded });
        }
    }
    return out;
}

describe("secret canary: no secret reaches a plan file or an output", () => {
    for (const stack of ["staging", "prod"]) {
        describe(`${stack}, through the plan CLI (secure: values become offline placeholders)`, () => {
            let dir: string;
            let cli: ReturnType<typeof runPlanCli>;
            before(() => {
                dir = fs.mkdtempSync(path.join(os.tmpdir(), "kms-canary-"));
                cli = runPlanCli(["--stack", stack, "--out", dir]);
            });
            after(() => fs.rmSync(dir, { recursive: true, force: true }));

            it("plans cleanly and writes plan.json and the rendered artifacts", () => {
                assert.strictEqual(cli.status, 0, cli.stderr);
                const names = filesUnder(dir).map((f) => f.file);
                assert.ok(names.includes("plan.json") && names.length > 1, names.join(", "));
            });

            it(`writes no ${SECRET_PLACEHOLDER} placeholder in any file, output or console line`, () => {
                const leaks = filesUnder(dir).filter((f) => f.content.includes(SECRET_PLACEHOLDER)).map((f) => f.file);
                assert.deepStrictEqual(leaks, []);
                assert.ok(!cli.stdout.includes(SECRET_PLACEHOLDER) && !cli.stderr.includes(SECRET_PLACEHOLDER));
            });

            it("shows every credential input as [secret] and keeps outputs free of secrets", () => {
                const plan = JSON.parse(fs.readFileSync(path.join(dir, "plan.json"), "utf8")) as PlanDocument;
                const creds = credentialInputs(plan.resources);
                assert.ok(creds.length > 0, "the stack sets no credential input: the canary would prove nothing");
                assert.deepStrictEqual(creds.filter((c) => c.value !== "[secret]"), []);
                assert.doesNotMatch(JSON.stringify(plan.outputs), /\[secret\]/);
            });
        });

        describe(`${stack}, with a distinct canary value in every secret key`, () => {
            let dir: string;
            let canaries: string[];
            let plan: PlanDocument;
            before(async () => {
                dir = fs.mkdtempSync(path.join(os.tmpdir(), "kms-canary-"));
                const base = stackConfig(stack);
                const keys = [...base.secretKeys];
                canaries = keys.map((k) => `canary-${stack}-${k.replace(/[^a-z0-9]/gi, "-")}-8d41f07b`);
                // The key file secret must look like one (its private_key carries the canary).
                const value = (k: string, c: string) => offlinePlaceholder(k, decoded(base.values), c);
                const raw = withConfig(base, Object.fromEntries(keys.map((k, i) => [k, value(k, canaries[i])])), keys);
                const run = await runStack(raw);
                plan = {
                    project: raw.project, stack, resources: run.resources, providers: {}, outputs: run.outputs,
                    policy: { violations: evaluatePolicies(run.resources, offlineContext(stack)) },
                };
                writePlan(dir, plan, parseSettings(raw));
            });
            after(() => fs.rmSync(dir, { recursive: true, force: true }));

            it("sets secrets in the stack (the canary has something to find)", () => {
                assert.ok(canaries.length >= 3, `only ${canaries.length} secret keys`);
                assert.ok(secretInputs(plan.resources).length > 0, "no input is marked secret");
            });

            it("writes no canary value into plan.json or any rendered file", () => {
                const files = filesUnder(dir);
                assert.ok(files.length > 1);
                const leaks = files.flatMap((f) => canaries.filter((c) => f.content.includes(c)).map((c) => `${f.file}: ${c}`));
                assert.deepStrictEqual(leaks, []);
            });

            it("returns no canary value in the stack outputs or the policy messages", () => {
                const text = JSON.stringify({ outputs: plan.outputs, policy: plan.policy });
                assert.deepStrictEqual(canaries.filter((c) => text.includes(c)), []);
            });
        });
    }
});
