import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseSettings } from "../../config/load";
import { projectSchema, providerSchema } from "../../config/schema";
import { PROVIDER_TOKENS, SECRETS, SECRET_KEYS, requiredSecrets, setCommand } from "../../config/secrets";
import { SECRET_PLACEHOLDER, decoded, readStackConfig } from "../../tools/stackfile";
import { ROOT, problemsOf, withConfig } from "../harness";

const PROD_SECRETS = ["kms-observability:slackWebhookUrl", "kms-observability:slackCriticalWebhookUrl",
    "kms-observability:slackDefaultWebhookUrl", "kms-observability:pagerdutyRoutingKey", "kms-observability:smtpAuthPassword", "kms-observability:heartbeatPingUrl",
    "kms-observability:grafanaAuditServiceAccountKey"];
const STAGING_SECRETS = PROD_SECRETS.filter((k) => !k.endsWith("pagerdutyRoutingKey"));

/** A stack as a fresh clone has it: the committed file, no secret set yet. */
const fresh = (stack: string) => readStackConfig(ROOT, stack, undefined, { offline: false });

const problems = problemsOf;

const KEY_JSON = (over: Record<string, unknown> = {}) => JSON.stringify({
    type: "service_account", project_id: "ledgermind-prod", private_key_id: "3f1c",
    private_key: "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC-not-a-real-key\n-----END PRIVATE KEY-----\n",
    client_email: "grafana-kms-audit@ledgermind-prod.iam.gserviceaccount.com", ...over,
}, null, 2);

describe("config: secrets (config/secrets.ts)", () => {
    for (const [stack, expected] of [["prod", PROD_SECRETS], ["staging", STAGING_SECRETS]] as const) {
        it(`reports every secret ${stack} lacks in one error, each with its stack file and set command`, () => {
            const found = problems(fresh(stack));
            const missing = found.filter((p) => p.includes("= (missing)"));
            assert.deepStrictEqual(missing.map((p) => p.split(" = ")[0]), expected.map((k) => `Pulumi.${stack}.yaml: ${k}`), found.join("\n"));
            assert.strictEqual(found.length, expected.length, found.join("\n"));
            for (const p of missing) assert.match(p, new RegExp(`set it with: pulumi config set --secret --stack ${stack} \\S+:\\S+ `));
        });
    }

    it("lists every missing secret even when other keys are wrong too", () => {
        const found = problems(withConfig(fresh("prod"), { protectStateful: "maybe", enviroment: "prod" }));
        assert.strictEqual(found.filter((p) => p.includes("= (missing)")).length, PROD_SECRETS.length, found.join("\n"));
    });

    it("gives the offline plan a marked placeholder for each missing secret, marked secret", () => {
        const raw = readStackConfig(ROOT, "prod");
        assert.deepStrictEqual([...(raw.supplied ?? [])].sort(), [...PROD_SECRETS].sort());
        for (const k of PROD_SECRETS) {
            assert.ok(raw.secretKeys.has(k), k);
            assert.ok(raw.values[k].includes(`${SECRET_PLACEHOLDER}${k}`), k);
        }
        assert.doesNotThrow(() => parseSettings(raw));
    });

    describe("grafanaAuditServiceAccountKey: the key file's text, as the CLI hands it (a string holding JSON)", () => {
        const withKey = (text: string) => withConfig(readStackConfig(ROOT, "prod"), { grafanaAuditServiceAccountKey: text }, ["grafanaAuditServiceAccountKey"]);

        it("accepts the key file as set from `< key.json` and keeps its text untouched", () => {
            const s = parseSettings(withKey(KEY_JSON()));
            assert.strictEqual(s.grafanaAuditServiceAccountKey?.reveal(), KEY_JSON());
        });

        for (const [what, text, expect] of [
            ["not JSON", "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----", /does not parse as JSON/],
            ["another kind of key", KEY_JSON({ type: "authorized_user" }), /"type" is not "service_account"/],
            ["no project_id", KEY_JSON({ project_id: undefined }), /"project_id" is missing/],
            ["no private key", KEY_JSON({ private_key: "abc" }), /"private_key" is missing or not a PEM/],
            ["another account's key", KEY_JSON({ client_email: "other-sa@ledgermind-prod.iam.gserviceaccount.com" }), /belongs to other-sa@.*not to grafana\.audit\.clientEmail/],
        ] as const) {
            it(`rejects ${what}, without printing the key`, () => {
                const found = problems(withKey(text)).filter((p) => p.includes("grafanaAuditServiceAccountKey"));
                assert.strictEqual(found.length, 1, found.join("\n"));
                assert.match(found[0], expect);
                assert.ok(found[0].startsWith("Pulumi.prod.yaml: kms-observability:grafanaAuditServiceAccountKey = \"[secret]\""), found[0]);
                assert.doesNotMatch(found[0], /BEGIN PRIVATE KEY|MIIE|abc/);
            });
        }
    });

    it("covers exactly the schema's secret keys (secretString, top-level)", () => {
        const inner = (t: { _zod: { def: { type: string; innerType?: unknown } } }): string =>
            t._zod.def.type === "optional" ? inner(t._zod.def.innerType as typeof t) : t._zod.def.type;
        const secretKeys = [
            ...Object.entries(projectSchema.shape).filter(([, t]) => inner(t) === "custom").map(([k]) => `kms-observability:${k}`),
            ...Object.entries(providerSchema.shape).filter(([, t]) => inner(t) === "custom").map(([k]) => k),
        ];
        assert.deepStrictEqual([...SECRET_KEYS].sort(), secretKeys.sort());
    });

    it("README lists, per stack, exactly the secrets the schema requires, with their commands", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const section = readme.split("### Secrets each stack needs")[1]?.split("\n## ")[0] ?? "";
        assert.ok(section, "README has no 'Secrets each stack needs' section");
        for (const stack of ["staging", "prod"]) {
            const needed = requiredSecrets(decoded(fresh(stack).values)).map((r) => r.spec);
            const rows = section.split("\n").filter((l) => l.startsWith("| `"));
            for (const spec of SECRETS) {
                const row = rows.find((l) => l.startsWith(`| \`${spec.key}\` `));
                assert.ok(row, `README lacks a row for ${spec.key}`);
                const cells = row.split("|").map((c) => c.trim());
                const column = stack === "staging" ? cells[2] : cells[3];
                assert.strictEqual(column === "yes", needed.includes(spec), `${spec.key} for ${stack}: README says "${column}"`);
            }
            for (const spec of needed) assert.ok(section.includes(setCommand(spec, stack)), `README lacks: ${setCommand(spec, stack)}`);
        }
        for (const t of PROVIDER_TOKENS) {
            assert.ok(section.includes(`| \`${t.key}\` | no, or \`${t.env}\` | no, or \`${t.env}\` |`), `README lacks the row of ${t.key} (or ${t.env})`);
        }
    });
});
