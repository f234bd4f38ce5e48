import * as assert from "assert";
import { parse } from "yaml";
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../../config/errors";
import { gcpSection } from "../../config/gcp";
import { parseSettings } from "../../config/load";
import { ROOT, editSection, stackConfig } from "../harness";

/** The gcp section of a stack file, as plain data to break. */
interface Doc { dataset: Record<string, unknown>; bucket: Record<string, unknown>; [key: string]: unknown }

/**
 * Expects parseSettings to reject the prod stack with `edit` applied to its gcp section, with a
 * problem line starting `Pulumi.prod.yaml: kms-observability:<prefix>` that matches `allowed`.
 */
function rejects(edit: (g: Doc) => void, prefix: string, allowed: RegExp): void {
    const raw = editSection(stackConfig("prod"), "gcp", (s) => edit(s as unknown as Doc));
    assert.throws(() => parseSettings(raw), (e: unknown) => {
        assert.ok(e instanceof ConfigError, String(e));
        const line = e.problems.find((p) => p.startsWith(`Pulumi.prod.yaml: kms-observability:${prefix}`));
        assert.ok(line, `no problem for ${prefix} in:\n${e.problems.join("\n")}`);
        assert.match(line, allowed);
        return true;
    });
}

describe("config: gcp section (config/gcp.ts)", () => {
    for (const stack of ["staging", "prod"]) {
        it(`accepts the gcp section of Pulumi.${stack}.yaml`, () => {
            const doc = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
            const gcp = gcpSection.parse(doc.config["kms-observability:gcp"]);
            assert.strictEqual(gcp.dataset.id, "kms_audit");
            assert.strictEqual(gcp.bucket.retentionDays, 730);
            assert.strictEqual(gcp.bucket.lockRetention, false);
        });
    }

    it("defaults: dataset kms_audit in US, tiers 30/90/180, 730-day unlocked retention, project scope", () => {
        const g = gcpSection.parse({ bucket: { name: "ledgermind-kms-audit-logs" } });
        assert.deepStrictEqual(g.dataset, { id: "kms_audit", location: "US" });
        assert.deepStrictEqual(g.bucket, {
            name: "ledgermind-kms-audit-logs", location: "US", retentionDays: 730, lockRetention: false,
            lifecycle: { nearlineAfterDays: 30, coldlineAfterDays: 90, archiveAfterDays: 180 },
        });
        assert.deepStrictEqual([g.extraAuditedServices, g.organizationId, g.folderId, g.labels], [[], undefined, undefined, {}]);
    });

    it("rejects an invalid dataset id", () => {
        rejects((g) => { g.dataset.id = "kms-audit"; },
            'gcp.dataset.id = "kms-audit": ', /must be a BigQuery dataset id: 1-1024 letters, digits or underscores/);
    });

    it("rejects invalid bucket names", () => {
        rejects((g) => { g.bucket.name = "LedgerMind_KMS"; },
            'gcp.bucket.name = "LedgerMind_KMS": ', /must be a Cloud Storage bucket name: 3-63 lower-case/);
        rejects((g) => { g.bucket.name = "audit.ledger-mind.org"; }, "gcp.bucket.name", /no dots/);
        rejects((g) => { g.bucket.name = "google-kms-audit"; }, "gcp.bucket.name", /must not start with "goog" or contain "google"/);
        rejects((g) => { delete g.bucket.name; }, "gcp.bucket.name = (missing): is required; ", /must be a Cloud Storage bucket name/);
    });

    it("rejects lifecycle ages out of order and tiers past the retention", () => {
        rejects((g) => { g.bucket.lifecycle = { nearlineAfterDays: 30, coldlineAfterDays: 20, archiveAfterDays: 180 }; },
            "gcp.bucket.lifecycle.coldlineAfterDays = 20: ", /must be greater than lifecycle\.nearlineAfterDays \(30\)/);
        rejects((g) => { g.bucket.lifecycle = { nearlineAfterDays: 30, coldlineAfterDays: 90, archiveAfterDays: 90 }; },
            "gcp.bucket.lifecycle.archiveAfterDays = 90: ", /must be greater than lifecycle\.coldlineAfterDays \(90\)/);
        rejects((g) => { g.bucket.retentionDays = 150; },
            "gcp.bucket.lifecycle.archiveAfterDays = 180: ", /must be less than retentionDays \(150\)/);
    });

    it("rejects a retention below 1 day", () => {
        rejects((g) => { g.bucket.retentionDays = 0; }, "gcp.bucket.retentionDays = 0: ", /must be an integer from 1 to 36500/);
        rejects((g) => { g.bucket.retentionDays = 0.5; }, "gcp.bucket.retentionDays = 0.5: ", /must be an integer/);
    });

    it("rejects a lock requested without retention", () => {
        rejects((g) => { g.bucket.retentionDays = null; g.bucket.lockRetention = true; },
            "gcp.bucket.lockRetention = true: ", /can only be true with a retention policy: set retentionDays/);
    });

    it("rejects an unknown log type, naming the entry", () => {
        rejects((g) => {
            g.extraAuditedServices = [{ service: "secretmanager.googleapis.com", logTypes: ["DATA_READ", "ADMIN_WRITE"] }];
        }, 'gcp.extraAuditedServices[0].logTypes[1] = "ADMIN_WRITE": ', /must be one of ADMIN_READ, DATA_READ, DATA_WRITE/);
    });

    it("never lets config remove Cloud KMS log types or list a service twice", () => {
        rejects((g) => { g.extraAuditedServices = [{ service: "cloudkms.googleapis.com", logTypes: ["ADMIN_READ"] }]; },
            'gcp.extraAuditedServices[0].service = "cloudkms.googleapis.com": ', /always audited with every log type/);
        rejects((g) => {
            g.extraAuditedServices = [{ service: "iam.googleapis.com" }, { service: "iam.googleapis.com" }];
        }, "gcp.extraAuditedServices[1].service", /listed twice/);
    });

    it("rejects both an organization and a folder scope", () => {
        rejects((g) => { Object.assign(g, { organizationId: "482310567019", folderId: "730512846201" }); },
            'gcp.folderId = "730512846201": ', /either organizationId or folderId, not both/);
    });

    it("rejects a CMEK key outside the data's location, and a malformed key name", () => {
        rejects((g) => { g.bucket.kmsKeyName = "projects/ledgermind-prod/locations/us/keyRings/audit/cryptoKeys/gcs"; },
            "gcp.bucket.kmsKeyName", /must be a key in location us-central1 \(the bucket's location\), not us/);
        rejects((g) => { g.dataset.kmsKeyName = "audit/gcs"; }, "gcp.dataset.kmsKeyName", /must be a Cloud KMS key name like projects\//);
    });
});
