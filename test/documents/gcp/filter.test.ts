import * as assert from "assert";
import { gcpSection } from "../../../config/gcp";
import { auditSinkFilter, auditedServices, kmsAuditFilter } from "../../../documents/gcp/filter";

describe("gcp: audit filter (documents/gcp/filter.ts)", () => {
    it("selects the audit logs by name and Cloud KMS (and KMS Inventory) by service, never by resource type", () => {
        assert.strictEqual(kmsAuditFilter(),
            'logName:"cloudaudit.googleapis.com" AND ' +
            '(protoPayload.serviceName="cloudkms.googleapis.com" OR protoPayload.serviceName="kmsinventory.googleapis.com")');
        // The seed's filter kept only audited_resource entries, losing every cloudkms_cryptokey /
        // cloudkms_cryptokeyversion / cloudkms_keyring entry (Encrypt, Decrypt, DestroyCryptoKeyVersion...).
        assert.doesNotMatch(kmsAuditFilter(), /resource\.type/);
    });

    it("adds extra audited services inside the same parenthesised OR", () => {
        assert.strictEqual(auditSinkFilter(["secretmanager.googleapis.com"]),
            'logName:"cloudaudit.googleapis.com" AND (protoPayload.serviceName="cloudkms.googleapis.com" OR ' +
            'protoPayload.serviceName="kmsinventory.googleapis.com" OR protoPayload.serviceName="secretmanager.googleapis.com")');
    });

    it("audits Cloud KMS first with all three Data Access log types, then the configured services", () => {
        const gcp = gcpSection.parse({
            bucket: { name: "ledgermind-kms-audit-logs" },
            extraAuditedServices: [{ service: "secretmanager.googleapis.com" }, { service: "iam.googleapis.com", logTypes: ["ADMIN_READ"] }],
        });
        assert.deepStrictEqual(auditedServices(gcp), [
            { service: "cloudkms.googleapis.com", logTypes: ["ADMIN_READ", "DATA_READ", "DATA_WRITE"] },
            { service: "secretmanager.googleapis.com", logTypes: ["ADMIN_READ", "DATA_READ", "DATA_WRITE"] },
            { service: "iam.googleapis.com", logTypes: ["ADMIN_READ"] },
        ]);
    });
});
