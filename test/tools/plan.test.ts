import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planInProcess, runPlanCli } from "../policy/plan-cli";

/** `npm run plan -- <args>` as package.json runs it: tools/plan-cli.js, which runs the plan's bundle (dist/plan/plan.js). */
const plan = (...args: string[]) => runPlanCli(args);

/** Every file under `dir`, relative, sorted. */
const filesIn = (dir: string): string[] => (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();

describe("tools: offline plan (contract)", () => {
    let dir: string;
    before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "kms-plan-")); });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    for (const stack of ["staging", "prod"]) {
        // One run is `npm run plan` in a fresh process (the bundle, with the SDK's stack capture skipped
        // and its leak detector lightened); the other main() of the unbundled modules in this test
        // process, which may have evaluated other stacks before: the bytes must not depend on time,
        // randomness, leftover state or on being bundled.
        it(`${stack}: npm run plan and main() in the test process write byte-identical files, plan.json with the documented shape`, async () => {
            const a = path.join(dir, `${stack}-a`);
            const b = path.join(dir, `${stack}-b`);
            for (const res of [plan("--stack", stack, "--out", a), await planInProcess(["--stack", stack, "--out", b])]) {
                assert.strictEqual(res.status, 0, res.stderr);
                assert.match(res.stdout, new RegExp(`plan kms-observability/${stack}: \\d+ resources`));
            }
            assert.deepStrictEqual(filesIn(a), filesIn(b));
            for (const f of filesIn(a)) {
                assert.ok(fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))), `${f} differs between npm run plan and main()`);
            }
            const first = fs.readFileSync(path.join(a, "plan.json"), "utf8");
            const doc = JSON.parse(first) as Record<string, unknown> & { resources: Record<string, unknown>[] };
            assert.deepStrictEqual(Object.keys(doc).sort(), ["outputs", "policy", "project", "providers", "resources", "stack"]);
            assert.strictEqual(doc.project, "kms-observability");
            assert.strictEqual(doc.stack, stack);
            const stackRes = doc.resources.find((r) => r.type === "pulumi:pulumi:Stack");
            assert.ok(stackRes, "the Stack resource is listed");
            for (const r of doc.resources) {
                assert.deepStrictEqual(Object.keys(r).sort(),
                    ["aliases", "dependsOn", "ignoreChanges", "import", "inputs", "name", "parent", "protect", "provider", "replaceWith", "retainOnDelete", "type", "urn"]);
                if (r !== stackRes) assert.ok(typeof r.parent === "string", `${String(r.urn)} has a parent`);
            }
        });
    }

    it("exits 2 on a usage error and on a missing stack file", async () => {
        assert.strictEqual((await planInProcess(["--stack"])).status, 2);
        assert.strictEqual(plan("--frobnicate").status, 2);
        const res = await planInProcess(["--stack", "nosuchstack", "--out", path.join(dir, "x")]);
        assert.strictEqual(res.status, 2);
        assert.match(res.stderr, /Pulumi\.nosuchstack\.yaml: no such file/);
    });
});
