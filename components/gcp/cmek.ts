import * as pulumi from "@pulumi/pulumi";
import * as bigquery from "@pulumi/gcp/bigquery";
import * as kms from "@pulumi/gcp/kms";
import * as storage from "@pulumi/gcp/storage";
import { parseKmsKeyName } from "../../shared/gcp";

/** `{project}/{location}/{keyRing}/{key}`: the id form `kms.CryptoKeyIAMMember` documents. */
export function cryptoKeyId(keyName: string): string {
    const k = parseKmsKeyName(keyName);
    return `${k.project}/${k.location}/${k.keyRing}/${k.key}`;
}

/**
 * Lets a service's agent use a CMEK key: BigQuery and Cloud Storage encrypt with their project's
 * service agent, not with the caller, and refuse to create the dataset/bucket until it holds
 * cryptoKeyEncrypterDecrypter on the key. Non-authoritative, so the key's other grants stay.
 * @param name logical name of the grant (derived from the caller's, e.g. `<component>-dataset-cmek`)
 * @param project the project whose service agent encrypts
 * @param service whose agent: BigQuery's or Cloud Storage's
 * @param keyName the key's full resource name, `projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>` (shared/gcp.ts `KMS_KEY_NAME`)
 * @param parent the component the grant belongs to
 */
export function cmekGrant(name: string, project: string, service: "bigquery" | "storage", keyName: string,
    parent: pulumi.Resource): kms.CryptoKeyIAMMember {
    const member = service === "bigquery"
        ? bigquery.getDefaultServiceAccountOutput({ project }, { parent }).member
        : storage.getProjectServiceAccountOutput({ project }, { parent }).member;
    return new kms.CryptoKeyIAMMember(name, {
        cryptoKeyId: cryptoKeyId(keyName),
        role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        member,
    }, { parent });
}
