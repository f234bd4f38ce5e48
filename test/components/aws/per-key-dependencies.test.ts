import * as assert from "assert";
import { parseSettings } from "../../../config/load";
import { keySlug } from "../../../shared/limits";
import { StackRun, stackConfig, stackRun } from "../../harness";

/**
 * A resource about one key (its rotation notice rule and target, its due schedule, its usage metric
 * filters) depends on that key's resources and no other key's. Built from one Output of the whole
 * CEK↔CMK mapping, each would depend on every key: keys² dependencies in the engine's state, every
 * notice waiting for all keys to exist, and a plan whose cost grew with the square of the keys.
 */
describe("aws: per-key resources depend on their own key only", () => {
    for (const stack of ["prod", "staging"]) {
        it(`${stack}: rotation rules, targets, schedules and usage filters name only their key among the configured keys`, async () => {
            const run: StackRun = await stackRun(stack);
            const slugs = parseSettings(stackConfig(stack)).aws.keys.map((k) => keySlug(k.name));
            // The configured keys' resources: KmsKeys children named after a key (generations included).
            const keyUrns = run.resources.filter((r) => r.type === "aws:kms/key:Key" && r.parent?.includes("$kms-observability:aws:KmsKeys::"));
            const slugOf = (name: string) => slugs.filter((s) => name.includes(s)).sort((a, b) => b.length - a.length)[0];
            const perKey = run.resources.filter((r) => /RotationNotices::|KeyUsageAudit::/.test(r.parent ?? "") && slugOf(r.name) !== undefined);
            assert.ok(perKey.length >= 2 * slugs.length, `per-key resources found: ${perKey.map((r) => r.name).join(", ")}`);
            for (const r of perKey) {
                const own = slugOf(r.name);
                const others = keyUrns.filter((k) => r.dependsOn.includes(k.urn) && slugOf(k.name) !== own).map((k) => k.name);
                assert.deepStrictEqual(others, [], `${r.name} depends on other keys`);
                assert.ok(keyUrns.some((k) => r.dependsOn.includes(k.urn) && slugOf(k.name) === own), `${r.name} does not depend on its own key`);
            }
        });
    }
});
