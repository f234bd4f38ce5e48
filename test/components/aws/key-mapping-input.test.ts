import * as assert from "assert";
import { RotationNotices } from "../../../components/aws/rotation-notices";
import { mappingEntry } from "../../../components/aws/key-mapping-input";
import { parseSettings } from "../../../config/load";
import { KeyMappingEntry } from "../../../contract/key-mapping";
import { stackConfig } from "../../harness";
import { CTX, runAlone } from "../alone";

describe("aws: the key mapping as components take it (components/aws/key-mapping-input.ts)", () => {
    const entry = { keyArn: `arn:aws:kms:eu-west-1:${CTX.accountId}:key/k1`, generations: {} } as unknown as KeyMappingEntry;

    it("a key without an entry is reported with its name and the entries there are", () => {
        assert.throws(() => mappingEntry({ "app/data": entry }, "app/gone"), /the key mapping has no entry for app\/gone \(entries: app\/data\)/);
        assert.throws(() => mappingEntry({}, "app/gone"), /no entry for app\/gone \(entries: none\)/);
    });

    it("a component given a key the mapping lacks fails instead of leaving its notice out", async () => {
        const key = parseSettings(stackConfig("staging")).aws.keys[0];
        const role = (n: string) => `arn:aws:iam::${CTX.accountId}:role/${n}`;
        await assert.rejects(runAlone(() => {
            new RotationNotices("notices", {
                ctx: CTX, namePrefix: "acme", keys: [key], teamEmails: {}, deployers: [role("deployer")],
                topicKey: { rotationDays: 90, deletionWindowDays: 30 }, mapping: { "app/data": entry },
                adminRoleArn: role("Admin"), recoveryRoleArn: role("Recovery"),
            });
            return {};
        }), new RegExp(`no entry for ${key.name.replace(/[/.]/g, "\\$&")} \\(entries: app/data\\)`));
    });
});
