import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { POLICY_DOC, renderPolicyDoc } from "../../policy/docs";
import { RULES } from "../../policy/rules";
import { ROOT } from "../harness";

describe("policy: docs/policy.md", () => {
    const doc = fs.readFileSync(path.join(ROOT, POLICY_DOC), "utf8");

    it("lists every rule with its description, as generated from the rules", () => {
        for (const r of RULES) assert.ok(doc.includes(`| \`${r.name}\` |`), `docs/policy.md lacks ${r.name}`);
        assert.strictEqual(doc, renderPolicyDoc(),
            "docs/policy.md and the rules disagree: regenerate it with `node tools/build.js && node dist/policy/docs.js`");
    });

    it("names no rule that does not exist", () => {
        const named = [...doc.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
        assert.deepStrictEqual(named.filter((n) => !RULES.some((r) => r.name === n)), []);
        assert.strictEqual(named.length, RULES.length);
    });
});
