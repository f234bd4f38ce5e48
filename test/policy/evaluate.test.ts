import * as assert from "assert";
import * as path from "path";
import { execFileSync } from "child_process";
import { evaluatePolicies, offlineContext } from "../../policy/evaluate";
import { isProductionStack, stackOfUrn } from "../../policy/rule";
import { RULES } from "../../policy/rules";
import { planResources } from "./run-case";
import { res } from "./cases/types";
import { ROOT } from "../harness";

describe("policy: evaluation in the offline plan", () => {
    it("tells production stacks by name, as both runtimes see it", () => {
        for (const s of ["prod", "production", "prod-eu", "eu.prod", "PROD_us"]) assert.ok(isProductionStack(s), s);
        for (const s of ["staging", "preprod", "product", "dev", "prod2"]) assert.ok(!isProductionStack(s), s);
        assert.strictEqual(stackOfUrn("urn:pulumi:prod-eu::kms-observability::aws:kms/key:Key::k"), "prod-eu");
        assert.throws(() => stackOfUrn("arn:aws:kms:us-east-1:1:key/k"), /not a Pulumi URN/);
    });

    it("skips a rule that reads a value unknown during preview, with an advisory note", () => {
        const resources = planResources({ title: "key policy not yet known", resources: [res("aws:kms/key:Key", { enableKeyRotation: true, rotationPeriodInDays: 90, policy: "[unknown]" }, { name: "k" })] });
        const found = evaluatePolicies(resources, offlineContext("staging"), RULES.filter((r) => r.name.startsWith("aws-kms-")));
        const unknown = found.filter((v) => v.level === "advisory");
        assert.ok(unknown.length >= 5, JSON.stringify(found));
        assert.ok(unknown.every((v) => v.message === "can't run policy during preview: policy is unknown during preview"));
        // Rules that do not read the unknown value still judge the key.
        assert.deepStrictEqual(found.filter((v) => v.level === "mandatory").map((v) => v.policy), ["aws-kms-key-has-alias"]);
    });

    it("files a stack-wide finding against the stack resource", () => {
        const resources = planResources({ title: "a key and no detection", stack: "prod", resources: [res("aws:kms/key:Key", { enableKeyRotation: true }, { name: "k" })] });
        const [v] = evaluatePolicies(resources, offlineContext("prod"), RULES.filter((r) => r.name === "aws-events-kms-detection"));
        assert.strictEqual(v.urn, "urn:pulumi:prod::kms-observability::pulumi:pulumi:Stack::kms-observability-prod");
        assert.strictEqual(v.level, "mandatory");
    });

    it("loads the rules without the policy SDK or the pack entry point (which would start a gRPC server)", () => {
        const probe = `require(${JSON.stringify(path.join(ROOT, "dist", "tools", "plan.js"))});` +
            "console.log(JSON.stringify(Object.keys(require.cache).filter((k) => /@pulumi[\\/]policy[\\/]|dist[\\/]policy[\\/]index\\.js$/.test(k))))";
        assert.strictEqual(execFileSync(process.execPath, ["-e", probe], { encoding: "utf8", timeout: 30_000 }).trim(), "[]");
    });
});
