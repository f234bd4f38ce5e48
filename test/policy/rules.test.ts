import * as assert from "assert";
import { PACK_OBSERVES } from "../../policy/pack";
import { RULES } from "../../policy/rules";
import { CASES, CASE_TABLES } from "./cases";
import { Case } from "./cases/types";
import { offlineMessages, packMessages } from "./run-case";

const packSees = (names: readonly string[] | undefined) => (names ?? []).every((n) => (PACK_OBSERVES as readonly string[]).includes(n));

describe("policy: rules and their fixtures", () => {
    it("has at least 40 uniquely named, mandatory rules, each with passing and failing fixtures", () => {
        const names = RULES.map((r) => r.name);
        assert.deepStrictEqual(names.filter((n, i) => names.indexOf(n) !== i), [], "duplicate rule names");
        for (const r of RULES) {
            assert.match(r.name, /^(aws|gcp|github|grafana|stack)-[a-z0-9-]+$/, `rule name ${r.name}`);
            assert.strictEqual(r.enforcementLevel, "mandatory", r.name);
            assert.ok(r.types.length > 0 && r.description.length > 20, `${r.name} needs types and a description`);
        }
        const tabled = CASE_TABLES.flatMap((t) => Object.keys(t));
        assert.deepStrictEqual(tabled.filter((n, i) => tabled.indexOf(n) !== i), [], "a rule's cases appear in two tables");
        assert.deepStrictEqual(tabled.filter((n) => !names.includes(n)), [], "cases for rules that do not exist");
        const lacking = RULES.filter((r) => !CASES[r.name]?.pass.length || !CASES[r.name]?.fail.length).map((r) => r.name);
        const passing = RULES.reduce((n, r) => n + (CASES[r.name]?.pass.length ?? 0), 0);
        const failing = RULES.reduce((n, r) => n + (CASES[r.name]?.fail.length ?? 0), 0);
        const stackRules = RULES.filter((r) => r.kind === "stack").length;
        console.log(`      policy pack: ${RULES.length} rules (${RULES.length - stackRules} resource, ${stackRules} stack); ` +
            `${RULES.length - lacking.length}/${RULES.length} with passing and failing fixtures (${passing} passing, ${failing} failing cases)`);
        assert.deepStrictEqual(lacking, [], "rules without a passing and a failing fixture");
        assert.ok(RULES.length >= 40, `only ${RULES.length} rules`);
    });

    for (const rule of RULES) {
        describe(rule.name, () => {
            const cases = CASES[rule.name] ?? { pass: [], fail: [] };
            // A case without a resource the rule checks would pass vacuously.
            const relevant = (c: Case) => assert.ok(c.resources.some((r) => rule.types.includes(r.type)), "the case holds no resource of a type the rule checks");
            // The pack must report exactly what the offline plan reports, or declare itself not applicable.
            const agree = (c: Case, offline: string[]) => {
                const pack = packMessages(rule, c);
                if (packSees(rule.requires)) assert.deepStrictEqual(pack, offline, "the policy pack disagrees with the offline plan");
                else assert.strictEqual(pack, "not applicable", "a rule needing what packs cannot see must be not applicable there");
            };
            for (const c of cases.pass) {
                it(`passes: ${c.title}`, () => {
                    relevant(c);
                    const found = offlineMessages(rule, c);
                    assert.deepStrictEqual(found, [], `unexpected violation(s) in ${c.stack ?? "staging"}`);
                    agree(c, []);
                });
            }
            for (const c of cases.fail) {
                it(`fails: ${c.title}`, () => {
                    relevant(c);
                    const found = offlineMessages(rule, c);
                    assert.ok(found.length > 0, "no violation reported");
                    assert.ok(found.every((v) => v.level === "mandatory"), JSON.stringify(found));
                    if (c.expect) assert.ok(found.some((v) => c.expect!.test(v.message)), `no message matches ${c.expect}: ${JSON.stringify(found.map((v) => v.message))}`);
                    agree(c, found.map((v) => v.message));
                });
            }
        });
    }
});
