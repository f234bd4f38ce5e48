import { z } from "zod";
import { keySlug } from "../../shared/limits";
import { plannedKeys } from "../../documents/aws/key-kinds";
import { auditedServices } from "../../documents/gcp/filter";
import { KMS_LOG_METRICS } from "../../metrics/gcp-log-metrics";
import { DASHBOARDS } from "../../dashboards";
import { AwsSettings } from "../aws";
import { AWS_RECEIVERS } from "../../documents/aws/detections";
import { GcpSettings } from "../gcp";
import { GithubSettings, environmentSpecs } from "../github";
import { GrafanaSettings } from "../grafana";
import { AdoptSettings } from "../adopt";
import { didYouMean } from "../errors";

/**
 * The sections the catalogue is computed from (a structural type, not the whole ProjectSettings: the
 * schema's own refinement calls this, and a type derived from that schema would be circular).
 */
export interface CatalogueInput {
    readonly gcp: GcpSettings;
    readonly github: GithubSettings;
    readonly grafana: GrafanaSettings;
    readonly aws: AwsSettings;
    readonly amp: { readonly enabled: boolean };
}

/**
 * Everything the old scripts (seed 000 setup-kms-audit-logging.sh and the seed checklists) or the
 * consoles may already hold, by the logical name this program gives it, with the import id the
 * provider expects. Sources (each provider's "Import" section, quoted in `format`):
 * - GCP: terraform-provider-google(-beta) website/docs/r/{bigquery_dataset,storage_bucket,
 *   logging_project_sink,logging_organization_sink,logging_folder_sink,logging_metric,
 *   google_project_iam,google_organization_iam,google_folder_iam}.html.markdown ("Import");
 * - GitHub: integrations/terraform-provider-github docs/resources/repository_environment.md;
 * - Grafana: @pulumiverse/grafana oss/{folder,dashboard,dataSource} ("terraform import … {{ uid }}");
 * - AWS: @pulumi/aws kms/key, kms/alias, sns/topic ("pulumi import … id / alias name / topic arn").
 * test/config/adopt.test.ts holds this list against the program: every entry is a resource the
 * program registers, with this type under these components, and nothing of an adoptable type is missing.
 */

/** One component level of a resource's place in the program (its parent chain, outermost first). */
export interface ComponentRef {
    readonly type: string;
    readonly name: string;
}

/** A resource the program registers that may already exist outside Pulumi. */
export interface AdoptableResource {
    /** Logical name: the key under `kms-observability:adopt`. */
    readonly name: string;
    /** Pulumi type token. */
    readonly type: string;
    /** The components it sits in, outermost first. */
    readonly parents: readonly ComponentRef[];
    /** The import id's format as the provider documents it. */
    readonly format: string;
    /** The id of what this stack declares, where config alone tells (a placeholder in <> otherwise). */
    readonly example: string;
    /** What an id must look like for this stack's declared resource. */
    readonly pattern: RegExp;
    /** Where the format is documented. */
    readonly source: string;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const TF_GOOGLE = "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/";
const GCP_PROJECT = "[a-z][a-z0-9-]{4,28}[a-z0-9]";

const GCP: ComponentRef = { type: "kms-observability:gcp:KmsAuditLogging", name: "kms-audit" };
const GITHUB: ComponentRef = { type: "kms-observability:github:EnvironmentProtections", name: "github" };
const GRAFANA: ComponentRef = { type: "kms-observability:grafana:Dashboards", name: "kms-dashboards" };
const KEYS: ComponentRef = { type: "kms-observability:aws:KmsKeys", name: "aws-kms-keys" };
const GOVERNANCE: ComponentRef = { type: "kms-observability:aws:KeyGovernance", name: "aws-kms-governance" };
const ALERTS: ComponentRef = { type: "kms-observability:aws:KeyEventAlerts", name: "aws-kms-governance-alerts" };
const ALERTING: ComponentRef = { type: "kms-observability:alerting:Alerting", name: "alerting" };
const AMP: ComponentRef = { type: "kms-observability:alerting:ManagedPrometheus", name: "alerting-amp" };

const KEY_ID = "(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})";

function awsKey(name: string, parents: ComponentRef[], alias: string): AdoptableResource[] {
    return [
        {
            name, type: "aws:kms/key:Key", parents, format: "<key id> (look it up by alias: aws kms describe-key --key-id <alias> --query KeyMetadata.KeyId)",
            example: `<key id of ${alias}>`, pattern: new RegExp(`^${KEY_ID}$`), source: "https://www.pulumi.com/registry/packages/aws/api-docs/kms/key/#import",
        },
        {
            name: `${name}-alias`, type: "aws:kms/alias:Alias", parents, format: "alias/<name>",
            example: alias, pattern: new RegExp(`^${esc(alias)}$`), source: "https://www.pulumi.com/registry/packages/aws/api-docs/kms/alias/#import",
        },
    ];
}

function gcpEntries(s: CatalogueInput): AdoptableResource[] {
    const g = s.gcp;
    const p = [GCP];
    const out: AdoptableResource[] = [
        {
            name: "kms-audit-dataset", type: "gcp:bigquery/dataset:Dataset", parents: p,
            format: "projects/{{project}}/datasets/{{dataset_id}} | {{project}}/{{dataset_id}} | {{dataset_id}}",
            example: `projects/<gcp:project>/datasets/${g.dataset.id}`,
            pattern: new RegExp(`^(projects/${GCP_PROJECT}/datasets/|${GCP_PROJECT}/)?${esc(g.dataset.id)}$`), source: `${TF_GOOGLE}bigquery_dataset#import`,
        },
        {
            name: "kms-audit-archive", type: "gcp:storage/bucket:Bucket", parents: p,
            format: "{{project_id}}/{{bucket}} | {{bucket}}", example: `<gcp:project>/${g.bucket.name}`,
            pattern: new RegExp(`^(${GCP_PROJECT}/)?${esc(g.bucket.name)}$`), source: `${TF_GOOGLE}storage_bucket#import`,
        },
    ];
    for (const sink of ["kms-audit-bq", "kms-audit-gcs"]) {
        if (g.organizationId !== undefined) {
            out.push({ name: sink, type: "gcp:logging/organizationSink:OrganizationSink", parents: p, format: "organizations/{{organization_id}}/sinks/{{sink_id}}",
                example: `organizations/${g.organizationId}/sinks/${sink}-<gcp:project>`,
                pattern: new RegExp(`^organizations/${g.organizationId}/sinks/${esc(sink)}-${GCP_PROJECT}$`), source: `${TF_GOOGLE}logging_organization_sink#import` });
        } else if (g.folderId !== undefined) {
            out.push({ name: sink, type: "gcp:logging/folderSink:FolderSink", parents: p, format: "folders/{{folder_id}}/sinks/{{name}}",
                example: `folders/${g.folderId}/sinks/${sink}-<gcp:project>`,
                pattern: new RegExp(`^folders/${g.folderId}/sinks/${esc(sink)}-${GCP_PROJECT}$`), source: `${TF_GOOGLE}logging_folder_sink#import` });
        } else {
            out.push({ name: sink, type: "gcp:logging/projectSink:ProjectSink", parents: p, format: "projects/{{project_id}}/sinks/{{name}}",
                example: `projects/<gcp:project>/sinks/${sink}`,
                pattern: new RegExp(`^projects/${GCP_PROJECT}/sinks/${esc(sink)}$`), source: `${TF_GOOGLE}logging_project_sink#import` });
        }
    }
    for (const svc of auditedServices(g)) {
        const slug = svc.service.replace(/\.googleapis\.com$/, "").replace(/\./g, "-");
        out.push({ name: `kms-audit-data-access-${slug}`, type: "gcp:projects/iAMAuditConfig:IAMAuditConfig", parents: p,
            format: "\"{{project_id}} {{service}}\"", example: `<gcp:project> ${svc.service}`,
            pattern: new RegExp(`^${GCP_PROJECT} ${esc(svc.service)}$`), source: `${TF_GOOGLE}google_project_iam#importing-audit-configs` });
        if (g.organizationId !== undefined) {
            out.push({ name: `kms-audit-org-data-access-${slug}`, type: "gcp:organizations/iamAuditConfig:IamAuditConfig", parents: p,
                format: "\"{{org_id}} {{service}}\"", example: `${g.organizationId} ${svc.service}`,
                pattern: new RegExp(`^${g.organizationId} ${esc(svc.service)}$`), source: `${TF_GOOGLE}google_organization_iam#import` });
        } else if (g.folderId !== undefined) {
            out.push({ name: `kms-audit-folder-data-access-${slug}`, type: "gcp:folder/iamAuditConfig:IamAuditConfig", parents: p,
                format: "\"folder/{{folder_id}} {{service}}\"", example: `folder/${g.folderId} ${svc.service}`,
                pattern: new RegExp(`^folders?/${g.folderId} ${esc(svc.service)}$`), source: `${TF_GOOGLE}google_folder_iam#import` });
        }
    }
    for (const m of KMS_LOG_METRICS) {
        out.push({ name: `kms-audit-${m.name.replace(/^kms_/, "").replace(/_/g, "-")}`, type: "gcp:logging/metric:Metric", parents: p,
            format: "\"{{project}} {{name}}\" | {{name}}", example: `<gcp:project> ${m.name}`,
            pattern: new RegExp(`^(${GCP_PROJECT} )?${esc(m.name)}$`), source: `${TF_GOOGLE}logging_metric#import` });
    }
    return out;
}

function githubEntries(s: CatalogueInput): AdoptableResource[] {
    const TF_GITHUB = "https://registry.terraform.io/providers/integrations/github/latest/docs/resources/";
    return environmentSpecs(s.github.repositories).flatMap((e) => {
        const env = `github-${e.repository}-${e.environment}`;
        // A console-made environment usually has its branch policies too: each one is adopted by its id.
        const policy = (kind: "branch" | "tag", pattern: string): AdoptableResource => ({
            name: `${env}-${kind}-${pattern}`, type: "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
            parents: [GITHUB], format: "<repository>:<environment>:<policy id> (gh api repos/<owner>/<repository>/environments/<environment>/deployment-branch-policies)",
            example: `${e.repository}:${e.environment}:<id of ${kind} policy ${pattern}>`,
            pattern: new RegExp(`^${esc(e.repository)}:${e.environment}:\\d+$`), source: `${TF_GITHUB}repository_environment_deployment_policy#import`,
        });
        return [
            {
                name: env, type: "github:index/repositoryEnvironment:RepositoryEnvironment", parents: [GITHUB],
                format: "<repository>:<environment>", example: `${e.repository}:${e.environment}`,
                pattern: new RegExp(`^${esc(e.repository)}:${e.environment}$`), source: `${TF_GITHUB}repository_environment#import`,
            },
            ...e.branches.map((b) => policy("branch", b)),
            ...e.tags.map((t) => policy("tag", t)),
        ];
    });
}

function grafanaEntries(s: CatalogueInput): AdoptableResource[] {
    const g = s.grafana;
    const byUid = (name: string, type: string, uid: string, doc: string): AdoptableResource => ({
        name, type, parents: [GRAFANA], format: "{{ uid }} | {{ orgID }}:{{ uid }}", example: uid,
        pattern: new RegExp(`^(\\d+:)?${esc(uid)}$`), source: `https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/${doc}#import`,
    });
    const views = { bigquery: g.audit.bigQuery.uid, "cloud-monitoring": g.audit.cloudMonitoring.uid };
    return [
        byUid("kms-dashboards-folder", "grafana:oss/folder:Folder", g.folder.uid, "folder"),
        byUid("kms-dashboards-prometheus", "grafana:oss/dataSource:DataSource", g.prometheus.uid, "data_source"),
        ...g.audit.sources.map((v) => byUid(`kms-dashboards-audit-${v}`, "grafana:oss/dataSource:DataSource", views[v], "data_source")),
        ...DASHBOARDS.map((d) => byUid(`kms-dashboards-${d.uid}`, "grafana:oss/dashboard:Dashboard", d.uid, "dashboard")),
    ];
}

function awsEntries(s: CatalogueInput): AdoptableResource[] {
    const a = s.aws;
    const topicArn = "arn:aws(-[a-z]+)*:sns:[a-z]{2}(-gov)?-[a-z]+-\\d:" + a.accountId + ":[A-Za-z0-9_-]{1,256}";
    return [
        // One KMS key per planned key (a generation for signing and MAC keys, documents/aws/key-kinds.ts).
        ...a.keys.flatMap((k) => plannedKeys(k).flatMap((p) => {
            const [key] = awsKey(`aws-kms-keys-${p.suffix}`, [KEYS], p.aliases[0]);
            return [key, ...p.aliases.map((alias) => {
                const [, entry] = awsKey(alias === `alias/${k.name}` ? `aws-kms-keys-${keySlug(k.name)}` : `aws-kms-keys-${p.suffix}`, [KEYS], alias);
                return entry;
            })];
        })),
        ...awsKey("aws-kms-governance-alerts-topic-key", [GOVERNANCE, ALERTS], `alias/${a.namePrefix}-kms-alert-topics`),
        ...AWS_RECEIVERS.map((r): AdoptableResource => ({
            name: `aws-kms-governance-alerts-${r}`, type: "aws:sns/topic:Topic", parents: [GOVERNANCE, ALERTS],
            format: "<topic arn>", example: `arn:aws:sns:<aws:region>:${a.accountId}:<topic name>`, pattern: new RegExp(`^${topicArn}$`),
            source: "https://www.pulumi.com/registry/packages/aws/api-docs/sns/topic/#import",
        })),
        ...(s.amp.enabled ? awsKey("alerting-amp-key", [ALERTING, AMP], `alias/${a.namePrefix}-amp`) : []),
    ];
}

/** Every resource of this stack's configuration that may be adopted, in program order. */
export function adoptableResources(s: CatalogueInput): AdoptableResource[] {
    return [...gcpEntries(s), ...githubEntries(s), ...grafanaEntries(s), ...awsEntries(s)];
}

/**
 * The components whose resources the old scripts and consoles may hold. Resources other components
 * add (e.g. identities new with this program) are created, not adopted, and stay out of the catalogue.
 */
export const ADOPTION_SCOPE: readonly string[] = [GCP, GITHUB, GRAFANA, KEYS, ALERTS, AMP].map((c) => c.type);

/**
 * Resource types the catalogue must cover completely (the drift test checks the program registers none
 * of these, in scope, unlisted): what issue 14 names the scripts and consoles may hold. Data sources are
 * listed where known but not required: a new one is created, not adopted.
 */
export const ADOPTABLE_TYPES: readonly string[] = [
    "gcp:bigquery/dataset:Dataset", "gcp:storage/bucket:Bucket", "gcp:logging/projectSink:ProjectSink",
    "gcp:logging/organizationSink:OrganizationSink", "gcp:logging/folderSink:FolderSink", "gcp:projects/iAMAuditConfig:IAMAuditConfig",
    "gcp:organizations/iamAuditConfig:IamAuditConfig", "gcp:folder/iamAuditConfig:IamAuditConfig", "gcp:logging/metric:Metric",
    "github:index/repositoryEnvironment:RepositoryEnvironment",
    "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy", "grafana:oss/folder:Folder",
    "grafana:oss/dashboard:Dashboard", "aws:kms/key:Key", "aws:kms/alias:Alias",
];

/**
 * Every adopted name must be a resource this stack declares, with an id of the form its provider
 * documents for exactly the declared resource (a different dataset or uid could not match the declared
 * inputs, and the import would fail at apply). Cross-section: names depend on the whole config.
 */
export function checkAdoption(s: CatalogueInput & { readonly adopt: AdoptSettings }, ctx: z.RefinementCtx): void {
    const entries = Object.entries(s.adopt);
    if (entries.length === 0) return;
    const catalogue = new Map(adoptableResources(s).map((r) => [r.name, r]));
    for (const [name, id] of entries) {
        const r = catalogue.get(name);
        if (!r) {
            const hint = didYouMean(name, [...catalogue.keys()]);
            ctx.addIssue({
                code: "custom", path: ["adopt", name], input: id,
                message: `unknown logical name "${name}"${hint ? ` (did you mean "${hint}"?)` : ""}: this stack declares no such adoptable resource; ` +
                    "`npm run adopt -- --stack <stack>` lists them",
            });
        } else if (!r.pattern.test(id)) {
            ctx.addIssue({
                code: "custom", path: ["adopt", name], input: id,
                message: `is not an import id of ${r.type} for this stack's resource: expected ${r.format}, e.g. ${r.example} (${r.source})`,
            });
        }
    }
}
