import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { secureValueProblems } from "../../tools/stackfile";
import { ROOT, fixture } from "../harness";

/** A value as Pulumi's symmetric crypter writes it: AES-256-GCM, `v1:<nonce>:<ciphertext+tag>` (config/crypt.go). */
function v1(plaintext: string, key = crypto.randomBytes(32)): string {
    const nonce = crypto.randomBytes(12);
    const c = crypto.createCipheriv("aes-256-gcm", key, nonce);
    const ct = Buffer.concat([c.update(plaintext, "utf8"), c.final(), c.getAuthTag()]);
    return `v1:${nonce.toString("base64")}:${ct.toString("base64")}`;
}

const doc = (extra: Record<string, unknown>, secure: string) => ({ ...extra, config: { "grafana:auth": { secure } } });

describe("stack files: committed secure: values are real ciphertext of a declared secrets provider", () => {
    for (const stack of ["staging", "prod"]) {
        it(`Pulumi.${stack}.yaml holds no value the CLI could not decrypt`, () => {
            const file = `Pulumi.${stack}.yaml`;
            assert.deepStrictEqual(secureValueProblems(parse(fs.readFileSync(path.join(ROOT, file), "utf8")) as Record<string, unknown>, file), []);
        });
    }

    it("rejects the fabricated values committed before (v1: base64 of words, no encryptionsalt/secretsprovider)", () => {
        const problems = secureValueProblems(parse(fs.readFileSync(fixture("stackfiles", "fabricated.yaml"), "utf8")) as Record<string, unknown>, "fabricated.yaml");
        assert.deepStrictEqual(problems.map((p) => p.split(" = ")[0]), ["fabricated.yaml: grafana:auth", "fabricated.yaml: github:token"]);
        assert.match(problems[0], /declares no encryptionsalt \(passphrase\) or secretsprovider\/encryptedkey/);
    });

    it("accepts passphrase ciphertext with its encryptionsalt, and refuses typed text in that format", () => {
        const salt = `v1:${crypto.randomBytes(8).toString("base64")}:${v1("pulumi")}`;
        assert.deepStrictEqual(secureValueProblems(doc({ encryptionsalt: salt }, v1("glsa_token")), "f"), []);
        const typed = `v1:${crypto.randomBytes(12).toString("base64")}:${Buffer.from("staging-grafana-token-ciphertext").toString("base64")}`;
        assert.match(secureValueProblems(doc({ encryptionsalt: salt }, typed), "f").join(), /decodes to printable text/);
        assert.match(secureValueProblems(doc({ encryptionsalt: "v1:abc" }, v1("x")), "f").join(), /encryptionsalt is not/);
    });

    it("accepts cloud-KMS ciphertext with secretsprovider and encryptedkey, not without the key", () => {
        const provider = { secretsprovider: "awskms://alias/pulumi-secrets?region=us-east-1", encryptedkey: crypto.randomBytes(48).toString("base64") };
        assert.deepStrictEqual(secureValueProblems(doc(provider, v1("x")), "f"), []);
        assert.match(secureValueProblems(doc({ secretsprovider: provider.secretsprovider }, v1("x")), "f").join(), /no base64 encryptedkey/);
    });

    it("accepts Pulumi Cloud ciphertext (base64, no v1:, nothing declared) and refuses base64 of text", () => {
        assert.deepStrictEqual(secureValueProblems(doc({}, crypto.randomBytes(64).toString("base64")), "f"), []);
        assert.match(secureValueProblems(doc({}, Buffer.from("prod-grafana-service-account-token").toString("base64")), "f").join(), /printable text/);
    });
});
