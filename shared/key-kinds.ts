/**
 * What a KMS key is for and what that implies (usage, specs, rotation): read by the config schema
 * (config/key-lifecycle.ts validates kinds and specs), the key documents (documents/aws/key-kinds.ts)
 * and the components.
 */

/** What a key is for. */
export const KEY_KINDS = ["encrypt", "sign", "mac"] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

/**
 * Key specs allowed per kind and the `keyUsage` each kind plans with (AWS KMS developer guide,
 * "Key spec reference": https://docs.aws.amazon.com/kms/latest/developerguide/asymmetric-key-specs.html).
 * RSA keys can also encrypt, but this stack's asymmetric keys only sign; SM2 exists only in China
 * Regions. `encrypt` is the symmetric default, the only spec AWS rotates automatically
 * (https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html).
 */
export const KIND_SPECS: Readonly<Record<KeyKind, readonly string[]>> = {
    encrypt: ["SYMMETRIC_DEFAULT"],
    sign: ["RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1"],
    mac: ["HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512"],
};
export const KIND_USAGE: Readonly<Record<KeyKind, "ENCRYPT_DECRYPT" | "SIGN_VERIFY" | "GENERATE_VERIFY_MAC">> = {
    encrypt: "ENCRYPT_DECRYPT",
    sign: "SIGN_VERIFY",
    mac: "GENERATE_VERIFY_MAC",
};

/** Kinds AWS rotates itself; the others rotate by generations behind a stable alias. */
export const autoRotates = (kind: KeyKind): boolean => kind === "encrypt";

/** The spec a key plans with: the configured one, or SYMMETRIC_DEFAULT for encrypt keys. */
export const keySpecOf = (k: { readonly kind: KeyKind; readonly keySpec?: string }): string => k.keySpec ?? KIND_SPECS[k.kind][0];
