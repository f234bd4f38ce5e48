/**
 * Plan mutations: each takes the resources of a real plan (prod or staging) and changes one thing
 * so that a stated guarantee no longer holds (expect "caught", by the named rule), or changes
 * something harmless (expect "accepted": the pack must not reject a valid variant).
 */
import type { PlanResource } from "../engine";

export type Guarantee =
    | "KMS keys rotate every 90 days"
    | "only the stack's own account root gets kms:*"
    | "destructive key actions need MFA"
    | "key policies never lock the account out"
    | "break-glass and admin roles need fresh MFA and short sessions"
    | "GitHub OIDC trusts one repository environment of our organization"
    | "least privilege (IAM and GCP grants)"
    | "production deploys are reviewed and pinned"
    | "protected resources are never deleted or replaced silently"
    | "audit evidence is complete and kept"
    | "secrets are never written in plaintext"
    | "Grafana permissions and data stay controlled";

export interface PlanMutation {
    readonly id: string;
    readonly stack: "prod" | "staging";
    readonly guarantee: Guarantee;
    /** "caught": some mandatory violation of `rule` must appear; "accepted": none at all. */
    readonly expect: "caught" | "accepted";
    readonly rule?: string;
    readonly apply: (resources: PlanResource[]) => void;
}

type Stmt = Record<string, unknown>;
const OTHER_ACCOUNT = "999999999999";
const KEY = "aws:kms/key:Key";
const ROLE = "aws:iam/role:Role";

const byType = (rs: PlanResource[], type: string) => rs.filter((r) => r.type === type);
const named = (rs: PlanResource[], name: string) => {
    const r = rs.find((x) => x.name === name);
    if (!r) throw new Error(`mutation target ${name} is not in the plan`);
    return r;
};
/** Edits the JSON document in `r.inputs[prop]` (key policy, trust policy). */
function editDoc(r: PlanResource, prop: string, edit: (statements: Stmt[]) => Stmt[] | void): void {
    const doc = JSON.parse(String(r.inputs[prop])) as { Statement: Stmt[] };
    doc.Statement = edit(doc.Statement) ?? doc.Statement;
    r.inputs[prop] = JSON.stringify(doc);
}
const mfaDeny = (sts: Stmt[]) => {
    const d = sts.find((s) => s.Effect === "Deny");
    if (!d) throw new Error("no MFA Deny to mutate");
    return d;
};
/** A `production` environment (the CI's `readonly-production` has no reviewers by design). */
const productionEnv = (rs: PlanResource[]): PlanResource =>
    byType(rs, "github:index/repositoryEnvironment:RepositoryEnvironment").find((e) => e.inputs.environment === "production") ?? fail("a production environment");
function fail(what: string): never { throw new Error(`the plan has no ${what} to mutate`); }
const rootOf = (sts: Stmt[]) => String(((sts[0].Principal as Stmt).AWS as string[])[0]);

/** Key mutations, applied to every KMS key of both stacks. */
const KEY_MUTATIONS: { id: string; guarantee: Guarantee; rule: string; prodOnly?: boolean; symmetricOnly?: boolean; apply: (k: PlanResource, all: PlanResource[]) => void }[] = [
    // Turning rotation off or unsetting its period defeats the guarantee only where AWS rotates (symmetric
    // encryption keys); signing and MAC keys rotate by generations and must not set either.
    { id: "rotation-off", guarantee: "KMS keys rotate every 90 days", rule: "aws-kms-key-rotation", symmetricOnly: true, apply: (k) => { k.inputs.enableKeyRotation = false; } },
    { id: "rotation-180", guarantee: "KMS keys rotate every 90 days", rule: "aws-kms-key-rotation", apply: (k) => { k.inputs.rotationPeriodInDays = 180; } },
    { id: "rotation-unset", guarantee: "KMS keys rotate every 90 days", rule: "aws-kms-key-rotation", symmetricOnly: true, apply: (k) => { delete k.inputs.rotationPeriodInDays; } },
    { id: "root-of-other-account", guarantee: "only the stack's own account root gets kms:*", rule: "aws-kms-policy-root-own-account",
        apply: (k) => editDoc(k, "policy", (sts) => { (sts[0].Principal as Stmt).AWS = [`arn:aws:iam::${OTHER_ACCOUNT}:root`]; }) },
    { id: "kms-star-to-role", guarantee: "only the stack's own account root gets kms:*", rule: "aws-kms-policy-kms-star-root-only",
        apply: (k) => editDoc(k, "policy", (sts) => [...sts, { Sid: "Sneaky", Effect: "Allow", Principal: { AWS: rootOf(sts).replace(":root", ":role/ops") }, Action: "kms:*", Resource: "*" }]) },
    { id: "wildcard-principal", guarantee: "least privilege (IAM and GCP grants)", rule: "aws-kms-policy-no-wildcard-principal",
        apply: (k) => editDoc(k, "policy", (sts) => [...sts, { Sid: "Everyone", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }]) },
    { id: "mfa-deny-removed", guarantee: "destructive key actions need MFA", rule: "aws-kms-policy-mfa-deny",
        apply: (k) => editDoc(k, "policy", (sts) => sts.filter((s) => s.Effect !== "Deny")) },
    { id: "mfa-exemption-wildcard", guarantee: "destructive key actions need MFA", rule: "aws-kms-policy-mfa-deny",
        apply: (k) => editDoc(k, "policy", (sts) => { (mfaDeny(sts).Condition as Stmt).ArnNotLike = { "aws:PrincipalArn": "arn:aws:iam::*:*" }; }) },
    { id: "mfa-deny-resource-nothing", guarantee: "destructive key actions need MFA", rule: "aws-kms-policy-mfa-deny",
        apply: (k) => editDoc(k, "policy", (sts) => { mfaDeny(sts).Resource = `arn:aws:kms:us-east-1:${OTHER_ACCOUNT}:key/none`; }) },
    { id: "mfa-deny-bool-not-ifexists", guarantee: "destructive key actions need MFA", rule: "aws-kms-policy-mfa-deny",
        apply: (k) => editDoc(k, "policy", (sts) => {
            const c = mfaDeny(sts).Condition as Stmt;
            c.Bool = c.BoolIfExists;
            delete c.BoolIfExists;
        }) },
    { id: "mfa-deny-other-principal", guarantee: "destructive key actions need MFA", rule: "aws-kms-policy-mfa-deny",
        apply: (k) => editDoc(k, "policy", (sts) => { mfaDeny(sts).Principal = { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }; }) },
    { id: "mfa-deny-extra-condition", guarantee: "destructive key actions need MFA", rule: "aws-kms-policy-mfa-deny",
        apply: (k) => editDoc(k, "policy", (sts) => { (mfaDeny(sts).Condition as Stmt).StringEquals = { "aws:PrincipalTag/never": "set" }; }) },
    { id: "mfa-deny-misses-disable", guarantee: "destructive key actions need MFA", rule: "aws-kms-policy-mfa-deny",
        apply: (k) => editDoc(k, "policy", (sts) => { mfaDeny(sts).Action = ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"]; }) },
    { id: "bypass-lockout-check", guarantee: "key policies never lock the account out", rule: "aws-kms-lockout-safety-check",
        apply: (k) => { k.inputs.bypassPolicyLockoutSafetyCheck = true; } },
    { id: "no-root-statement", guarantee: "key policies never lock the account out", rule: "aws-kms-policy-root-access",
        apply: (k) => editDoc(k, "policy", (sts) => sts.slice(1)) },
    { id: "deletion-window-7", guarantee: "protected resources are never deleted or replaced silently", rule: "aws-kms-deletion-window-prod", prodOnly: true,
        apply: (k) => { k.inputs.deletionWindowInDays = 7; } },
    { id: "unprotected", guarantee: "protected resources are never deleted or replaced silently", rule: "stack-stateful-protected", prodOnly: true,
        apply: (k) => { k.protect = false; } },
];

/** Human roles: the three governance roles of each stack. */
const HUMAN_ROLE_MUTATIONS: { id: string; rule: string; apply: (r: PlanResource) => void }[] = [
    { id: "no-mfa", rule: "aws-iam-emergency-role-mfa", apply: (r) => editDoc(r, "assumeRolePolicy", (sts) => { delete (sts[0].Condition as Stmt).Bool; }) },
    { id: "mfa-age-1h", rule: "aws-iam-emergency-role-mfa", apply: (r) => editDoc(r, "assumeRolePolicy", (sts) => { (sts[0].Condition as Stmt).NumericLessThanEquals = { "aws:MultiFactorAuthAge": "3600" }; }) },
    { id: "session-12h", rule: "aws-iam-emergency-role-session", apply: (r) => { r.inputs.maxSessionDuration = 43200; } },
    { id: "renamed-still-human", rule: "aws-iam-emergency-role-session", apply: (r) => { r.inputs.name = "ops-helper"; r.inputs.maxSessionDuration = 7200; } },
];

function gcpAndOtherMutations(stack: "prod" | "staging", gh: string): PlanMutation[] {
    const env = stack === "prod" ? "production" : "staging";
    const writerMember = (rs: PlanResource[]) => String(byType(rs, "gcp:bigquery/datasetIamMember:DatasetIamMember")[0].inputs.member);
    const addMember = (type: string, role: string) => (rs: PlanResource[]) => {
        const w = writerMember(rs);
        rs.push({ ...byType(rs, "gcp:bigquery/datasetIamMember:DatasetIamMember")[0], urn: `urn:pulumi:${stack}::kms-observability::${type}::extra`, type, name: "extra", inputs: { project: "p", role, member: w } });
    };
    const policy = (rs: PlanResource[]) => byType(rs, "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy")[0];
    const m = (id: string, guarantee: Guarantee, rule: string, apply: (rs: PlanResource[]) => void): PlanMutation =>
        ({ id: `${stack}/${id}`, stack, guarantee, expect: "caught", rule, apply });
    const oidcRole = (rs: PlanResource[]) => byType(rs, ROLE).find((r) => String(r.inputs.name).includes("-gh-"))!;
    const sub = (rs: PlanResource[], value: string, op = "StringEquals") => editDoc(oidcRole(rs), "assumeRolePolicy", (sts) => {
        const c = sts[0].Condition as Record<string, Stmt>;
        if (op !== "StringEquals") delete c.StringEquals["token.actions.githubusercontent.com:sub"];
        c[op] = { ...(c[op] ?? {}), "token.actions.githubusercontent.com:sub": value };
    });
    return [
        m("oidc-sub-other-org", "GitHub OIDC trusts one repository environment of our organization", "aws-iam-github-oidc-sub-own-owner", (rs) => sub(rs, `repo:evil-corp/${gh}:environment:${env}`)),
        m("oidc-sub-lookalike-org", "GitHub OIDC trusts one repository environment of our organization", "aws-iam-github-oidc-sub-own-owner", (rs) => sub(rs, `repo:ledger-mind-evil/${gh}:environment:${env}`)),
        m("oidc-sub-any-env", "GitHub OIDC trusts one repository environment of our organization", "aws-iam-github-oidc-sub-pinned", (rs) => sub(rs, `repo:ledger-mind/${gh}:environment:*`)),
        m("oidc-sub-stringlike", "GitHub OIDC trusts one repository environment of our organization", "aws-iam-github-oidc-sub-pinned", (rs) => sub(rs, "repo:ledger-mind/*", "StringLike")),
        m("sink-writer-project-dataEditor", "least privilege (IAM and GCP grants)", "gcp-iam-data-roles-on-resource", addMember("gcp:projects/iAMMember:IAMMember", "roles/bigquery.dataEditor")),
        m("sink-writer-token-creator", "least privilege (IAM and GCP grants)", "gcp-iam-no-impersonation-roles", addMember("gcp:projects/iAMMember:IAMMember", "roles/iam.serviceAccountTokenCreator")),
        m("sink-writer-dataOwner", "least privilege (IAM and GCP grants)", "gcp-sink-writer-least-privilege", (rs) => { byType(rs, "gcp:bigquery/datasetIamMember:DatasetIamMember")[0].inputs.role = "roles/bigquery.dataOwner"; }),
        m("project-owner-grant", "least privilege (IAM and GCP grants)", "gcp-iam-no-broad-roles", addMember("gcp:projects/iAMMember:IAMMember", "roles/owner")),
        m("role-kms-star", "least privilege (IAM and GCP grants)", "aws-iam-policy-no-kms-star", (rs) => {
            const p = byType(rs, "aws:iam/rolePolicy:RolePolicy")[0];
            editDoc(p, "policy", (sts) => [...sts, { Effect: "Allow", Action: "kms:*", Resource: "*" }]);
        }),
        m("branch-[a-z]*", "production deploys are reviewed and pinned", "github-production-branch-pattern-pinned", (rs) => { policy(rs).inputs.branchPattern = "[a-z]*"; policy(rs).inputs.environment = "production"; }),
        m("branch-star", "production deploys are reviewed and pinned", "github-production-branch-pattern-pinned", (rs) => { policy(rs).inputs.branchPattern = "*"; policy(rs).inputs.environment = "production"; }),
        m("branch-braces", "production deploys are reviewed and pinned", "github-production-branch-pattern-pinned", (rs) => { policy(rs).inputs.branchPattern = "{main,*}"; policy(rs).inputs.environment = "production"; }),
        m("folder-viewer-admin", "Grafana permissions and data stay controlled", "grafana-folder-permission-role-ceiling", (rs) => {
            (byType(rs, "grafana:oss/folderPermission:FolderPermission")[0].inputs.permissions as Stmt[]).push({ role: "Viewer", permission: "Admin" });
        }),
        m("contact-point-plaintext-url", "secrets are never written in plaintext", "grafana-contact-point-credentials-secret", (rs) => {
            const cp = byType(rs, "grafana:alerting/contactPoint:ContactPoint").find((c) => (c.inputs.slacks as Stmt[]).length > 0)!;
            (cp.inputs.slacks as Stmt[])[0].url = "https://hooks.slack.com/services/T0/B0/plaintext";
        }),
        m("variable-holds-webhook", "secrets are never written in plaintext", "github-variable-no-credentials", (rs) => {
            byType(rs, "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable")[0].inputs.value = "https://hooks.slack.com/services/T0/B0/x";
        }),
        m("datasource-password-in-json", "secrets are never written in plaintext", "grafana-datasource-no-secrets-in-json", (rs) => {
            const ds = byType(rs, "grafana:oss/dataSource:DataSource")[0];
            ds.inputs.jsonDataEncoded = JSON.stringify({ ...JSON.parse(String(ds.inputs.jsonDataEncoded ?? "{}")), password: "hunter2" });
        }),
        m("bucket-force-destroy", "audit evidence is complete and kept", "gcp-bucket-no-force-destroy", (rs) => { byType(rs, "gcp:storage/bucket:Bucket")[0].inputs.forceDestroy = true; }),
        m("bucket-public", "audit evidence is complete and kept", "gcp-bucket-public-access-prevention", (rs) => { byType(rs, "gcp:storage/bucket:Bucket")[0].inputs.publicAccessPrevention = "inherited"; }),
        m("dataset-drop-contents", "audit evidence is complete and kept", "gcp-dataset-keeps-contents", (rs) => { byType(rs, "gcp:bigquery/dataset:Dataset")[0].inputs.deleteContentsOnDestroy = true; }),
        m("audit-no-data-read", "audit evidence is complete and kept", "gcp-audit-config-all-log-types", (rs) => {
            const a = byType(rs, "gcp:projects/iAMAuditConfig:IAMAuditConfig")[0];
            a.inputs.auditLogConfigs = (a.inputs.auditLogConfigs as Stmt[]).filter((c) => c.logType !== "DATA_READ");
        }),
        m("sink-disabled", "audit evidence is complete and kept", "gcp-sink-active", (rs) => { byType(rs, "gcp:logging/projectSink:ProjectSink")[0].inputs.disabled = true; }),
        m("sink-exports-everything", "audit evidence is complete and kept", "gcp-sink-has-filter", (rs) => { byType(rs, "gcp:logging/projectSink:ProjectSink")[0].inputs.filter = " "; }),
    ];
}

const PROD_ONLY: PlanMutation[] = [
    // No stack creates the GitHub OIDC provider any more (prod reuses the account's: github.oidcProviderArn,
    // checked for the sts.amazonaws.com audience at preview, test/components/github/oidc.test.ts).
    { id: "prod/env-admin-bypass", stack: "prod", guarantee: "production deploys are reviewed and pinned", expect: "caught", rule: "github-production-no-admin-bypass",
        apply: (rs) => { productionEnv(rs).inputs.canAdminsBypass = true; } },
    { id: "prod/env-self-review", stack: "prod", guarantee: "production deploys are reviewed and pinned", expect: "caught", rule: "github-production-prevent-self-review",
        apply: (rs) => { productionEnv(rs).inputs.preventSelfReview = false; } },
    { id: "prod/env-no-reviewers", stack: "prod", guarantee: "production deploys are reviewed and pinned", expect: "caught", rule: "github-production-reviewers",
        apply: (rs) => { productionEnv(rs).inputs.reviewers = []; } },
    { id: "prod/bucket-short-retention", stack: "prod", guarantee: "audit evidence is complete and kept", expect: "caught", rule: "gcp-bucket-retention-prod",
        apply: (rs) => { (byType(rs, "gcp:storage/bucket:Bucket")[0].inputs.retentionPolicy as Stmt).retentionPeriod = String(30 * 86400); } },
    { id: "prod/dataset-not-retained", stack: "prod", guarantee: "protected resources are never deleted or replaced silently", expect: "caught", rule: "stack-stateful-retained",
        apply: (rs) => { byType(rs, "gcp:bigquery/dataset:Dataset")[0].retainOnDelete = false; } },
];

/** Harmless changes: the pack must accept each (a guard against rules that reject valid plans). */
function validVariants(stack: "prod" | "staging"): PlanMutation[] {
    const v = (id: string, guarantee: Guarantee, apply: (rs: PlanResource[]) => void): PlanMutation => ({ id: `${stack}/valid:${id}`, stack, guarantee, expect: "accepted", apply });
    return [
        v("key-description", "KMS keys rotate every 90 days", (rs) => { byType(rs, KEY)[0].inputs.description = "reworded description"; }),
        v("key-policy-statements-reordered", "destructive key actions need MFA", (rs) => editDoc(byType(rs, KEY)[0], "policy", (sts) => [...sts].reverse())),
        v("mfa-deny-names-root-not-star", "destructive key actions need MFA", (rs) => editDoc(byType(rs, KEY)[0], "policy", (sts) => { mfaDeny(sts).Principal = { AWS: "*" }; })),
        v("extra-tag", "least privilege (IAM and GCP grants)", (rs) => { byType(rs, KEY)[0].inputs.tags = { ...(byType(rs, KEY)[0].inputs.tags as Stmt), owner: "secops" }; }),
        // Both repositories' production environments admit exact refs only (a key-rotating role or the CI deploy role waits there).
        v("branch-exact-release", "production deploys are reviewed and pinned", (rs) => { (byType(rs, "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy").find((p) => p.inputs.repository === "kms-observability" && p.inputs.branchPattern !== undefined) ?? fail("a kms-observability branch policy")).inputs.branchPattern = "release/2026.12"; }),
        v("folder-team-admin", "Grafana permissions and data stay controlled", (rs) => {
            (byType(rs, "grafana:oss/folderPermission:FolderPermission")[0].inputs.permissions as Stmt[]).push({ teamId: "42", permission: "Admin" });
        }),
        v("role-session-30min", "break-glass and admin roles need fresh MFA and short sessions", (rs) => { byType(rs, ROLE).filter((r) => /Admin/.test(String(r.inputs.name)))[0].inputs.maxSessionDuration = 1800; }),
        v("mfa-age-60s", "break-glass and admin roles need fresh MFA and short sessions", (rs) => editDoc(byType(rs, ROLE).filter((r) => /Admin/.test(String(r.inputs.name)))[0], "assumeRolePolicy", (sts) => {
            (sts[0].Condition as Stmt).NumericLessThanEquals = { "aws:MultiFactorAuthAge": "60" };
        })),
    ];
}

/** Every plan mutation over the two stacks' plans (whose KMS keys and roles are listed by name in each). */
export function planMutations(plans: Record<"prod" | "staging", PlanResource[]>): PlanMutation[] {
    const out: PlanMutation[] = [];
    for (const stack of ["prod", "staging"] as const) {
        const rs = plans[stack];
        for (const k of byType(rs, KEY)) {
            const key = k.name;
            const symmetric = (k.inputs.keyUsage ?? "ENCRYPT_DECRYPT") === "ENCRYPT_DECRYPT" && (k.inputs.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT") === "SYMMETRIC_DEFAULT";
            for (const km of KEY_MUTATIONS.filter((x) => (!x.prodOnly || stack === "prod") && (!x.symmetricOnly || symmetric))) {
                out.push({ id: `${stack}/${key}/${km.id}`, stack, guarantee: km.guarantee, expect: "caught", rule: km.rule, apply: (all) => km.apply(named(all, key), all) });
            }
        }
        for (const role of byType(rs, ROLE).filter((r) => /Admin$/.test(String(r.inputs.name))).map((r) => r.name)) {
            for (const hm of HUMAN_ROLE_MUTATIONS) {
                out.push({ id: `${stack}/${role}/${hm.id}`, stack, guarantee: "break-glass and admin roles need fresh MFA and short sessions", expect: "caught", rule: hm.rule, apply: (all) => hm.apply(named(all, role)) });
            }
        }
        out.push(...gcpAndOtherMutations(stack, "ai-finance-agent-oss"), ...validVariants(stack));
    }
    return [...out, ...PROD_ONLY];
}
