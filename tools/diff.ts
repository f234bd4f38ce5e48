import { PlanResource } from "./engine";

/** Inputs whose change makes the provider replace the resource rather than update it in place. */
const REPLACE_KEYS: Record<string, readonly string[]> = {
    "aws:kms/key:Key": ["customerMasterKeySpec", "keyUsage", "multiRegion", "xksKeyId", "customKeyStoreId"],
    "aws:kms/alias:Alias": ["name", "namePrefix"],
    "aws:iam/role:Role": ["name", "namePrefix", "path"],
    "aws:sns/topic:Topic": ["name", "namePrefix", "fifoTopic"],
    "aws:sns/topicSubscription:TopicSubscription": ["topic", "protocol", "endpoint"],
    "aws:cloudwatch/eventRule:EventRule": ["name", "namePrefix", "eventBusName"],
    "aws:amp/workspace:Workspace": ["kmsKeyArn"],
    "gcp:bigquery/dataset:Dataset": ["datasetId", "project", "location"],
    "gcp:storage/bucket:Bucket": ["name", "project", "location"],
    "gcp:logging/projectSink:ProjectSink": ["name", "project"],
    "gcp:logging/organizationSink:OrganizationSink": ["name", "orgId"],
    "gcp:logging/folderSink:FolderSink": ["name", "folder"],
    "gcp:logging/metric:Metric": ["name", "project"],
    "github:index/repositoryEnvironment:RepositoryEnvironment": ["repository", "environment"],
    "grafana:oss/folder:Folder": ["uid"],
};
/** Inputs that force replacement on every resource type that has them. */
const ALWAYS_REPLACE = ["project", "region", "location"];

/** `import`: a new resource that adopts an existing one (the `import` option) instead of creating it. */
export type ChangeKind = "create" | "import" | "update" | "replace" | "delete";

export interface Change {
    kind: ChangeKind;
    urn: string;
    type: string;
    /** Inputs that differ (update/replace). */
    keys: string[];
    /** A protected resource would be deleted or replaced: refuse. */
    protectedViolation: boolean;
}

const stable = (v: unknown): string => JSON.stringify(v);

/** What applying `next` over `prev` would do, resource by resource, in URN order. */
export function diffPlans(prev: readonly PlanResource[], next: readonly PlanResource[]): Change[] {
    const before = new Map(prev.map((r) => [r.urn, r]));
    const after = new Map(next.map((r) => [r.urn, r]));
    const changes: Change[] = [];
    for (const [urn, r] of after) {
        const old = before.get(urn);
        if (!old) {
            changes.push({ kind: r.import ? "import" : "create", urn, type: r.type, keys: [], protectedViolation: false });
            continue;
        }
        const keys = [...new Set([...Object.keys(old.inputs), ...Object.keys(r.inputs)])]
            .filter((k) => stable(old.inputs[k]) !== stable(r.inputs[k])).sort();
        if (keys.length === 0) continue;
        const replaceKeys = [...(REPLACE_KEYS[r.type] ?? []), ...ALWAYS_REPLACE];
        const replace = keys.some((k) => replaceKeys.includes(k));
        changes.push({ kind: replace ? "replace" : "update", urn, type: r.type, keys, protectedViolation: replace && old.protect });
    }
    for (const [urn, r] of before) {
        if (!after.has(urn)) changes.push({ kind: "delete", urn, type: r.type, keys: [], protectedViolation: r.protect });
    }
    return changes.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
}

const SYMBOL: Record<ChangeKind, string> = { create: "+", import: "=", update: "~", replace: "+-", delete: "-" };

/** A Markdown report of the changes (also fit for a GitHub job summary). */
export function formatDiff(changes: readonly Change[]): string {
    const count = (k: ChangeKind) => changes.filter((c) => c.kind === k).length;
    const lines = [
        `### Plan diff: ${count("create")} to create, ${count("update")} to update, ${count("replace")} to replace, ${count("delete")} to delete` +
            (count("import") ? `, ${count("import")} to import` : ""),
        "",
    ];
    for (const c of changes) {
        const name = c.urn.slice(c.urn.lastIndexOf("::") + 2);
        const flag = c.protectedViolation ? " **PROTECTED: refused**" : "";
        lines.push(`- \`${SYMBOL[c.kind]}\` ${c.kind} \`${c.type}\` \`${name}\`${c.keys.length ? ` (${c.keys.join(", ")})` : ""}${flag}`);
    }
    if (changes.length === 0) lines.push("No changes.");
    const bad = changes.filter((c) => c.protectedViolation);
    if (bad.length) lines.push("", `${bad.length} protected resource(s) would be deleted or replaced. Unprotect them deliberately first.`);
    return lines.join("\n") + "\n";
}
