import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { PlanDocument } from "../../../tools/plan";
import { planInProcess, runPlanCli } from "../../policy/plan-cli";

const plan = (...args: string[]) => runPlanCli(args);

describe("tools: offline plan writes key access and prints the access diff first", function () {
    this.timeout(120_000);
    let dir: string;
    before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "kms-access-")); });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("prod: access.md has a table per key and access.json every key; --diff lists a gained Decrypt before the resource diff", async () => {
        const base = path.join(dir, "base");
        const first = plan("--stack", "prod", "--out", base);
        assert.strictEqual(first.status, 0, first.stderr);
        const doc = JSON.parse(fs.readFileSync(path.join(base, "plan.json"), "utf8")) as PlanDocument;
        const keys = doc.resources.filter((r) => r.type === "aws:kms/key:Key");
        const access = JSON.parse(fs.readFileSync(path.join(base, "access.json"), "utf8")) as { keys: { urn: string }[] };
        assert.deepStrictEqual(access.keys.map((k) => k.urn).sort(), keys.map((k) => k.urn).sort());
        const md = fs.readFileSync(path.join(base, "access.md"), "utf8");
        assert.strictEqual((md.match(/^\| Principal \| Assumed by \|/gm) ?? []).length, keys.length);

        // The "old" plan: ledger-workers-prod was not yet a user of the PII key.
        const pii = doc.resources.find((r) => r.name.endsWith("pii-redaction") && r.type === "aws:kms/key:Key");
        assert.ok(pii);
        const policy = JSON.parse(String(pii.inputs.policy)) as { Statement: { Sid: string; Principal: { AWS: string[] } }[] };
        for (const s of policy.Statement) if (s.Principal?.AWS) s.Principal.AWS = s.Principal.AWS.filter((p) => !p.endsWith(":role/ledger-workers-prod"));
        pii.inputs.policy = JSON.stringify(policy);
        const old = path.join(dir, "old.json");
        fs.writeFileSync(old, JSON.stringify(doc));

        // The plan command's main() in this process, after the real run above.
        const res = await planInProcess(["--stack", "prod", "--out", path.join(dir, "next"), "--diff", old]);
        assert.strictEqual(res.status, 0, res.stderr);
        const access0 = res.stdout.indexOf("### Access changes: prod");
        assert.ok(access0 > 0 && access0 < res.stdout.indexOf("### Plan diff"), res.stdout);
        assert.match(res.stdout, /- ⚠ \*\*role ledger-workers-prod gains kms:Decrypt on `alias\/ledger-mind\/prod\/pii-redaction` \(production\) without MFA, from the key policy itself \(before: only if its IAM policies allowed\)\*\*/);
        // Its administration rights through IAM are the same as before, when it was "any other principal".
        assert.doesNotMatch(res.stdout, /ledger-workers-prod gains kms:PutKeyPolicy/);
        assert.strictEqual(fs.readFileSync(path.join(dir, "next", "diff.md"), "utf8"), res.stdout.slice(res.stdout.indexOf("### Access changes")));
    });
});
