import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { stripSecrets } from "../../tools/scratch-stack";
import { ROOT } from "../harness";

describe("tools/scratch-stack: the pull-request live check's stack file", () => {
    for (const stack of ["staging", "prod"]) {
        it(`${stack}: every secure: value is removed and listed to be set again as a placeholder; the rest is kept`, () => {
            const src = fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");
            const { text, secretKeys } = stripSecrets(src);
            assert.ok(!/^\s+secure:/m.test(text), "no ciphertext of the real stack's secrets provider is left");
            assert.ok(secretKeys.includes("kms-observability:slackWebhookUrl"));
            const before = (parse(src) as { config: Record<string, unknown> }).config;
            const after = (parse(text) as { config: Record<string, unknown> }).config;
            assert.deepStrictEqual(Object.keys(after).sort(), Object.keys(before).filter((k) => !secretKeys.includes(k)).sort());
            assert.deepStrictEqual(after["kms-observability:aws"], before["kms-observability:aws"]);
        });
    }

    it("drops the real stack's secrets-provider settings (the scratch stack uses its own passphrase)", () => {
        const { text } = stripSecrets("secretsprovider: awskms://alias/x\nencryptedkey: abc\nconfig:\n  a:b: c\n");
        assert.deepStrictEqual(parse(text), { config: { "a:b": "c" } });
    });
});
