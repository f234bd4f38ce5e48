/**
 * Security checks over GitHub Actions workflows, run offline by `npm test` (test/github/security.test.ts)
 * next to actionlint, which checks syntax and expressions but not these. The rules follow GitHub's
 * "Security hardening for GitHub Actions" (docs.github.com/en/actions/security-for-github-actions/
 * security-guides/security-hardening-for-github-actions: pin actions to a full-length commit SHA,
 * script injection through `${{ }}` in `run:`, least-privilege GITHUB_TOKEN) and the pull-request
 * trust model (pull_request_target / workflow_run run with the base repository's secrets). zizmor,
 * the maintained linter for these rules, ships only through PyPI and crates.io, neither reachable here.
 */
import * as fs from "fs";
import * as path from "path";
import { isMap, isPair, isScalar, isSeq, parseDocument, Scalar, YAMLMap } from "yaml";

export type RuleId =
    | "unpinned-uses"
    | "untrusted-checkout"
    | "oidc-without-environment"
    | "pr-secrets"
    | "pr-write-token"
    | "expression-injection"
    | "missing-permissions"
    | "persist-credentials";

export interface SecurityFinding {
    readonly rule: RuleId;
    readonly file: string;
    /** 1-based line of the offending node. */
    readonly line: number;
    readonly message: string;
}

export interface SecurityOptions {
    /**
     * Jobs allowed `id-token: write` without an environment because every identity their token can
     * reach is read-only (checked by the policy pack's ci-* rules), as `<file>#<job>`.
     */
    readonly readOnlyOidcJobs?: readonly string[];
    /** Secret names a pull-request job may read because they are read-only by design. Default: names containing READONLY. */
    readonly readOnlySecret?: (name: string) => boolean;
}

/** `owner/repo[/path]@<40 hex>` followed on the same line by `# vX.Y.Z`. */
const PINNED = /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/;
const VERSION_COMMENT = /^\s*v\d+\.\d+\.\d+\b/;
/** Events whose jobs run code or take input a pull request controls. */
const PR_EVENTS = ["pull_request", "pull_request_target", "workflow_run"];
/** Events that run with the base repository's secrets and write token although a pull request triggered them. */
const PRIVILEGED_PR_EVENTS = ["pull_request_target", "workflow_run"];
/** Expressions in `run:` that an attacker can set (branch names, titles, bodies, commit messages, ...). */
const TAINTED = /\$\{\{[^}]*\b(github\.event\.|github\.head_ref|inputs\.|github\.event_path)/;
/** Event fields that are numbers or SHAs, which a pull request cannot turn into shell syntax. */
const SAFE_EVENT_FIELD = /github\.event\.(pull_request\.number|number|pull_request\.(base|head)\.sha|workflow_run\.id)\b/g;
/** A ref that names the pull request's head: checking it out runs untrusted code. */
const PR_HEAD_REF = /github\.event\.(pull_request\.head|workflow_run\.head)|github\.head_ref|refs\/pull\//;
/** Token scopes a pull-request job may have as write when it runs no checked-out code (commenting). */
const COMMENT_SCOPES = ["pull-requests", "issues"];

const get = (m: unknown, key: string): unknown => (isMap(m) ? m.get(key, true) : undefined);
const str = (n: unknown): string | undefined => (isScalar(n) ? String(n.value) : typeof n === "string" ? n : undefined);
const entries = (m: unknown): [string, unknown][] =>
    isMap(m) ? m.items.filter(isPair).map((p) => [String(isScalar(p.key) ? p.key.value : p.key), p.value]) : [];

export function checkWorkflow(file: string, source: string, opts: SecurityOptions = {}): SecurityFinding[] {
    const doc = parseDocument(source, { keepSourceTokens: true });
    const lineOf = (node: unknown): number => {
        const range = (node as { range?: [number, number, number] } | undefined)?.range;
        return range ? source.slice(0, range[0]).split("\n").length : 1;
    };
    const findings: SecurityFinding[] = [];
    const report = (rule: RuleId, node: unknown, message: string) => findings.push({ rule, file, line: lineOf(node), message });
    const readOnlySecret = opts.readOnlySecret ?? ((n: string) => /READONLY/.test(n));
    const root = doc.contents;
    const onNode = get(root, "on");
    const events = isMap(onNode) ? entries(onNode).map(([k]) => k) : isSeq(onNode) ? onNode.items.map((i) => str(i) ?? "") : [str(onNode) ?? ""];
    const prTriggered = events.some((e) => PR_EVENTS.includes(e));
    const privileged = events.some((e) => PRIVILEGED_PR_EVENTS.includes(e));

    const topPermissions = get(root, "permissions");
    if (topPermissions === undefined) {
        report("missing-permissions", root, "no top-level `permissions`: the GITHUB_TOKEN gets the repository's default (possibly write-all); declare `permissions: { contents: read }` and widen per job");
    } else if (str(topPermissions) === "write-all") {
        report("missing-permissions", topPermissions, "top-level `permissions: write-all`: declare the read scopes the workflow needs");
    }

    for (const [jobName, job] of entries(get(root, "jobs"))) {
        const permissions = get(job, "permissions") ?? topPermissions;
        const scopes = isMap(permissions) ? entries(permissions).map(([k, v]) => [k, str(v)] as const) : [];
        const allWrite = str(permissions) === "write-all";
        const writes = allWrite ? ["write-all"] : scopes.filter(([, v]) => v === "write").map(([k]) => k);
        const environment = get(job, "environment");
        const hasEnvironment = environment !== undefined && (str(environment) ?? str(get(environment, "name"))) !== undefined;
        const steps = get(job, "steps");
        const stepList = isSeq(steps) ? steps.items : [];
        const checksOut = stepList.some((s) => (str(get(s, "uses")) ?? "").startsWith("actions/checkout@"));

        if (writes.includes("id-token") && !hasEnvironment && !(opts.readOnlyOidcJobs ?? []).includes(`${file}#${jobName}`)) {
            report("oidc-without-environment", permissions, `job ${jobName} may request OIDC tokens (id-token: write) outside a deployment environment: any branch that can run it reaches the identities its token is trusted by; run it in a protected environment or list it as read-only by design`);
        }
        if (prTriggered && !hasEnvironment) {
            const bad = writes.filter((w) => w !== "id-token" && (checksOut || !COMMENT_SCOPES.includes(w)));
            if (bad.length) report("pr-write-token", permissions, `job ${jobName} runs for pull requests with a write token (${bad.join(", ")})${checksOut ? " and checks out code that can use it" : ""}`);
        }

        const secretsIn = (node: unknown, where: string) => {
            const text = JSON.stringify(isMap(node) || isSeq(node) || isScalar(node) ? node.toJSON() : node ?? null);
            for (const m of text.matchAll(/secrets(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*format\('([A-Za-z0-9_]+)\{0\}'|\[)/g)) {
                const name = m[1] ?? m[2] ?? "<dynamic>";
                if (name === "GITHUB_TOKEN") continue;
                if (prTriggered && !hasEnvironment && !readOnlySecret(name)) {
                    report("pr-secrets", node, `job ${jobName} (${where}) reads secrets.${name} in a workflow pull requests trigger: only read-only secrets, or a protected environment's`);
                }
            }
        };
        secretsIn(get(job, "env"), "env");
        if (str(get(job, "secrets")) === "inherit" && prTriggered && !hasEnvironment) {
            report("pr-secrets", job, `job ${jobName} passes every secret (secrets: inherit) to a reusable workflow pull requests trigger`);
        }

        stepList.forEach((s, i) => {
            const label = `job ${jobName} step ${str(get(s, "name")) ?? str(get(s, "uses")) ?? i + 1}`;
            secretsIn(s, label);
            const usesNode = isMap(s) ? (s as YAMLMap).get("uses", true) as Scalar | undefined : undefined;
            const uses = str(usesNode);
            if (uses !== undefined && !uses.startsWith("./") && !/^docker:\/\/.+@sha256:[0-9a-f]{64}$/.test(uses)) {
                const comment = usesNode?.comment ?? "";
                if (!PINNED.test(uses)) report("unpinned-uses", usesNode, `${label}: ${uses} is not pinned to a full 40-hex commit SHA (a tag or branch can be moved to other code)`);
                else if (!VERSION_COMMENT.test(comment)) report("unpinned-uses", usesNode, `${label}: ${uses} has no "# vX.Y.Z" comment naming the version the SHA is`);
            }
            if (uses?.startsWith("actions/checkout@")) {
                const withNode = get(s, "with");
                const persist = str(get(withNode, "persist-credentials"));
                if (persist !== "false") report("persist-credentials", usesNode, `${label}: actions/checkout leaves the token in .git/config (persist-credentials defaults to true); set persist-credentials: false`);
                const ref = str(get(withNode, "ref")) ?? "";
                if (privileged && PR_HEAD_REF.test(ref)) {
                    report("untrusted-checkout", withNode, `${label}: checks out the pull request's code (${ref}) in a ${events.filter((e) => PRIVILEGED_PR_EVENTS.includes(e)).join("/")} workflow, which runs with the base repository's secrets and write token`);
                }
            }
            for (const key of ["run", "script"] as const) {
                const node = key === "run" ? get(s, "run") : get(get(s, "with"), "script");
                const text = str(node);
                if (text !== undefined && TAINTED.test(text.replace(SAFE_EVENT_FIELD, "SAFE"))) {
                    report("expression-injection", node, `${label}: ${key} interpolates ${TAINTED.exec(text.replace(SAFE_EVENT_FIELD, "SAFE"))?.[0]}…: pass it through env: and quote "$VAR" instead (it can carry shell syntax)`);
                }
            }
        });
    }
    return findings;
}

/** One line per finding, as the test prints them. */
export const formatFinding = (f: SecurityFinding): string => `${f.file}:${f.line}: [${f.rule}] ${f.message}`;

/**
 * This repository's exceptions, each justified in docs/github.md ("CI credential design"):
 * `live-check` requests an OIDC token for pull requests, and every identity that token reaches
 * (AWS `<prefix>-ci-readonly`, GCP `kms-obs-ci-readonly`) is read-only, held by the pack's ci-* rules.
 */
export const REPOSITORY_OPTIONS: SecurityOptions = { readOnlyOidcJobs: ["preview.yml#live-check"] };

/** `node dist/tools/workflow-security.js <workflow.yml>...`: prints the findings, exits 1 when there are any. */
function main(files: string[]): void {
    if (!files.length) {
        process.stderr.write("usage: workflow-security <workflow.yml>...\n");
        process.exit(2);
    }
    const findings = files.flatMap((f) => checkWorkflow(path.basename(f), fs.readFileSync(f, "utf8"), REPOSITORY_OPTIONS));
    for (const f of findings) process.stdout.write(`${formatFinding(f)}\n`);
    process.exit(findings.length ? 1 : 0);
}

if (require.main === module) main(process.argv.slice(2));
