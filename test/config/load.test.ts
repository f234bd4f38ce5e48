import * as assert from "assert";
import { ConfigError } from "../../config/errors";
import { parseSettings } from "../../config/load";
import { stackConfig, withConfig } from "../harness";

describe("config: stack files", () => {
    for (const stack of ["staging", "prod"]) {
        it(`accepts Pulumi.${stack}.yaml`, () => {
            const s = parseSettings(stackConfig(stack));
            assert.strictEqual(s.environment, stack);
            assert.strictEqual(s.protectStateful, stack === "prod");
        });
    }

    it("reports unknown project keys with a did-you-mean hint", () => {
        const raw = withConfig(stackConfig("prod"), { enviroment: "prod" });
        assert.throws(() => parseSettings(raw), (e: ConfigError) =>
            e.problems.some((p) => p.startsWith("Pulumi.prod.yaml: kms-observability:enviroment = (not shown): unknown key (did you mean \"environment\"?)")));
    });
});
