import { z } from "zod";
import { STATELESS_TYPE } from "./classify";
import { DriftReport, PendingChange, ResourceDrift, propertyDrifts, resourceDrift, sortDrift, urnType } from "./model";
import { redactText } from "./redact";

/**
 * The JSON `pulumi preview --refresh --json` prints: a `PreviewDigest` (pkg/display/json.go in
 * github:pulumi/pulumi) built by `ShowPreviewDigest` (pkg/backend/display/json.go). Facts this
 * module relies on, all from that source (v3.259):
 * - every resource already in the state gets a `refresh` step first; a refresh that found the
 *   resource changed is rewritten in place to `update` (oldState = the state as last deployed,
 *   newState = what the provider read) and one that found it gone to `delete`;
 * - since pulumi#16146 the refresh diff is taken against the desired state and inverted
 *   (`RefreshStep.Apply`, pkg/resource/deploy/step.go), so `detailedDiff` names the drifted paths;
 * - the program's own step for the URN follows (`update`, `replace`, `create`...): what `pulumi up`
 *   would do, oldState = the refreshed state, newState = the code. `same` steps are not printed;
 * - secrets are printed as "[secret]" (`ShowSecrets` is off unless `--show-secrets`).
 */

const State = z.object({
    urn: z.string().optional(),
    type: z.string().optional(),
    inputs: z.record(z.string(), z.unknown()).nullish(),
    outputs: z.record(z.string(), z.unknown()).nullish(),
    additionalSecretOutputs: z.array(z.string()).nullish(),
}).passthrough();

const Step = z.object({
    op: z.string(),
    urn: z.string(),
    oldState: State.nullish(),
    newState: State.nullish(),
    diffReasons: z.array(z.string()).nullish(),
    replaceReasons: z.array(z.string()).nullish(),
    detailedDiff: z.record(z.string(), z.object({ kind: z.string(), inputDiff: z.boolean().optional() })).nullish(),
}).passthrough();

export const PreviewDigest = z.object({
    steps: z.array(Step).nullish(),
    diagnostics: z.array(z.object({
        urn: z.string().optional(), message: z.string().optional(), severity: z.string().optional(),
    }).passthrough()).nullish(),
    changeSummary: z.record(z.string(), z.number()).nullish(),
}).passthrough();

export type PreviewDigest = z.infer<typeof PreviewDigest>;
type PreviewStep = z.infer<typeof Step>;

export class PreviewFormatError extends Error {}

/** Ops that change nothing. */
const NO_CHANGE = new Set(["same", "refresh", "read", "discard"]);

const keysOf = (s: PreviewStep | undefined): string[] =>
    s ? Object.keys(s.detailedDiff ?? {}).length ? Object.keys(s.detailedDiff ?? {}) : [...(s.diffReasons ?? []), ...(s.replaceReasons ?? [])] : [];

/** Parses the preview JSON; throws PreviewFormatError naming what is wrong. */
export function parsePreview(text: string, source = "preview JSON"): PreviewDigest {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        throw new PreviewFormatError(`${source}: not JSON (${(e as Error).message}); expected the output of \`pulumi preview --refresh --json\``);
    }
    const parsed = PreviewDigest.safeParse(doc);
    if (!parsed.success) throw new PreviewFormatError(`${source}: not a Pulumi preview digest: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    return parsed.data;
}

/** The drift report of one stack from its refresh preview. */
export function driftFromPreview(digest: PreviewDigest, project: string, stack: string): DriftReport {
    const steps = digest.steps ?? [];
    // The root stack always gets a refresh step in a refresh preview (it is not a custom resource, so
    // it never drifts): without one, this preview did not refresh and cannot show drift.
    if (steps.length > 0 && !steps.some((s) => s.op === "refresh")) {
        throw new PreviewFormatError("this preview did not refresh (no `refresh` step): run `pulumi preview --refresh --json`");
    }
    const byUrn = new Map<string, PreviewStep[]>();
    for (const s of steps) byUrn.set(s.urn, [...(byUrn.get(s.urn) ?? []), s]);

    const drift: ResourceDrift[] = [];
    const pending: PendingChange[] = [];
    for (const [urn, list] of byUrn) {
        const type = list[0].newState?.type ?? list[0].oldState?.type ?? urnType(urn);
        if (STATELESS_TYPE.test(type)) continue;
        // A resource in the state has its refresh step first; a resource new in the code has none.
        const refreshed = ["refresh", "update", "delete"].includes(list[0].op) ? list[0] : undefined;
        const program = list.slice(refreshed ? 1 : 0).find((s) => !NO_CHANGE.has(s.op));
        if (refreshed?.op === "delete") {
            drift.push(resourceDrift(urn, type, "missing", [], program?.op));
        } else if (refreshed?.op === "update") {
            const observed = refreshed.newState;
            const code = program?.newState ?? refreshed.oldState;
            const keys = [...new Set([...keysOf(refreshed), ...keysOf(program)])];
            const properties = propertyDrifts(type, {
                code: code?.inputs ?? {},
                observed: observed?.inputs ?? {},
                observedOutputs: observed?.outputs ?? {},
                secretOutputs: observed?.additionalSecretOutputs ?? [],
            }, keys);
            drift.push(resourceDrift(urn, type, "changed", properties, program?.op));
        } else if (program) {
            pending.push({ urn, type, op: program.op, properties: keysOf(program) });
        }
    }
    const diagnostics = (digest.diagnostics ?? [])
        .filter((d) => d.severity === "error" || d.severity === "warning")
        .map((d) => `${d.severity}${d.urn ? ` ${d.urn}` : ""}: ${redactText((d.message ?? "").trim())}`);
    return { project, stack, source: "preview", drift: sortDrift(drift), pending, diagnostics };
}
