import * as assert from "assert";
import { KeyUsageAudit } from "../../../components/aws/key-usage";
import { mappingEntry } from "../../../components/aws/key-mapping-input";
import { KeyMappingEntry } from "../../../contract/key-mapping";
import { CTX, runAlone } from "../alone";

describe("aws: the key mapping as components take it (components/aws/key-mapping-input.ts)", () => {
    const entry = { keyArn: `arn:aws:kms:eu-west-1:${CTX.accountId}:key/k1`, generations: {} } as unknown as KeyMappingEntry;

    it("a key without an entry is reported with its name and the entries there are", () => {
        assert.throws(() => mappingEntry({ "app/data": entry }, "app/gone"), /the key mapping has no entry for app\/gone \(entries: app\/data\)/);
        assert.throws(() => mappingEntry({}, "app/gone"), /no entry for app\/gone \(entries: none\)/);
    });

    it("a component asked about a key the mapping lacks fails instead of leaving its filters out", async () => {
        await assert.rejects(runAlone(() => {
            new KeyUsageAudit("usage", {
                ctx: CTX, namePrefix: "acme", mapping: { "app/data": entry }, securityTopicArn: "arn:aws:sns:eu-west-1:123456789012:t",
                keyNames: ["app/gone"], cloudTrailLogGroupName: "org-trail",
            });
            return {};
        }), /no entry for app\/gone \(entries: app\/data\)/);
    });
});
