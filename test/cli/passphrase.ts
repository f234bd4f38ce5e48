import * as crypto from "crypto";

/**
 * Pulumi's passphrase secrets provider, as the CLI implements it (pulumi/pulumi at 1b59498):
 * - key: PBKDF2-SHA256 of the passphrase and an 8-byte salt, 1,000,000 iterations, 32 bytes
 *   (sdk/go/common/resource/config/crypt.go NewSymmetricCrypterFromPassphrase);
 * - values: AES-256-GCM, `v1:<base64 12-byte nonce>:<base64 ciphertext+tag>` (crypt.go symmetricCrypter);
 * - stack file `encryptionsalt`: `v1:<base64 salt>:<the encryption of "pulumi">`, which the CLI decrypts
 *   to check the passphrase (pkg/secrets/passphrase/manager.go NewPassphraseSecretsManager,
 *   symmetricCrypterFromPhraseAndState).
 * Used by the CLI harness to set secrets the way `pulumi config set --secret` does and to decrypt the
 * stack file before the run the way the CLI does: a value it cannot decrypt stops the run.
 */
export class PassphraseCrypter {
    private constructor(private readonly key: Buffer, readonly encryptionSalt: string) {}

    /** `pulumi stack init --secrets-provider passphrase`: a new salt. */
    static create(passphrase: string): PassphraseCrypter {
        const salt = crypto.randomBytes(8);
        const key = crypto.pbkdf2Sync(passphrase, salt, 1_000_000, 32, "sha256");
        const check = new PassphraseCrypter(key, "").encrypt("pulumi");
        return new PassphraseCrypter(key, `v1:${salt.toString("base64")}:${check}`);
    }

    /** The crypter of an existing stack file's `encryptionsalt`; throws on a wrong passphrase. */
    static open(passphrase: string, encryptionSalt: string): PassphraseCrypter {
        const [version, salt] = encryptionSalt.split(":");
        if (version !== "v1" || salt === undefined) throw new Error("malformed encryptionsalt");
        const key = crypto.pbkdf2Sync(passphrase, Buffer.from(salt, "base64"), 1_000_000, 32, "sha256");
        const c = new PassphraseCrypter(key, encryptionSalt);
        if (c.decrypt(encryptionSalt.split(":").slice(2).join(":")) !== "pulumi") throw new Error("incorrect passphrase");
        return c;
    }

    encrypt(plaintext: string): string {
        const nonce = crypto.randomBytes(12);
        const cipher = crypto.createCipheriv("aes-256-gcm", this.key, nonce);
        const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
        return `v1:${nonce.toString("base64")}:${ct.toString("base64")}`;
    }

    /** Throws "message authentication failed" (the CLI's words) when the value is not its ciphertext. */
    decrypt(value: string): string {
        const [version, nonceB64, ctB64] = value.split(":");
        if (version !== "v1" || nonceB64 === undefined || ctB64 === undefined) throw new Error("bad value: not v1:<nonce>:<ciphertext>");
        const nonce = Buffer.from(nonceB64, "base64");
        const ct = Buffer.from(ctB64, "base64");
        if (nonce.length !== 12) throw new Error("bad value: nonce size is incorrect");
        if (ct.length < 16) throw new Error("message authentication failed");
        const decipher = crypto.createDecipheriv("aes-256-gcm", this.key, nonce);
        decipher.setAuthTag(ct.subarray(ct.length - 16));
        try {
            return Buffer.concat([decipher.update(ct.subarray(0, ct.length - 16)), decipher.final()]).toString("utf8");
        } catch {
            throw new Error("message authentication failed");
        }
    }
}
