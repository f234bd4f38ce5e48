import * as pulumi from "@pulumi/pulumi";
import { RawConfig } from "../config/load";
import { resolveAliases } from "./aliases";
import { MockContext, MockOverrides, createMocks } from "./mocks";
import type { PlanResource } from "../shared/plan";
import { WIRE, tapMockMonitor } from "../sdk/adapter";

export type { PlanResource };

export interface Evaluation {
    resources: PlanResource[];
    outputs: Record<string, unknown>;
}

/** Plain JSON from a serialized Struct: secrets become "[secret]", keys sorted for byte-stable output. */
export function redact(v: unknown): unknown {
    if (v === WIRE.unknown) return "[unknown]";
    if (Array.isArray(v)) return v.map(redact);
    if (v !== null && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (o[WIRE.sigKey] === WIRE.secretSig) return "[secret]";
        if (o[WIRE.sigKey] === WIRE.resourceSig) return o.urn;
        return Object.fromEntries(Object.keys(o).sort().map((k) => [k, redact(o[k])]));
    }
    return v;
}

/** Every reviewer team slug of a `github` config section (JSON), for the mocks' repository-teams lookup. */
function reviewerTeams(section: string | undefined): string[] {
    try {
        const g = JSON.parse(section ?? "{}") as { repositories?: { environments?: Record<string, { reviewers?: { teams?: string[] } }> }[] };
        return [...new Set((g.repositories ?? []).flatMap((r) => Object.values(r.environments ?? {}).flatMap((e) => e.reviewers?.teams ?? [])))];
    } catch {
        return [];
    }
}

/** The mock context for a stack: account, project and URLs from its config where it has them. */
export function mockContext(raw: RawConfig): MockContext {
    const v = raw.values;
    const aws = (() => { try { return JSON.parse(v[`${raw.project}:aws`] ?? "{}") as { accountId?: string }; } catch { return {}; } })();
    return {
        awsRegion: v["aws:region"] ?? "us-east-1",
        awsAccountId: aws.accountId ?? "123456789012",
        gcpProject: v["gcp:project"] ?? "offline-project",
        gcpProjectNumber: "428613029457",
        grafanaUrl: (v["grafana:url"] ?? "https://grafana.example.com").replace(/\/$/, ""),
        githubOwner: v["github:owner"] ?? "example-org",
        githubTeamsWithAccess: reviewerTeams(v[`${raw.project}:github`]),
    };
}

/**
 * Runs `program` under Pulumi's mock engine in preview mode with the given stack config and
 * returns every registered resource and the stack outputs. No credentials, no network.
 */
export async function evaluate(raw: RawConfig, program: () => unknown, overrides: MockOverrides = {}): Promise<Evaluation> {
    pulumi.runtime.setAllConfig({ ...raw.values }, [...raw.secretKeys]);
    await pulumi.runtime.setMocks(createMocks(mockContext(raw), overrides), raw.project, raw.stack, true);
    const resources: PlanResource[] = [];
    let outputs: Record<string, unknown> = {};
    let stackUrn = "";
    // Registered so far, by URN: a child's aliases build on its parent's.
    const registered = new Map<string, PlanResource>();
    tapMockMonitor({
        resource: (r) => {
            if (r.type === "pulumi:pulumi:Stack") stackUrn = r.urn;
            const parent = r.parent || null;
            const resource: PlanResource = {
                urn: r.urn,
                type: r.type,
                name: r.name,
                parent,
                protect: r.protect,
                retainOnDelete: r.retainOnDelete,
                dependsOn: [...new Set(r.dependencies)].sort(),
                provider: r.provider ? r.provider.slice(0, r.provider.lastIndexOf("::")) : null,
                import: r.importId || null,
                ignoreChanges: [...r.ignoreChanges].sort(),
                replaceWith: [...r.replaceWith].sort(),
                aliases: resolveAliases({ urn: r.urn, type: r.type, name: r.name, parent }, r.aliases, parent ? registered.get(parent) : undefined),
                inputs: redact(r.inputs) as Record<string, unknown>,
            };
            registered.set(r.urn, resource);
            resources.push(resource);
        },
        outputs: (urn, out) => {
            if (urn === stackUrn) outputs = redact(out) as Record<string, unknown>;
        },
    });

    // A component that fails inside an apply (a lookup that does not resolve, a ResourceError) surfaces
    // as an unhandled rejection while the run itself never settles: fail the evaluation with it, as
    // `pulumi up` fails the deployment.
    let fail: (e: Error) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => { fail = reject; });
    const onRejection = (e: unknown) => fail(e instanceof Error ? e : new Error(String(e)));
    process.on("unhandledRejection", onRejection);
    try {
        await Promise.race([failed, (async () => {
            await pulumi.runtime.runInPulumiStack(async () => program());
            // Stack outputs and late registrations are RPCs still in flight: drain them before reading.
            await pulumi.runtime.disconnect();
        })()]);
    } finally {
        process.removeListener("unhandledRejection", onRejection);
    }
    resources.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
    return { resources, outputs };
}
