/**
 * The mutation harness: runs plan mutations through the offline evaluator and the policy pack's
 * adapter (both in-process, on mutated plan documents), stack-file mutations through the config
 * loader (in-process) and a few through the plan CLI, and checks that no secret canary appears in
 * any message or written file. Used by `npm run mutate` (tools/mutate.ts) and by npm test.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import type { PolicyResource as SdkResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { ConfigError } from "../../config/errors";
import { RawConfig, parseSettings } from "../../config/load";
import { evaluatePolicies, offlineContext } from "../../policy/evaluate";
import { toPolicies } from "../../policy/pack";
import { Rule, StackIdentity } from "../../policy/rule";
import { RULES } from "../../policy/rules";
import type { PlanResource } from "../engine";
import { buildPlan } from "../plan";
import { readStackConfig } from "../stackfile";
import { PlanMutation, planMutations } from "./plan-mutations";
import { CANARY, StackMutation, stackMutations } from "./stack-mutations";

export interface Outcome {
    readonly id: string;
    /** Plan mutations: the guarantee; stack mutations: the category. */
    readonly group: string;
    readonly kind: "plan" | "stack" | "cli";
    readonly expect: string;
    readonly ok: boolean;
    readonly detail: string;
    readonly leaked: boolean;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** The mandatory rules the policy pack (CLI path) reports for resources, through its @pulumi/policy adapter. */
function packViolations(resources: readonly PlanResource[], identity: StackIdentity, rules: readonly Rule[]): Set<string> {
    const found = new Set<string>();
    const subjects = resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
    for (const [i, policy] of toPolicies(rules).entries()) {
        const report = () => { found.add(rules[i].name); };
        const common = {
            stackTags: new Map<string, string>(), getConfig: <T extends object>() => identity as unknown as T,
            notApplicable: (): never => { throw new NotApplicable(); },
        };
        const opts = (r: PlanResource) => ({ protect: r.protect, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 } });
        try {
            if ("validateStack" in policy) {
                const sdk: SdkResource[] = subjects.map((r) => ({ type: r.type, props: r.inputs, urn: r.urn, name: r.name, opts: opts(r), dependencies: [], propertyDependencies: {}, isType: () => false, asType: () => undefined }));
                sdk.forEach((s, j) => { s.dependencies = subjects[j].dependsOn.map((u) => sdk.find((x) => x.urn === u)).filter((x): x is SdkResource => x !== undefined); });
                void policy.validateStack({ resources: sdk, ...common } as StackValidationArgs, report);
            } else {
                for (const r of subjects) {
                    const args: ResourceValidationArgs = { type: r.type, props: r.inputs, urn: r.urn, name: r.name, opts: opts(r), ...common, isType: () => false, asType: () => undefined };
                    const v = policy.validateResource;
                    for (const f of Array.isArray(v) ? v : v ? [v] : []) void f(args, report);
                }
            }
        } catch (e) {
            if (!(e instanceof NotApplicable)) throw e;
        }
    }
    return found;
}
class NotApplicable extends Error {}

/** Runs one plan mutation: offline evaluator (the verdict) and the pack (caught too, or plan-only). */
function runPlanMutation(m: PlanMutation, base: PlanResource[], identity: StackIdentity, rules: readonly Rule[]): Outcome & { pack: "caught" | "plan-only" | "missed" | "n/a" } {
    const resources = clone(base);
    m.apply(resources);
    const found = new Set(evaluatePolicies(resources, offlineContext(m.stack, identity), rules).filter((v) => v.level === "mandatory").map((v) => v.policy));
    const pack = packViolations(resources, identity, rules);
    const rule = RULES.find((r) => r.name === m.rule);
    const packVerdict = m.expect === "accepted" ? "n/a" : pack.has(m.rule ?? "") ? "caught"
        : (rule?.requires ?? []).some((o) => o !== "secrets" && o !== "identity") ? "plan-only" : "missed";
    const ok = m.expect === "accepted" ? found.size === 0 && pack.size === 0 : found.has(m.rule ?? "") && packVerdict !== "missed";
    const detail = m.expect === "accepted" ? (ok ? "accepted" : `rejected by ${[...found, ...pack].join(", ")}`)
        : ok ? `caught by ${m.rule}${packVerdict === "plan-only" ? " (plan only)" : ""}` : `survived (offline: ${[...found].join(", ") || "nothing"}; pack: ${packVerdict})`;
    return { id: m.id, group: m.guarantee, kind: "plan", expect: m.expect, ok, detail, leaked: false, pack: packVerdict };
}

/** Runs one stack-file mutation through the stack-file reader and config loader. */
function runStackMutation(m: StackMutation, projectDir: string, tmp: string): Outcome {
    let messages: string[] = [];
    let rejected = false;
    try {
        let raw: RawConfig;
        if (m.file) {
            const f = path.join(tmp, `Pulumi.${m.stack}.yaml`);
            fs.writeFileSync(f, m.file(fs.readFileSync(path.join(projectDir, `Pulumi.${m.stack}.yaml`), "utf8")));
            raw = readStackConfig(projectDir, m.stack, f);
        } else {
            raw = m.apply!(readStackConfig(projectDir, m.stack));
        }
        parseSettings(raw);
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        rejected = true;
        messages = [e.message];
    }
    const text = messages.join("\n");
    const leaked = text.includes(CANARY);
    const named = !m.mentions || !rejected || text.includes(m.mentions);
    const ok = (m.expect === "rejected") === rejected && named && !leaked && text.length < 20_000;
    const detail = rejected ? (ok ? "rejected" : `rejected, but ${leaked ? "the canary leaked" : !named ? `no message names ${m.mentions}` : "unexpectedly"}: ${text.slice(0, 300)}`) : ok ? "accepted" : "accepted (should be rejected)";
    return { id: m.id, group: m.category, kind: "stack", expect: m.expect, ok, detail, leaked };
}

/** A few stack-file mutations through the real CLI: exit code, and the canary in no output and no written file. */
function runCliMutations(projectDir: string, tmp: string, limit: number): Outcome[] {
    const prod = fs.readFileSync(path.join(projectDir, "Pulumi.prod.yaml"), "utf8");
    const cases: { id: string; text: string; code: number }[] = [
        { id: "cli/yaml-syntax-with-secret", text: prod.replace("\nconfig:\n", `\nconfig:\n  kms-observability:slackWebhookUrl2: [https://hooks.slack.com/services/T0/B0/${CANARY}\n  x: {\n`), code: 1 },
        { id: "cli/secret-under-misspelled-key", text: prod.replace("\nconfig:\n", `\nconfig:\n  kms-observability:slackWebhookUrll: https://hooks.slack.com/services/T0/B0/${CANARY}\n`), code: 1 },
        // protectStateful: false in prod is a config error now (config/tier.ts); a short retention is policy-only.
        { id: "cli/policy-only-violation", text: prod.replace("retentionDays: 730", "retentionDays: 365"), code: 3 },
        { id: "cli/secret-in-grafana-url", text: prod.replace("grafana:url: https://grafana.ledger-mind.org", `grafana:url: https://admin:${CANARY}@grafana.ledger-mind.org`), code: 1 },
    ];
    return cases.slice(0, limit).map((c) => {
        const file = path.join(tmp, `${c.id.replace(/\W/g, "-")}.yaml`);
        const out = path.join(tmp, `${c.id.replace(/\W/g, "-")}-out`);
        fs.writeFileSync(file, c.text);
        const r = spawnSync(process.execPath, ["--stack-trace-limit=0", path.join(projectDir, "dist", "tools", "plan.js"), "--stack", "prod", "--config-file", file, "--out", out], { encoding: "utf8", timeout: 60_000 });
        const written = fs.existsSync(out) ? fs.readdirSync(out, { recursive: true }).map(String).map((f) => path.join(out, f)).filter((f) => fs.statSync(f).isFile()) : [];
        const leaked = `${r.stdout}${r.stderr}`.includes(CANARY) || written.some((f) => fs.readFileSync(f, "utf8").includes(CANARY));
        const sourced = c.code !== 3 || /\(from [^:]+\.yaml: kms-observability:gcp\.bucket\.retentionDays\)/.test(r.stderr);
        const ok = r.status === c.code && !leaked && sourced;
        return { id: c.id, group: "bytes", kind: "cli" as const, expect: `exit ${c.code}`, ok, detail: `exit ${r.status}${leaked ? ", canary leaked" : ""}${sourced ? "" : ", violation names no config key"}`, leaked };
    });
}

export interface Report {
    readonly outcomes: readonly Outcome[];
    readonly plan: number;
    readonly stack: number;
    readonly packPlanOnly: number;
}

export interface RunOptions {
    /** At most this many CLI runs (default 4). */
    readonly cli?: number;
    /** Run every n-th plan mutation only (default 1: all); npm test's fast subset uses 2. */
    readonly sample?: number;
    /** The rules to judge plans with (default: the whole pack); the harness's own test weakens it. */
    readonly rules?: readonly Rule[];
    /** Skip the stack-file and CLI mutations. */
    readonly planOnly?: boolean;
}

/** Runs the harness. */
export async function runMutations(projectDir: string, opts: RunOptions = {}): Promise<Report> {
    const program = () => (require(path.join(projectDir, "dist", "index.js")) as () => unknown)();
    const plans = {} as Record<"prod" | "staging", PlanResource[]>;
    const identities = {} as Record<"prod" | "staging", StackIdentity>;
    for (const stack of ["prod", "staging"] as const) {
        const built = await buildPlan(projectDir, { stack }, program);
        plans[stack] = built.plan.resources;
        identities[stack] = { awsAccountId: built.settings.aws.accountId, githubOwner: built.settings.providers["github:owner"] };
        const baseline = evaluatePolicies(plans[stack], offlineContext(stack, identities[stack])).filter((v) => v.level === "mandatory");
        if (baseline.length) throw new Error(`the ${stack} plan itself violates ${baseline.map((v) => v.policy).join(", ")}`);
    }
    const planOutcomes = planMutations(plans).filter((_, i) => i % (opts.sample ?? 1) === 0)
        .map((m) => runPlanMutation(m, plans[m.stack], identities[m.stack], opts.rules ?? RULES));
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kms-mutate-"));
    try {
        const stack = opts.planOnly ? [] : stackMutations().map((m) => runStackMutation(m, projectDir, tmp));
        const cli = opts.planOnly ? [] : runCliMutations(projectDir, tmp, opts.cli ?? 4);
        return {
            outcomes: [...planOutcomes, ...stack, ...cli],
            plan: planOutcomes.length, stack: stack.length + cli.length,
            packPlanOnly: planOutcomes.filter((o) => o.pack === "plan-only").length,
        };
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

/** The report as text: kill rate per guarantee / category, then every failure. */
export function formatReport(r: Report): string {
    const lines: string[] = [];
    const groups = [...new Set(r.outcomes.map((o) => `${o.kind === "plan" ? "plan" : "stack file"} | ${o.group}`))];
    lines.push("kind       | guarantee or category | caught | valid variants accepted");
    for (const g of groups) {
        const os = r.outcomes.filter((o) => `${o.kind === "plan" ? "plan" : "stack file"} | ${o.group}` === g);
        const bad = os.filter((o) => o.expect !== "accepted");
        const good = os.filter((o) => o.expect === "accepted");
        const pct = (n: number, d: number) => (d ? `${n}/${d} (${((100 * n) / d).toFixed(0)} %)` : "-");
        lines.push(`${g} | ${pct(bad.filter((o) => o.ok).length, bad.length)} | ${pct(good.filter((o) => o.ok).length, good.length)}`);
    }
    const bad = r.outcomes.filter((o) => o.expect !== "accepted");
    const good = r.outcomes.filter((o) => o.expect === "accepted");
    const leaks = r.outcomes.filter((o) => o.leaked).length;
    lines.push("", `plan mutations: ${r.plan} (${r.packPlanOnly} caught by plan-only rules; the rest by the offline plan and the pack alike); stack-file mutations: ${r.stack}`);
    lines.push(`caught ${bad.filter((o) => o.ok).length}/${bad.length} guarantee-defeating mutations; valid variants rejected: ${good.filter((o) => !o.ok).length}/${good.length}; secrets echoed: ${leaks}`);
    for (const o of r.outcomes.filter((x) => !x.ok)) lines.push(`  FAIL ${o.id}: ${o.detail}`);
    return lines.join("\n") + "\n";
}
