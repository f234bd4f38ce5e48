import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseSettings } from "../../config/load";
import { fitLine, scaledStackFile } from "../../tools/bench";
import { readStackConfig } from "../../tools/stackfile";
import { ROOT } from "../harness";

describe("tools/bench: the scale series' inputs and fit", () => {
    it("a scaled stack file is the prod stack file with that many more valid keys", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-test-"));
        try {
            const file = path.join(dir, "Pulumi.prod.yaml");
            fs.writeFileSync(file, scaledStackFile(fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8"), 7));
            const scaled = parseSettings(readStackConfig(ROOT, "prod", file, { offline: true }));
            const prod = parseSettings(readStackConfig(ROOT, "prod", undefined, { offline: true }));
            assert.strictEqual(scaled.aws.keys.length, prod.aws.keys.length + 7);
            assert.deepStrictEqual(scaled.aws.keys.slice(0, prod.aws.keys.length), prod.aws.keys);
            assert.strictEqual(new Set(scaled.aws.keys.map((k) => k.name)).size, scaled.aws.keys.length, "generated key names are distinct");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("the fixed and marginal cost are the least-squares intercept and slope", () => {
        const { intercept, slope } = fitLine([[100, 1300], [250, 1450], [500, 1700]]);
        assert.ok(Math.abs(intercept - 1200) < 1e-9 && Math.abs(slope - 1) < 1e-12, `${intercept} ${slope}`);
        const noisy = fitLine([[0, 1], [1, 3], [2, 2]]);
        assert.ok(Math.abs(noisy.slope - 0.5) < 1e-12 && Math.abs(noisy.intercept - 1.5) < 1e-12, `${noisy.intercept} ${noisy.slope}`);
    });
});
