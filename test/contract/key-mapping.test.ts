import * as assert from "assert";
import { KeyMapping, ceksToRewrap, cmkForCek, keyMappingSchema, rewrapSummary } from "../../contract/key-mapping";
import { stackOutputsSchema } from "../../contract/outputs";
import { stackRun } from "../harness";

const K = "arn:aws:kms:us-east-1:123456789012:key/";
const mapping: KeyMapping = {
    "app/pii": {
        keyArn: `${K}1111`, alias: "alias/app/pii", kind: "encrypt", keySpec: "SYMMETRIC_DEFAULT", rotation: "automatic", team: "dba", generations: {},
        databases: [
            { server: "sql-a", database: "Orders", columnMasterKey: "CMK_PII", columnEncryptionKeys: ["CEK_Card", "CEK_Name"], tdeProtectors: [] },
            { server: "sql-b", database: "Audit", columnMasterKey: "CMK_PII", columnEncryptionKeys: ["CEK_Name"], tdeProtectors: ["TDE_Audit"] },
        ],
    },
    "app/other": {
        keyArn: `${K}2222`, alias: "alias/app/other", kind: "encrypt", keySpec: "SYMMETRIC_DEFAULT", rotation: "automatic", team: "platform", generations: {},
        databases: [{ server: "sql-c", database: "Hr", columnMasterKey: "CMK_HR", columnEncryptionKeys: ["CEK_Salary"], tdeProtectors: [] }],
    },
    "app/signing": {
        keyArn: `${K}4444`, alias: "alias/app/signing", kind: "sign", keySpec: "ECC_NIST_P256", rotation: "generations", team: "api",
        generations: { g1: `${K}3333`, g2: `${K}4444` }, databases: [],
    },
};

describe("contract: CEK↔CMK mapping (contract/key-mapping.ts)", () => {
    it("answers which CMK protects CEK X, in every database that holds it, narrowed by server/database", () => {
        assert.deepStrictEqual(cmkForCek(mapping, "CEK_Salary"), [
            { keyName: "app/other", keyArn: `${K}2222`, alias: "alias/app/other", server: "sql-c", database: "Hr", columnMasterKey: "CMK_HR" },
        ]);
        assert.deepStrictEqual(cmkForCek(mapping, "CEK_Name").map((p) => `${p.server}/${p.database}`), ["sql-a/Orders", "sql-b/Audit"]);
        assert.deepStrictEqual(cmkForCek(mapping, "CEK_Name", { database: "Audit" }).map((p) => p.keyName), ["app/pii"]);
        assert.deepStrictEqual(cmkForCek(mapping, "CEK_Unknown"), []);
    });

    it("answers which CEKs must be re-wrapped when key Y rotates, by name, alias, ARN or key id", () => {
        const expected = [
            { server: "sql-a", database: "Orders", columnMasterKey: "CMK_PII", columnEncryptionKeys: ["CEK_Card", "CEK_Name"], tdeProtectors: [] },
            { server: "sql-b", database: "Audit", columnMasterKey: "CMK_PII", columnEncryptionKeys: ["CEK_Name"], tdeProtectors: ["TDE_Audit"] },
        ];
        for (const key of ["app/pii", "alias/app/pii", `${K}1111`, "1111"]) assert.deepStrictEqual(ceksToRewrap(mapping, key), expected, key);
        assert.deepStrictEqual(ceksToRewrap(mapping, `${K}3333`), [], "a previous signing generation protects no CEK");
        assert.throws(() => ceksToRewrap(mapping, "alias/nope"), /no key alias\/nope in the mapping/);
        assert.strictEqual(rewrapSummary(ceksToRewrap(mapping, "app/pii")),
            "sql-a/Orders: CEKs CEK_Card, CEK_Name (column master key CMK_PII) | sql-b/Audit: CEKs CEK_Name (column master key CMK_PII); TDE protectors TDE_Audit");
        assert.strictEqual(rewrapSummary([]), "no SQL Server keys depend on this key");
    });

    it("is published by prod as aws.keyMapping, valid against the contract, with the configured CEKs", async () => {
        const outputs = stackOutputsSchema.parse((await stackRun("prod")).outputs);
        const m = keyMappingSchema.parse(outputs.aws.keyMapping);
        assert.deepStrictEqual(cmkForCek(m, "CEK_User_PII").map((p) => [p.keyName, p.columnMasterKey, p.keyArn]),
            [["ledger-mind/prod/pii-redaction", "CMK_KMS_PII", outputs.aws.keyArns["ledger-mind/prod/pii-redaction"]]]);
        assert.deepStrictEqual(ceksToRewrap(m, outputs.aws.aliases["ledger-mind/prod/pii-redaction"]).flatMap((w) => w.columnEncryptionKeys),
            ["CEK_User_PII", "CEK_Payment_PII", "CEK_Audit_Actor"]);
        assert.strictEqual(m["ledger-mind/prod/compliance-signing"].kind, "sign");
        assert.strictEqual(m["ledger-mind/prod/compliance-signing"].rotation, "generations");
    });
});
