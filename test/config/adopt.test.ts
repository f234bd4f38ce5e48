import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ADOPTABLE_TYPES, ADOPTION_SCOPE, adoptableResources } from "../../config/checks/adoption";
import { RawConfig, parseSettings } from "../../config/load";
import { ImportFile, importFile, main, urnOf } from "../../tools/adopt";
import { diffPlans, formatDiff } from "../../tools/diff";
import { ROOT, StackRun, editSection, rejects, runStack, stackConfig, stackRun, withConfig } from "../harness";

/** What the old scripts and consoles hold in prod, by logical name (issue 14, seed 000). */
const PROD_ADOPT = {
    "kms-audit-dataset": "projects/ledgermind-prod/datasets/kms_audit",
    "kms-audit-archive": "ledgermind-prod/ledgermind-kms-audit-logs",
    "kms-audit-bq": "projects/ledgermind-prod/sinks/kms-audit-bq",
    "kms-audit-gcs": "projects/ledgermind-prod/sinks/kms-audit-gcs",
    "kms-audit-data-access-cloudkms": "ledgermind-prod cloudkms.googleapis.com",
    "github-ai-finance-agent-oss-production": "ai-finance-agent-oss:production",
    "github-ai-finance-agent-oss-production-branch-main": "ai-finance-agent-oss:production:4113",
    "kms-dashboards-folder": "kms-observability",
    "kms-dashboards-kms-crypto-health": "kms-crypto-health",
    "aws-kms-governance-alerts-kms-critical": "arn:aws:sns:us-east-1:123456789012:ledgermind-prod-kms-critical",
    "aws-kms-keys-ledger-mind-prod-pii-redaction": "mrk-1234abcd12ab34cd56ef1234567890ab",
    "aws-kms-keys-ledger-mind-prod-pii-redaction-alias": "alias/ledger-mind/prod/pii-redaction",
};

const adopting = (raw: RawConfig, adopt: Record<string, string>) => withConfig(raw, { adopt });

/**
 * The URNs the real engine gives the run's resources: the parent's full qualified type chain, the root
 * stack left out (pulumi/pulumi pkg/resource/deploy/deployment.go generateURN). The mock monitor keeps
 * only the immediate parent's type and keeps the stack's (runtime/mocks.js newUrn), so plan URNs of
 * nested resources differ from the URNs `pulumi import` and `pulumi up` use.
 */
function engineUrns(run: StackRun, scope?: readonly string[]): Map<string, string> {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const qualified = (urn: string): string => {
        const r = byUrn.get(urn);
        if (!r) throw new Error(`no resource ${urn}`);
        const parent = r.parent ? byUrn.get(r.parent) : undefined;
        return parent && parent.type !== "pulumi:pulumi:Stack" ? `${qualified(parent.urn)}$${r.type}` : r.type;
    };
    const inScope = (urn: string) => {
        const parent = byUrn.get(byUrn.get(urn)?.parent ?? "");
        return scope === undefined || (parent !== undefined && scope.includes(parent.type));
    };
    return new Map(run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && inScope(r.urn)).map((r) => {
        const prefix = /^urn:pulumi:[^:]+::[^:]+::/.exec(r.urn)?.[0] ?? "";
        return [`${prefix}${qualified(r.urn)}::${r.name}`, r.type];
    }));
}

describe("adoption: kms-observability:adopt and npm run adopt (issue 14)", () => {
    let prod: StackRun;
    let adopted: StackRun;
    before(async () => {
        prod = await stackRun("prod");
        adopted = await runStack(adopting(stackConfig("prod"), PROD_ADOPT));
    });

    it("the catalogue is exactly what the program registers: same names, types and components, nothing adoptable missing", async () => {
        // An org scope, and branch and tag patterns with wildcards in the policies' names (on the repository
        // that rotates no key: a rotating environment takes exact refs only).
        const org = editSection(editSection(stackConfig("prod"), "gcp", (g) => { g.organizationId = "482310567019"; }), "github", (g) => {
            const repo = (g.repositories as Record<string, Record<string, Record<string, Record<string, unknown>>>>[])[1];
            Object.assign(repo.environments.production, { branches: ["main", "release/*"], tags: ["v1.*"] });
        });
        for (const [raw, run] of [[stackConfig("prod"), prod], [stackConfig("staging"), await stackRun("staging")], [org, await runStack(org)]] as const) {
            const s = parseSettings(raw);
            const expected = new Map(adoptableResources(s).map((r) => [urnOf(s.project, s.stack, r.parents, r.type, r.name), r.type]));
            const registered = engineUrns(run);
            for (const [urn, type] of expected) assert.strictEqual(registered.get(urn), type, `catalogue entry ${urn} is not registered by the program: update config/checks/adoption.ts`);
            for (const [urn, type] of engineUrns(run, ADOPTION_SCOPE)) {
                if (ADOPTABLE_TYPES.includes(type)) assert.ok(expected.has(urn), `${urn} is adoptable but missing from config/checks/adoption.ts`);
            }
        }
    });

    it("plans an import, with the configured id, for every adopted resource and for nothing else", () => {
        const imports = Object.fromEntries(adopted.resources.filter((r) => r.import).map((r) => [r.name, r.import]));
        assert.deepStrictEqual(imports, PROD_ADOPT);
        assert.strictEqual(prod.resources.filter((r) => r.import).length, 0, "no adopt section: nothing imported");
        // The adopted resources keep their options: the imported dataset stays protected in prod.
        const ds = adopted.one("gcp:bigquery/dataset:Dataset");
        assert.deepStrictEqual([ds.protect, ds.retainOnDelete, ds.import], [true, true, PROD_ADOPT["kms-audit-dataset"]]);
        assert.strictEqual(adopted.resources.length, prod.resources.length, "adoption changes no resource count");
    });

    it("the plan diff of a new stack lists the adopted resources as imports, not creates", () => {
        const changes = diffPlans([], adopted.resources);
        const imported = changes.filter((c) => c.kind === "import").map((c) => c.urn.slice(c.urn.lastIndexOf("::") + 2)).sort();
        assert.deepStrictEqual(imported, Object.keys(PROD_ADOPT).sort());
        assert.match(formatDiff(changes), new RegExp(`, ${imported.length} to import\n`));
        assert.match(formatDiff(changes), /- `=` import `gcp:bigquery\/dataset:Dataset` `kms-audit-dataset`/);
    });

    it("rejects an unknown logical name before any resource exists, naming the key and the nearest name", () => {
        rejects(adopting(stackConfig("prod"), { "kms-audit-datset": "projects/ledgermind-prod/datasets/kms_audit" }),
            "Pulumi.prod.yaml: kms-observability:adopt.kms-audit-datset = \"projects/ledgermind-prod/datasets/kms_audit\"",
            'unknown logical name "kms-audit-datset"', 'did you mean "kms-audit-dataset"', "npm run adopt");
        // An environment the stack does not manage is unknown too (prod manages production only).
        rejects(adopting(stackConfig("prod"), { "github-ai-finance-agent-oss-staging": "ai-finance-agent-oss:staging" }),
            "Pulumi.prod.yaml: kms-observability:adopt.github-ai-finance-agent-oss-staging", "unknown logical name");
    });

    it("rejects an id of the wrong form or of another resource than the one declared, with the documented format", () => {
        rejects(adopting(stackConfig("prod"), { "kms-audit-dataset": "projects/ledgermind-prod/datasets/other" }),
            "Pulumi.prod.yaml: kms-observability:adopt.kms-audit-dataset", "projects/{{project}}/datasets/{{dataset_id}}", "bigquery_dataset#import");
        rejects(adopting(stackConfig("prod"), { "kms-audit-bq": "kms-audit-bq" }), "Pulumi.prod.yaml: kms-observability:adopt.kms-audit-bq",
            "projects/{{project_id}}/sinks/{{name}}");
        rejects(adopting(stackConfig("prod"), { "aws-kms-keys-ledger-mind-prod-pii-redaction": "alias/ledger-mind/prod/pii-redaction" }),
            "Pulumi.prod.yaml: kms-observability:adopt.aws-kms-keys-ledger-mind-prod-pii-redaction", "describe-key");
        rejects(adopting(stackConfig("prod"), { "kms-audit-dataset": " " }), "Pulumi.prod.yaml: kms-observability:adopt.kms-audit-dataset", "not empty");
    });

    it("writes a bulk import file in pulumi import's format whose resources land on the program's URNs", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "adopt-"));
        const cfg = path.join(dir, "Pulumi.prod.yaml");
        const stackDoc = fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8") +
            "  kms-observability:adopt:\n" + Object.entries(PROD_ADOPT).map(([k, v]) => `    ${k}: "${v}"\n`).join("");
        fs.writeFileSync(cfg, stackDoc);
        const out = path.join(dir, "import.json");
        const write = process.stdout.write;
        let printed = "";
        process.stdout.write = ((s: string) => { printed += s; return true; }) as typeof process.stdout.write;
        try {
            assert.strictEqual(main(["--stack", "prod", "--config-file", cfg, "--out", out], ROOT), 0);
        } finally {
            process.stdout.write = write;
        }
        const file = JSON.parse(fs.readFileSync(out, "utf8")) as ImportFile;
        assert.deepStrictEqual(Object.keys(file), ["resources"]);
        const byName = new Map(file.resources.map((r) => [r.name, r]));
        assert.strictEqual(byName.size, file.resources.length, "names are unique (pulumi import refuses ambiguous names)");
        // Resolve URNs as pulumi import does (operations/import.go): parent type chain, then type and name.
        const qualified = (name: string): string => {
            const r = byName.get(name);
            if (!r) throw new Error(`parent ${name} has no entry`);
            return r.parent ? `${qualified(r.parent)}$${r.type}` : r.type;
        };
        const planUrns = new Set(engineUrns(adopted).keys());
        for (const r of file.resources) {
            assert.deepStrictEqual(Object.keys(r).filter((k) => !["type", "name", "id", "parent", "component"].includes(k)), [], JSON.stringify(r));
            if (r.component) assert.strictEqual(r.id, undefined, `${r.name}: a component has no id`);
            else assert.strictEqual(r.id, PROD_ADOPT[r.name as keyof typeof PROD_ADOPT], r.name);
            assert.ok(planUrns.has(`urn:pulumi:prod::kms-observability::${qualified(r.name)}::${r.name}`), `${r.name} lands on a URN of the program`);
        }
        assert.strictEqual(file.resources.filter((r) => !r.component).length, Object.keys(PROD_ADOPT).length);
        assert.match(printed, /pulumi import --file .*import\.json --generate-code=false/);
        assert.match(printed, /pulumi import 'gcp:bigquery\/dataset:Dataset' 'kms-audit-dataset' 'projects\/ledgermind-prod\/datasets\/kms_audit' --parent 'parent=urn:pulumi:prod::kms-observability::kms-observability:gcp:KmsAuditLogging::kms-audit'/);
        // Nested components are created in order: the alerts component under its governance parent.
        assert.deepStrictEqual(byName.get("aws-kms-governance-alerts"), {
            type: "kms-observability:aws:KeyEventAlerts", name: "aws-kms-governance-alerts", component: true, parent: "aws-kms-governance",
        });
        assert.deepStrictEqual(importFile([]), { resources: [] });
    });

    it("npm run adopt: usage error exits 2, an invalid adopt section exits 1", () => {
        const quiet = process.stderr.write;
        process.stderr.write = (() => true) as typeof process.stderr.write;
        try {
            assert.strictEqual(main(["--stak", "prod"], ROOT), 2);
            assert.strictEqual(main([], ROOT), 2);
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "adopt-"));
            const cfg = path.join(dir, "Pulumi.prod.yaml");
            fs.writeFileSync(cfg, fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8") + "  kms-observability:adopt:\n    nope: x\n");
            assert.strictEqual(main(["--stack", "prod", "--config-file", cfg], ROOT), 1);
        } finally {
            process.stderr.write = quiet;
        }
    });
});
