/**
 * Whether the `secure:` values of a stack file can be real ciphertext of the secrets provider the file
 * declares. The CLI decrypts every value before the program runs, and a value it cannot decrypt stops
 * every preview with "validating stack config" naming no key: a fabricated value is worse than none.
 *
 * What real ciphertext looks like (pulumi/pulumi, read at 1b59498):
 * - Which provider: pkg/cmd/pulumi/stack/secrets.go GetSecretsManager — `secretsprovider` other than
 *   `passphrase`/`default` is a cloud KMS (awskms://, gcpkms://, azurekeyvault://, hashivault://) whose
 *   wrapped data key is `encryptedkey` (pkg/secrets/cloud/manager.go); else `encryptionsalt` selects the
 *   passphrase provider; else the backend's default, which for Pulumi Cloud writes none of these keys
 *   (pkg/secrets/service/manager.go clears them).
 * - Passphrase salt: `v1:<base64 8-byte salt>:<a v1 ciphertext>` (pkg/secrets/passphrase/manager.go).
 * - Passphrase and cloud values: AES-256-GCM, `v1:<base64 12-byte nonce>:<base64 ciphertext+16-byte tag>`
 *   (sdk/go/common/resource/config/crypt.go symmetricCrypter.EncryptValue).
 * - Pulumi Cloud values: base64 of the service's ciphertext, no `v1:` prefix (pkg/secrets/service/manager.go).
 * Ciphertext is random bytes: one that decodes to printable text was typed, not encrypted.
 */

const B64 = /^[A-Za-z0-9+/]+={0,2}$/;
const CLOUD_PROVIDERS = /^(awskms|gcpkms|azurekeyvault|hashivault):\/\/\S+$/;

function bytes(b64: string): Buffer | undefined {
    return B64.test(b64) && b64.length % 4 === 0 ? Buffer.from(b64, "base64") : undefined;
}

/** True when every byte is printable ASCII or whitespace: text, not ciphertext. */
const isText = (b: Buffer) => b.every((c) => (c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x0d || c === 0x09);

/** Problems of a `v1:<nonce>:<ciphertext>` AES-GCM value, or []. */
function symmetricProblems(v: string): string[] {
    const parts = v.split(":");
    if (parts.length !== 3 || parts[0] !== "v1") return ["is not v1:<nonce>:<ciphertext>"];
    const nonce = bytes(parts[1]);
    const ct = bytes(parts[2]);
    if (!nonce || nonce.length !== 12) return ["has no 12-byte base64 nonce"];
    if (!ct || ct.length < 17) return ["has no base64 ciphertext with its 16-byte GCM tag"];
    if (isText(ct)) return ["decodes to printable text: it was typed, not encrypted"];
    return [];
}

/** Every `secure:` value of a parsed stack file with its key path. */
function secureValues(v: unknown, path: string, out: { path: string; value: unknown }[]): void {
    if (v === null || typeof v !== "object") return;
    if (!Array.isArray(v) && Object.keys(v).length === 1 && "secure" in v) {
        out.push({ path, value: (v as { secure: unknown }).secure });
        return;
    }
    for (const [k, x] of Object.entries(v)) secureValues(x, Array.isArray(v) ? `${path}[${k}]` : path ? `${path}.${k}` : k, out);
}

/**
 * One line per `secure:` value of `doc` (a parsed stack file) that is not ciphertext of the file's
 * declared secrets provider, naming file, key and why; [] when every value can be real.
 */
export function secureValueProblems(doc: Record<string, unknown>, file: string): string[] {
    const found: { path: string; value: unknown }[] = [];
    secureValues(doc.config ?? {}, "", found);
    if (!found.length) return [];
    const salt = typeof doc.encryptionsalt === "string" ? doc.encryptionsalt : undefined;
    const provider = typeof doc.secretsprovider === "string" ? doc.secretsprovider : undefined;
    const key = typeof doc.encryptedkey === "string" ? doc.encryptedkey : undefined;
    const out: string[] = [];
    let symmetric = false;
    if (provider !== undefined && provider !== "passphrase" && provider !== "default") {
        if (!CLOUD_PROVIDERS.test(provider)) out.push(`${file}: secretsprovider = ${JSON.stringify(provider)}: not a secrets provider URL (awskms://, gcpkms://, azurekeyvault://, hashivault://)`);
        else if (!key || !bytes(key)) out.push(`${file}: secretsprovider ${provider} has no base64 encryptedkey (the wrapped data key): its values cannot be decrypted`);
        symmetric = true;
    } else if (salt !== undefined) {
        const [tag, saltB64, ...check] = salt.split(":");
        if (tag !== "v1" || bytes(saltB64 ?? "")?.length !== 8 || symmetricProblems(check.join(":")).length) {
            out.push(`${file}: encryptionsalt is not v1:<base64 8-byte salt>:<v1 ciphertext>, as pulumi stack init --secrets-provider passphrase writes it`);
        }
        symmetric = true;
    }
    for (const { path, value } of found) {
        const where = `${file}: ${path} = secure value`;
        if (typeof value !== "string") {
            out.push(`${where}: is not a string`);
        } else if (symmetric) {
            out.push(...symmetricProblems(value).map((p) => `${where}: ${p}`));
        } else if (value.startsWith("v1:")) {
            out.push(`${where}: is v1: ciphertext but the file declares no encryptionsalt (passphrase) or secretsprovider/encryptedkey (cloud KMS) ` +
                "to decrypt it with; remove it and set it with `pulumi config set --secret`");
        } else {
            const b = bytes(value);
            if (!b || b.length < 16) out.push(`${where}: is not base64 of Pulumi Cloud ciphertext`);
            else if (isText(b)) out.push(`${where}: decodes to printable text: it was typed, not encrypted`);
        }
    }
    return out;
}
