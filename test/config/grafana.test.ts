import * as assert from "assert";
import { ConfigError } from "../../config/errors";
import { parseSettings } from "../../config/load";
import { RawConfig } from "../../config/load";
import { editSection, stackConfig, withConfig } from "../harness";

/** Parsing `raw` fails with a problem line starting `Pulumi.prod.yaml: kms-observability:<key>` and containing `text`. */
function rejects(raw: RawConfig, key: string, text: string | RegExp): void {
    assert.throws(() => parseSettings(raw), (e: ConfigError) => {
        const hit = e.problems.some((p) => p.startsWith(`Pulumi.prod.yaml: kms-observability:${key}`) &&
            (typeof text === "string" ? p.includes(text) : text.test(p)));
        if (!hit) assert.fail(`no problem for ${key} matching ${String(text)} in:\n${e.problems.join("\n")}`);
        return true;
    });
}

type Section = Record<string, unknown>;
const grafana = (edit: (g: Section) => void) => editSection(stackConfig("prod"), "grafana", (g) => edit(g as Section));
const sub = (g: Section, key: string) => g[key] as Section;

describe("config: grafana section (config/grafana.ts)", () => {
    it("reads both stack files; defaults fill what a stack leaves out", () => {
        const s = parseSettings(stackConfig("prod"));
        assert.strictEqual(s.grafana.folder.uid, "kms-observability");
        assert.deepStrictEqual(s.grafana.permissions.map((p) => p.team ?? p.role), ["security-ops", "sre-oncall", "platform"]);
        assert.strictEqual(s.grafana.audit.auth, "jwt");
        assert.strictEqual(parseSettings(stackConfig("staging")).grafana.permissions.length, 4);
        // Without grafana.prometheus Grafana signs AMP queries with its host's credentials: that role must be named
        // in amp.queryPrincipals to be granted the encrypted workspace's key (config/amp.ts).
        const minimal = parseSettings(editSection(grafana((g) => {
            delete g.folder; delete g.permissions; delete sub(g, "dashboards").refresh; delete g.prometheus;
            sub(g, "audit").auth = "gce"; delete sub(g, "audit").clientEmail;
        }), "amp", (a) => { a.queryPrincipals = ["arn:aws:iam::123456789012:role/grafana-host"]; }));
        assert.deepStrictEqual(minimal.grafana.folder, { uid: "kms-observability", title: "KMS Observability" });
        assert.deepStrictEqual(minimal.grafana.permissions, [{ role: "Viewer", permission: "View" }, { role: "Editor", permission: "Edit" }]);
        assert.strictEqual(minimal.grafana.dashboards.refresh, "30s");
        assert.strictEqual(minimal.grafana.prometheus.uid, "kms-prometheus");
        assert.deepStrictEqual(minimal.grafana.audit.sources, ["bigquery", "cloud-monitoring"]);
    });

    it("rejects a grant naming both a team and a role, or neither", () => {
        rejects(grafana((g) => { (g.permissions as Section[])[0].role = "Viewer"; }), "grafana.permissions[0]", "exactly one of team or role");
        rejects(grafana((g) => { delete (g.permissions as Section[])[0].team; }), "grafana.permissions[0]", "exactly one of team or role");
    });

    it("rejects an unknown permission level, an unknown role and an empty or duplicated grant list", () => {
        rejects(grafana((g) => { (g.permissions as Section[])[0].permission = "Write"; }), "grafana.permissions[0].permission = \"Write\"", "must be one of View, Edit, Admin");
        rejects(grafana((g) => { g.permissions = [{ role: "Owner", permission: "View" }]; }), "grafana.permissions[0].role", "must be one of Viewer, Editor, Admin");
        rejects(grafana((g) => { g.permissions = []; }), "grafana.permissions", "at least one grant");
        rejects(grafana((g) => { (g.permissions as Section[]).push({ team: "security-ops", permission: "View" }); }),
            "grafana.permissions[3]", "grants team security-ops twice");
    });

    it("rejects uids Grafana would refuse and data sources sharing a uid", () => {
        rejects(grafana((g) => { sub(g, "folder").uid = "kms observability"; }), "grafana.folder.uid", "must be a Grafana uid");
        rejects(grafana((g) => { sub(g, "folder").uid = "x".repeat(41); }), "grafana.folder.uid", "1-40 letters");
        rejects(grafana((g) => { sub(sub(g, "audit"), "bigQuery").uid = "kms-prometheus"; }), "grafana.prometheus.uid", "data source uids must differ");
    });

    it("rejects a refresh below 5s, a malformed time range and a health URL that is not a link or inserts unknown fields", () => {
        rejects(grafana((g) => { sub(g, "dashboards").refresh = "1s"; }), "grafana.dashboards.refresh", "at least 5s");
        rejects(grafana((g) => { sub(g, "dashboards").timeRange = "six hours"; }), "grafana.dashboards.timeRange", "must be a duration");
        rejects(grafana((g) => { sub(g, "dashboards").serviceHealthUrl = "api.ledger-mind.org/healthz"; }), "grafana.dashboards.serviceHealthUrl", "must be an http(s) URL");
        rejects(grafana((g) => { sub(g, "dashboards").serviceHealthUrl = "https://${__data.fields.host}/healthz"; }),
            "grafana.dashboards.serviceHealthUrl", "may only insert ${__data.fields.env} and ${__data.fields.service}");
        rejects(grafana((g) => { delete sub(g, "dashboards").serviceHealthUrl; }), "grafana.dashboards.serviceHealthUrl = (missing)", "is required; must be an http(s) URL of the health endpoint");
    });

    it("needs a Prometheus URL exactly when AMP is disabled", () => {
        const noAmp = editSection(stackConfig("prod"), "amp", (a) => { a.enabled = false; });
        rejects(noAmp, "grafana.prometheus.url", "must be set when amp.enabled is false");
        const withUrl = editSection(noAmp, "grafana", (g) => { sub(g as Section, "prometheus").url = "https://prometheus.ledger-mind.org"; });
        assert.strictEqual(parseSettings(withUrl).grafana.prometheus.url, "https://prometheus.ledger-mind.org");
        rejects(grafana((g) => { sub(g, "prometheus").url = "https://prometheus.ledger-mind.org"; }), "grafana.prometheus.url", "must not be set when amp.enabled is true");
        rejects(editSection(noAmp, "grafana", (g) => { sub(g as Section, "prometheus").url = "prometheus:9090"; }), "grafana.prometheus.url", "must be an http(s) URL");
    });

    it("rejects a SigV4 role that is not an IAM role ARN and an unknown SigV4 auth type", () => {
        rejects(grafana((g) => { sub(sub(g, "prometheus"), "sigV4").assumeRoleArn = "arn:aws:iam::123456789012:user/grafana"; }),
            "grafana.prometheus.sigV4.assumeRoleArn", "must be an IAM role ARN");
        rejects(grafana((g) => { sub(sub(g, "prometheus"), "sigV4").authType = "keys"; }), "grafana.prometheus.sigV4.authType", "must be default or ec2_iam_role");
    });

    it("rejects audit views it does not know, none at all, or one twice", () => {
        rejects(grafana((g) => { sub(g, "audit").sources = ["bigquery", "loki"]; }), "grafana.audit.sources[1]", "must be one of bigquery, cloud-monitoring");
        rejects(grafana((g) => { sub(g, "audit").sources = []; }), "grafana.audit.sources", "at least one of");
        rejects(grafana((g) => { sub(g, "audit").sources = ["bigquery", "bigquery"]; }), "grafana.audit.sources", "twice");
    });

    it("JWT auth needs the service account's email and the key secret; the key must be a secret", () => {
        rejects(grafana((g) => { delete sub(g, "audit").clientEmail; }), "grafana.audit.clientEmail", "must be set when audit.auth is jwt");
        rejects(grafana((g) => { sub(g, "audit").clientEmail = "grafana@gmail.com"; }), "grafana.audit.clientEmail", "must be a GCP service account email");
        rejects(withConfig(stackConfig("prod"), { grafanaAuditServiceAccountKey: undefined }), "grafanaAuditServiceAccountKey = (missing)", "required because grafana.audit.auth is jwt");
        const plaintext = withConfig(stackConfig("prod"), { grafanaAuditServiceAccountKey: "{\"type\":\"service_account\"}" });
        rejects(plaintext, "grafanaAuditServiceAccountKey = (plaintext, not shown)", "must be a secret");
        // The metadata server needs neither.
        const gce = withConfig(grafana((g) => { sub(g, "audit").auth = "gce"; delete sub(g, "audit").clientEmail; }), { grafanaAuditServiceAccountKey: undefined });
        assert.strictEqual(parseSettings(gce).grafana.audit.auth, "gce");
    });

    it("reports an unknown key with a did-you-mean hint", () => {
        rejects(grafana((g) => { g.permisions = []; }), "grafana.permisions", "did you mean \"permissions\"");
    });
});
