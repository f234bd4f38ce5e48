import * as assert from "assert";
import { Report, formatReport, runMutations } from "../../tools/mutate/run";
import { RULES } from "../../policy/rules";
import { ROOT } from "../harness";

/** The fast subset of `npm run mutate`: every other plan mutation, every stack-file mutation, one CLI run. */
describe("mutation harness (fast subset of npm run mutate)", function () {
    this.timeout(300_000);
    let report: Report;
    before(async () => { report = await runMutations(ROOT, { cli: 1, sample: 2 }); });

    it("runs at least 100 plan mutations and 80 stack-file mutations, valid variants among them", () => {
        assert.ok(report.plan >= 100, `${report.plan} plan mutations`);
        assert.ok(report.stack >= 80, `${report.stack} stack-file mutations`);
        assert.ok(report.outcomes.filter((o) => o.expect === "accepted").length >= 20);
    });

    it("catches every guarantee-defeating mutation, rejects no valid variant, echoes no secret", () => {
        const failures = report.outcomes.filter((o) => !o.ok || o.leaked);
        assert.deepStrictEqual(failures.map((o) => `${o.id}: ${o.detail}`), [], formatReport(report));
    });

    it("reports the kill rate per guarantee", () => {
        const text = formatReport(report);
        assert.match(text, /^plan \| destructive key actions need MFA \| \d+\/\d+ \(100 %\)/m);
        assert.match(text, /secrets echoed: 0$/m);
    });

    it("can fail: with the pack's MFA-deny rule taken out, its mutations survive and are named", async () => {
        const weakened = await runMutations(ROOT, { sample: 4, planOnly: true, rules: RULES.filter((r) => r.name !== "aws-kms-policy-mfa-deny") });
        const survivors = weakened.outcomes.filter((o) => !o.ok);
        assert.ok(survivors.length > 0 && survivors.every((o) => o.group === "destructive key actions need MFA"), formatReport(weakened));
        assert.match(formatReport(weakened), /FAIL .*mfa.*survived/);
    });
});
