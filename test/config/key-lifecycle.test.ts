import * as assert from "assert";
import { RawConfig } from "../../config/load";
import { editSection, problemsOf, stackConfig } from "../harness";

type Edit = Parameters<typeof editSection>[2];
type Json = Parameters<Edit>[0][string];
const FILE = "Pulumi.prod.yaml: kms-observability:aws";
const prodWith = (edit: Edit): RawConfig => editSection(stackConfig("prod"), "aws", edit);
const key = (s: Record<string, Json>, i: number) => (s.keys as Record<string, Json>[])[i];
/** The config layer's problems for the edited prod file, "" when it accepts it. */
const problems = (edit: Edit): string => problemsOf(prodWith(edit)).join("\n");

describe("config: key kinds, generations, dependents, teams (config/key-lifecycle.ts)", () => {
    it("accepts each kind with its own key specs and rejects a spec of another kind", () => {
        for (const [kind, spec] of [["sign", "RSA_4096"], ["sign", "ECC_SECG_P256K1"], ["mac", "HMAC_512"]]) {
            assert.strictEqual(problems((s) => { Object.assign(key(s, 0), { kind, keySpec: spec }); }), "", `${kind} ${spec}`);
        }
        assert.match(problems((s) => { key(s, 0).keySpec = "HMAC_256"; }),
            new RegExp(`${FILE}\\.keys\\[0\\]\\.keySpec = "?HMAC_256"?: is not a key spec for kind sign: allowed RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256`));
        assert.match(problems((s) => { key(s, 1).keySpec = "RSA_2048"; }), /keys\[1\]\.keySpec.*not a key spec for kind encrypt: allowed SYMMETRIC_DEFAULT/);
        assert.match(problems((s) => { delete key(s, 0).keySpec; }), /keys\[0\]\.keySpec.*a sign key needs a keySpec/);
    });

    it("requires generations and a current one for kinds AWS cannot rotate, and refuses them on encrypt keys", () => {
        assert.match(problems((s) => { delete key(s, 0).generations; delete key(s, 0).current; }), /keys\[0\]\.generations.*rotated by generations/);
        assert.match(problems((s) => { key(s, 0).current = "g1999"; }), /keys\[0\]\.current.*must name one of the generations \(g2026-11\)/);
        assert.match(problems((s) => { key(s, 1).generations = [{ id: "g1", created: "2026-01-01" }]; key(s, 1).current = "g1"; }),
            /keys\[1\]\.generations.*encrypt keys rotate automatically/);
    });

    it("keeps the alias on the newest generation and a previous generation until a retirement date after the new one's creation", () => {
        const two = (extra: Record<string, Json>, current = "g2") => (s: Record<string, Json>) => {
            key(s, 0).generations = [{ id: "g1", created: "2026-08-01", ...extra }, { id: "g2", created: "2026-11-01" }];
            key(s, 0).current = current;
        };
        assert.strictEqual(problems(two({ retire: "2027-02-01" })), "");
        assert.strictEqual(problems(two({ retired: true })), "");
        assert.match(problems(two({})), /generations\[0\]\.retire.*needs its retirement date/);
        assert.match(problems(two({ retire: "2026-10-01" })), /generations\[0\]\.retire.*must not be before the current generation was created \(2026-11-01\)/);
        assert.match(problems(two({ retire: "2027-02-01" }, "g1")), /current.*must be the newest generation \(g2\)/);
        assert.match(problems(two({ retire: "2027-02-30" })), /retire.*real calendar date/);
        assert.match(problems((s) => { key(s, 0).generations = [{ id: "g2", created: "2026-11-01" }, { id: "g1", created: "2026-08-01", retire: "2027-01-01" }]; key(s, 0).current = "g1"; }),
            /generations\[1\]\.created.*must be after the previous generation's/);
    });

    it("maps CEKs and TDE protectors only to encrypt keys, each CEK to one key, with its column master key", () => {
        const dep = { server: "sql-1", database: "Db", columnMasterKey: "CMK_X", columnEncryptionKeys: ["CEK_A"] };
        assert.match(problems((s) => { key(s, 0).dependents = [dep]; }), /keys\[0\]\.dependents.*a sign key cannot wrap column encryption keys/);
        assert.match(problems((s) => { key(s, 1).dependents = [{ ...dep, columnMasterKey: undefined } as unknown as Json]; }),
            /dependents\[0\]\.columnMasterKey.*name the column master key/);
        assert.match(problems((s) => {
            (s.keys as Json[]).push({ name: "other", description: "d", dependents: [dep] });
            key(s, 1).dependents = [dep];
        }), /columnEncryptionKeys.*CEK sql-1\/Db\/CEK_A is already mapped to key ledger-mind\/prod\/pii-redaction/);
    });

    it("needs the team a key names, except the default platform team", () => {
        assert.match(problems((s) => { key(s, 1).team = "payments"; }), /keys\[1\]\.team = "?payments"?: is not a team of kms-observability:aws\.teams \(platform, ledger-api, dba\)/);
        assert.strictEqual(problems((s) => { delete key(s, 1).team; delete s.teams; key(s, 0).team = "platform"; }), "");
    });
});
