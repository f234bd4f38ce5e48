import * as assert from "assert";
import { cryptoKeyId } from "../../../components/gcp/cmek";

describe("gcp: CMEK helpers (components/gcp/cmek.ts, shared/gcp.ts)", () => {
    it("turns a key's resource name into the id kms.CryptoKeyIAMMember takes", () => {
        assert.strictEqual(cryptoKeyId("projects/ledgermind-prod/locations/us-central1/keyRings/audit/cryptoKeys/gcs-audit"),
            "ledgermind-prod/us-central1/audit/gcs-audit");
        assert.throws(() => cryptoKeyId("ledgermind-prod/us-central1/audit/gcs-audit"), /not a Cloud KMS key name/);
    });
});
