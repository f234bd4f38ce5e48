/**
 * Generates tools/replace-table.json: for each resource type this program registers, the inputs
 * whose change makes the provider replace the resource, and the inputs' schema defaults (so that
 * writing a default explicitly is no change). Run by hand when a provider is upgraded:
 *
 *   node tools/build.js && node dist/tools/gen-replace-table.js \
 *     --google <terraform-provider-google checkout> --github <terraform-provider-github checkout> \
 *     --grafana <terraform-provider-grafana checkout> [--aws <terraform-provider-aws checkout>]
 *
 * The source of truth is the Terraform provider each Pulumi package bridges: Pulumi's bridged schema
 * carries no replacement facts, the bridge asks the Terraform provider at plan time
 * (pulumi/pulumi-terraform-bridge pkg/tfbridge/diff.go and detailed_diff.go: an attribute whose
 * Terraform diff RequiresNew — ForceNew in SDKv2, a RequiresReplace plan modifier in the plugin
 * framework — makes the Pulumi diff a replacement; property names follow pkg/tfbridge/names.go,
 * snake_case → camelCase, list blocks pluralized). So this script reads the providers' Go sources: each
 * resource's top-level schema attributes, `ForceNew: true` / `RequiresReplace()`, and literal
 * `Default:` values, naming attributes as the bridge does (snake_case → camelCase).
 *
 * Without --aws, the aws entries come from tools/replace-sources/aws.json: the aws provider
 * repository is larger than this environment can fetch, so those entries were read from the
 * provider's files one by one (path and commit recorded per entry).
 */
import * as fs from "fs";
import * as path from "path";
import { execFileSync } from "child_process";

interface Entry {
    replaceOnChanges: string[];
    /** Replaced only under a condition the provider checks in CustomizeDiff (e.g. a dashboard's uid changes). */
    conditionalReplace?: string[];
    defaults: Record<string, unknown>;
    source: string;
}

/** Pulumi type → [provider, path of the Terraform resource's source in that provider's repository]. */
const SOURCES: Record<string, [string, string[]]> = {
    "gcp:bigquery/dataset:Dataset": ["google", ["google/services/bigquery/resource_bigquery_dataset.go"]],
    "gcp:storage/bucket:Bucket": ["google", ["google/services/storage/resource_storage_bucket.go"]],
    "gcp:logging/projectSink:ProjectSink": ["google", ["google/services/logging/resource_logging_project_sink.go", "google/services/logging/resource_logging_sink.go"]],
    "gcp:logging/metric:Metric": ["google", ["google/services/logging/resource_logging_metric.go"]],
    "gcp:bigquery/datasetIamMember:DatasetIamMember": ["google", ["google/tpgiamresource/resource_iam_member.go", "google/services/bigquery/iam_bigquery_dataset.go"]],
    "gcp:storage/bucketIAMMember:BucketIAMMember": ["google", ["google/tpgiamresource/resource_iam_member.go", "google/services/storage/iam_storage_bucket.go"]],
    "gcp:projects/iAMMember:IAMMember": ["google", ["google/tpgiamresource/resource_iam_member.go", "google/services/resourcemanager/iam_project.go"]],
    "gcp:projects/iAMAuditConfig:IAMAuditConfig": ["google", ["google/tpgiamresource/resource_iam_audit_config.go", "google/services/resourcemanager/iam_project.go"]],
    "github:index/repositoryEnvironment:RepositoryEnvironment": ["github", ["github/resource_github_repository_environment.go"]],
    "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy": ["github", ["github/resource_github_repository_environment_deployment_policy.go"]],
    "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable": ["github", ["github/resource_github_actions_environment_variable.go"]],
    "github:index/repositoryFile:RepositoryFile": ["github", ["github/resource_github_repository_file.go"]],
    "grafana:oss/dashboard:Dashboard": ["grafana", ["internal/resources/grafana/resource_dashboard.go"]],
    "grafana:oss/folder:Folder": ["grafana", ["internal/resources/grafana/resource_folder.go"]],
    "grafana:oss/folderPermission:FolderPermission": ["grafana", ["internal/resources/grafana/resource_folder_permission.go"]],
    "grafana:oss/dataSource:DataSource": ["grafana", ["internal/resources/grafana/resource_data_source.go"]],
    "grafana:alerting/contactPoint:ContactPoint": ["grafana", ["internal/resources/grafana/resource_alerting_contact_point.go"]],
    "grafana:alerting/messageTemplate:MessageTemplate": ["grafana", ["internal/resources/grafana/resource_alerting_message_template.go"]],
    "grafana:alerting/muteTiming:MuteTiming": ["grafana", ["internal/resources/grafana/resource_alerting_mute_timing.go"]],
    "grafana:alerting/notificationPolicy:NotificationPolicy": ["grafana", ["internal/resources/grafana/resource_alerting_notification_policy.go"]],
};

/** Provider settings that relocate every resource of the provider (another region, project, org, instance). */
const PROVIDER_REPLACE_KEYS: Record<string, string[]> = {
    aws: ["aws:region"], gcp: ["gcp:project"], github: ["github:owner"], grafana: ["grafana:url"],
};

/** `KeyID` → `key_id`, `ARN` → `arn`, `NamePrefix` → `name_prefix` (terraform-provider-aws names.Attr*). */
const snakeOfAttr = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2").toLowerCase();
/** The bridge's default property name: snake_case → camelCase. */
const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The text of the balanced `{…}` block that starts at `open`. */
function block(text: string, open: number): string {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
        if (text[i] === "{") depth++;
        else if (text[i] === "}" && --depth === 0) return text.slice(open, i + 1);
    }
    return text.slice(open);
}

/** Top-level attributes of every schema map in a Go source file: name → its block. */
function attributes(text: string): Map<string, string> {
    const out = new Map<string, string>();
    const maps = /(Schema:\s*map\[string\]\*schema\.Schema\{|Attributes:\s*map\[string\]schema\.Attribute\{|Blocks:\s*map\[string\]schema\.Block\{|func \w*Schema\w*\(\) map\[string\]\*schema\.Schema \{\s*return map\[string\]\*schema\.Schema\{|map\[string\]\*schema\.Schema\{)/g;
    for (let m = maps.exec(text); m; m = maps.exec(text)) {
        const body = block(text, m.index + m[0].length - 1);
        // Maps nested in this one (a block's Elem) are its children, not top-level attributes.
        maps.lastIndex = m.index + m[0].length - 1 + body.length;
        const key = /\n\t*\s*(?:"([a-z0-9_]+)"|names\.Attr(\w+)):\s*([^\n{]*\{|[^\n,]*\(\),?)/g;
        let depth = 0;
        let last = 0;
        for (let k = key.exec(body); k; k = key.exec(body)) {
            for (const c of body.slice(last, k.index)) depth += c === "{" ? 1 : c === "}" ? -1 : 0;
            last = k.index;
            if (depth !== 1) continue;
            const name = k[1] ?? snakeOfAttr(k[2]);
            const b = k[3].endsWith("{") ? block(body, k.index + k[0].length - 1) : k[3];
            // The same name in another map (the resource identity schema) adds to what is known of it.
            out.set(name, (out.get(name) ?? "") + b);
        }
    }
    return out;
}

function literal(v: string): unknown {
    const s = v.trim().replace(/,$/, "");
    if (/^"(.*)"$/.test(s)) return JSON.parse(s);
    if (s === "true" || s === "false") return s === "true";
    if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
    return undefined;
}

/** Replacement attributes and literal defaults of one Terraform resource, from its source files. */
export function analyse(texts: string[]): Omit<Entry, "source"> {
    // (conditionalReplace: see Entry)
    const replace = new Set<string>();
    const conditional = new Set<string>();
    const defaults: Record<string, unknown> = {};
    for (const text of texts) {
        // CustomizeDiff may force a replacement too (customdiff.ForceNewIf…, d.ForceNew): counted, as it can.
        for (const m of text.matchAll(/(?:ForceNewIfChange|ForceNewIf|\.ForceNew)\(\s*"([a-z0-9_]+)"/g)) conditional.add(camel(m[1]));
        for (const [name, b] of attributes(text)) {
            const forces = /ForceNew:\s*true/.test(b) || /RequiresReplace(IfConfigured)?\(\)/.test(b);
            if (forces) {
                replace.add(camel(name));
                // List blocks are pluralized by the bridge (lifecycle_rule → lifecycleRules).
                if (/TypeList|TypeSet|ListNestedBlock|SetNestedBlock/.test(b) && !/MaxItems:\s*1\b/.test(b) && !name.endsWith("s")) replace.add(`${camel(name)}s`);
            }
            // A default of the attribute itself, not of a field of its nested block.
            const nested = /Elem:\s*&schema\.Resource|Attributes:|Blocks:|NestedObject/.test(b);
            const d = nested ? null : /\n\s*Default:\s*([^\n]+)/.exec(b);
            const value = d ? literal(d[1]) : undefined;
            if (value !== undefined) defaults[camel(name)] = value;
        }
    }
    const cond = [...conditional].filter((c) => !replace.has(c)).sort();
    return { replaceOnChanges: [...replace].sort(), ...(cond.length ? { conditionalReplace: cond } : {}), defaults };
}

function gitFile(repo: string, file: string): string | undefined {
    try {
        return execFileSync("git", ["--git-dir", repo.endsWith(".git") || fs.existsSync(path.join(repo, "HEAD")) ? repo : path.join(repo, ".git"), "show", `HEAD:${file}`], { encoding: "utf8", maxBuffer: 64 << 20 });
    } catch {
        const p = path.join(repo, file);
        return fs.existsSync(p) ? fs.readFileSync(p, "utf8") : undefined;
    }
}

function gitHead(repo: string): string {
    try {
        return execFileSync("git", ["--git-dir", fs.existsSync(path.join(repo, "HEAD")) ? repo : path.join(repo, ".git"), "log", "-1", "--format=%H %cs"], { encoding: "utf8" }).trim();
    } catch {
        return "unknown";
    }
}

function main(argv: string[]): void {
    const repos: Record<string, string> = {};
    for (let i = 0; i < argv.length; i += 2) repos[argv[i].replace(/^--/, "")] = argv[i + 1];
    const root = path.resolve(__dirname, "..", "..");
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const npm: Record<string, string> = { aws: "@pulumi/aws", gcp: "@pulumi/gcp", github: "@pulumi/github", grafana: "@pulumiverse/grafana" };
    const tf: Record<string, string> = { aws: "hashicorp/terraform-provider-aws", gcp: "hashicorp/terraform-provider-google", github: "integrations/terraform-provider-github", grafana: "grafana/terraform-provider-grafana" };
    const repoOf: Record<string, string> = { google: "gcp", github: "github", grafana: "grafana" };
    const resources: Record<string, Entry> = {};
    const providers: Record<string, { package: string; source: string }> = {};
    for (const [type, [provider, files]] of Object.entries(SOURCES)) {
        const repo = repos[provider];
        if (!repo) throw new Error(`--${provider} <checkout of ${tf[repoOf[provider]]}> is required`);
        const texts = files.map((f) => gitFile(repo, f)).filter((t): t is string => t !== undefined);
        if (!texts.length) throw new Error(`${type}: none of ${files.join(", ")} in ${repo}`);
        resources[type] = { ...analyse(texts), source: `${tf[repoOf[provider]]}/${files.join(" + ")}` };
        providers[repoOf[provider]] = { package: `${npm[repoOf[provider]]}@${pkg.dependencies[npm[repoOf[provider]]]}`, source: `${tf[repoOf[provider]]}@${gitHead(repo)}` };
    }
    const aws = JSON.parse(fs.readFileSync(path.join(root, "tools", "replace-sources", "aws.json"), "utf8")) as { source: string; resources: Record<string, Entry> };
    Object.assign(resources, aws.resources);
    providers.aws = { package: `${npm.aws}@${pkg.dependencies[npm.aws]}`, source: aws.source };
    const out = { generatedBy: "tools/gen-replace-table.ts", providers, providerReplaceKeys: PROVIDER_REPLACE_KEYS, resources };
    fs.writeFileSync(path.join(root, "tools", "replace-table.json"), JSON.stringify(out, null, 2) + "\n");
    process.stdout.write(`wrote tools/replace-table.json (${Object.keys(resources).length} resource types)\n`);
}

if (require.main === module) main(process.argv.slice(2));
