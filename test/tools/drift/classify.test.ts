import * as assert from "assert";
import { COSMETIC, TYPE_CLASSES, classify, isClassified } from "../../../tools/drift/classify";
import { driftFromPlans } from "../../../tools/drift/plans";
import type { PlanDocument } from "../../../tools/plan";
import { PlanResource } from "../../../tools/engine";
import { stackRun } from "../../harness";

/** The plan document of a stack, as `npm run plan` writes it (same engine, same redaction). */
async function planOf(stack: "staging" | "prod"): Promise<PlanDocument> {
    const run = await stackRun(stack);
    return { project: "kms-observability", stack, resources: run.resources, providers: {}, outputs: run.outputs, policy: { violations: [] } };
}

/** A copy of `plan` whose resource `pick` has inputs edited by `edit`: what the cloud holds after a hand edit. */
function handEdited(plan: PlanDocument, pick: (r: PlanResource) => boolean, edit: (inputs: Record<string, unknown>) => void): { observed: PlanDocument; urn: string } {
    const observed = JSON.parse(JSON.stringify(plan)) as PlanDocument;
    const target = observed.resources.find(pick);
    assert.ok(target, "the plan has the resource to edit");
    edit(target.inputs);
    return { observed, urn: target.urn };
}

describe("tools: drift classification", () => {
    let prod: PlanDocument;
    let staging: PlanDocument;
    before(async () => { prod = await planOf("prod"); staging = await planOf("staging"); });

    it("every resource type the staging and prod stacks create has a classification", () => {
        const types = [...new Set([...prod.resources, ...staging.resources].map((r) => r.type))].sort();
        assert.ok(types.length > 30, `expected the whole program, got ${types.length} types`);
        assert.deepStrictEqual(types.filter((t) => !isClassified(t)), [],
            "add these types to TYPE_CLASSES in tools/drift/classify.ts (critical if they grant, route, audit or protect)");
    });

    it("an unknown type is critical and says it is unclassified; an unknown property takes the type's class", () => {
        assert.deepStrictEqual(classify("aws:ec2/instance:Instance", "ami"), { class: "critical", control: "unclassified resource type", known: false });
        assert.strictEqual(classify("aws:kms/key:Key", "somethingNew").class, "critical");
        assert.strictEqual(classify("grafana:oss/dashboard:Dashboard", "somethingNew").class, "warning");
    });

    /** Each hand edit a security team must hear about, on the real prod plan: critical. */
    const critical: [string, string, (r: PlanResource) => boolean, (i: Record<string, unknown>) => void][] = [
        ["environment protection: required reviewers removed", "reviewers",
            (r) => r.type === "github:index/repositoryEnvironment:RepositoryEnvironment" && r.inputs.environment === "production", (i) => { i.reviewers = []; }],
        ["environment protection: admins may bypass", "canAdminsBypass",
            (r) => r.type === "github:index/repositoryEnvironment:RepositoryEnvironment", (i) => { i.canAdminsBypass = true; }],
        ["branch policy: any branch may deploy", "branchPattern",
            (r) => r.type === "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy", (i) => { i.branchPattern = "*"; }],
        ["key policy widened", "policy",
            (r) => r.type === "aws:kms/key:Key", (i) => { i.policy = JSON.stringify({ Version: "2012-10-17", Statement: [] }); }],
        ["key rotation disabled", "enableKeyRotation", (r) => r.type === "aws:kms/key:Key", (i) => { i.enableKeyRotation = false; }],
        ["key deletion window shortened", "deletionWindowInDays", (r) => r.type === "aws:kms/key:Key", (i) => { i.deletionWindowInDays = 7; }],
        ["key disabled", "isEnabled", (r) => r.type === "aws:kms/key:Key", (i) => { i.isEnabled = false; }],
        ["IAM trust widened", "assumeRolePolicy", (r) => r.type === "aws:iam/role:Role", (i) => { i.assumeRolePolicy = "{}"; }],
        ["IAM permissions widened", "policy", (r) => r.type === "aws:iam/rolePolicy:RolePolicy", (i) => { i.policy = "{}"; }],
        ["audit config: data-access logs off", "auditLogConfigs", (r) => r.type === "gcp:projects/iAMAuditConfig:IAMAuditConfig", (i) => { i.auditLogConfigs = []; }],
        ["log sink filter narrowed", "filter", (r) => r.type === "gcp:logging/projectSink:ProjectSink", (i) => { i.filter = "false"; }],
        ["dataset access granted", "member", (r) => r.type === "gcp:bigquery/datasetIamMember:DatasetIamMember", (i) => { i.member = "allUsers"; }],
        ["bucket retention shortened", "retentionPolicy", (r) => r.type === "gcp:storage/bucket:Bucket", (i) => { i.retentionPolicy = { retentionPeriod: "1" }; }],
        ["SNS topic policy opened", "policy", (r) => r.type === "aws:sns/topicPolicy:TopicPolicy", (i) => { i.policy = "{}"; }],
        ["detection disabled", "state", (r) => r.type === "aws:cloudwatch/eventRule:EventRule", (i) => { i.state = "DISABLED"; }],
        ["Alertmanager definition edited", "definition", (r) => r.type === "aws:amp/alertManagerDefinition:AlertManagerDefinition", (i) => { i.definition = "route: {}"; }],
        ["Grafana notification policy re-routed", "policies", (r) => r.type === "grafana:alerting/notificationPolicy:NotificationPolicy", (i) => { i.policies = []; }],
        ["Grafana contact point re-pointed", "emails", (r) => r.type === "grafana:alerting/contactPoint:ContactPoint", (i) => { i.emails = []; }],
        ["Grafana folder permissions widened", "permissions", (r) => r.type === "grafana:oss/folderPermission:FolderPermission", (i) => { i.permissions = [{ role: "Viewer", permission: "Admin" }]; }],
        ["Grafana data source re-pointed", "jsonDataEncoded", (r) => r.type === "grafana:oss/dataSource:DataSource", (i) => { i.jsonDataEncoded = "{}"; }],
        ["dashboard moved to another folder", "folder", (r) => r.type === "grafana:oss/dashboard:Dashboard", (i) => { i.folder = "general"; }],
    ];
    for (const [what, property, pick, edit] of critical) {
        it(`critical: ${what}`, () => {
            const { observed, urn } = handEdited(prod, pick, edit);
            const report = driftFromPlans(prod, observed);
            assert.deepStrictEqual(report.drift.map((d) => [d.urn, d.class]), [[urn, "critical"]]);
            assert.ok(report.drift[0].properties.some((p) => p.path.split(/[.[#]/)[0] === property && p.class === "critical"), JSON.stringify(report.drift[0].properties));
        });
    }

    /** Cosmetic hand edits: warnings, and only warnings. */
    const cosmetic: [string, (r: PlanResource) => boolean, (i: Record<string, unknown>) => void][] = [
        ["key description", (r) => r.type === "aws:kms/key:Key", (i) => { i.description = "edited"; }],
        ["key tags", (r) => r.type === "aws:kms/key:Key", (i) => { i.tags = { owner: "someone" }; }],
        ["bucket labels", (r) => r.type === "gcp:storage/bucket:Bucket", (i) => { i.labels = {}; }],
        ["dataset description", (r) => r.type === "gcp:bigquery/dataset:Dataset", (i) => { i.description = "edited"; }],
        ["role description", (r) => r.type === "aws:iam/role:Role", (i) => { i.description = "edited"; }],
        ["dashboard title", (r) => r.type === "grafana:oss/dashboard:Dashboard",
            (i) => { i.configJson = JSON.stringify({ ...JSON.parse(String(i.configJson)) as object, title: "Renamed" }); }],
        ["folder title", (r) => r.type === "grafana:oss/folder:Folder", (i) => { i.title = "Renamed"; }],
        ["topic display name", (r) => r.type === "aws:sns/topic:Topic", (i) => { i.displayName = "renamed"; }],
    ];
    for (const [what, pick, edit] of cosmetic) {
        it(`warning: ${what}`, () => {
            const { observed, urn } = handEdited(prod, pick, edit);
            const report = driftFromPlans(prod, observed);
            assert.deepStrictEqual(report.drift.map((d) => [d.urn, d.class]), [[urn, "warning"]]);
            assert.ok(report.drift[0].properties.every((p) => p.class === "warning"));
        });
    }

    it("a resource with one cosmetic and one critical change is critical; a deleted environment is critical, a deleted dashboard a warning", () => {
        const { observed } = handEdited(prod, (r) => r.type === "aws:kms/key:Key", (i) => { i.tags = {}; i.enableKeyRotation = false; });
        assert.deepStrictEqual(driftFromPlans(prod, observed).drift.map((d) => d.class), ["critical"]);
        const gone = JSON.parse(JSON.stringify(prod)) as PlanDocument;
        gone.resources = gone.resources.filter((r) => r.type !== "github:index/repositoryEnvironment:RepositoryEnvironment" && r.type !== "grafana:oss/dashboard:Dashboard");
        const report = driftFromPlans(prod, gone);
        assert.ok(report.drift.length > 0 && report.drift.every((d) => d.kind === "missing" && d.revert === "create"));
        for (const d of report.drift) assert.strictEqual(d.class, d.type.startsWith("github:") ? "critical" : "warning", d.urn);
    });

    it("names the changed leaf, not the whole property: a re-pointed Slack recipient is slacks[0].recipient", () => {
        const { observed } = handEdited(prod, (r) => r.type === "grafana:alerting/contactPoint:ContactPoint" && Array.isArray(r.inputs.slacks),
            (i) => { (i.slacks as Record<string, unknown>[])[0].recipient = "#random"; });
        const [d] = driftFromPlans(prod, observed).drift;
        assert.deepStrictEqual(d.properties.map((p) => [p.path, p.class, p.observed]), [["slacks[0].recipient", "critical", "#random"]]);
    });

    it("a trust policy's GitHub subject widened by hand is shown in full, not mistaken for a token", () => {
        const { observed } = handEdited(prod, (r) => r.type === "aws:iam/role:Role" && String(r.inputs.assumeRolePolicy).includes("token.actions"), (i) => {
            i.assumeRolePolicy = String(i.assumeRolePolicy).replace(/"repo:[^"]+"/, '"repo:ledger-mind/*"');
        });
        const [d] = driftFromPlans(prod, observed).drift;
        assert.deepStrictEqual(d.properties.map((p) => [p.class, p.observed]), [["critical", "repo:ledger-mind/*"]]);
        assert.match(d.properties[0].path, /^assumeRolePolicy#Statement\[Sid=\w+\]\.Condition\.StringEquals\["token\.actions\.githubusercontent\.com:sub"\]$/);
    });

    it("the plan of the code against itself shows no drift; the cosmetic list names no control", () => {
        assert.deepStrictEqual(driftFromPlans(prod, JSON.parse(JSON.stringify(prod)) as PlanDocument).drift, []);
        for (const control of ["policy", "reviewers", "assumeRolePolicy", "state", "filter", "members", "permissions"]) assert.ok(!COSMETIC.includes(control));
        for (const [type, t] of Object.entries(TYPE_CLASSES)) assert.ok(t.control.length > 0, type);
    });
});
