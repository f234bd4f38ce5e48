import * as pulumi from "@pulumi/pulumi";
import { RawConfig } from "../config/load";
import { AliasSpec, AliasedResource, resolveAliases } from "./aliases";
import { MockContext, MockOverrides, createMocks } from "./mocks";
import type { PlanResource } from "../shared/plan";

export type { PlanResource };

export interface Evaluation {
    resources: PlanResource[];
    outputs: Record<string, unknown>;
}

// Signatures the Pulumi wire format uses inside a serialized Struct.
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Plain JSON from a serialized Struct: secrets become "[secret]", keys sorted for byte-stable output. */
export function redact(v: unknown): unknown {
    if (v === UNKNOWN) return "[unknown]";
    if (Array.isArray(v)) return v.map(redact);
    if (v !== null && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (o[SIG] === SECRET_SIG) return "[secret]";
        if (o[SIG] === RESOURCE_SIG) return o.urn;
        return Object.fromEntries(Object.keys(o).sort().map((k) => [k, redact(o[k])]));
    }
    return v;
}

interface StructLike { toJavaScript(): Record<string, unknown> }
interface RegisterRequest {
    getType(): string; getName(): string; getParent(): string; getProtect(): boolean; getRetainondelete(): boolean;
    getDependenciesList(): string[]; getProvider(): string; getObject(): StructLike | undefined;
    getImportid(): string; getIgnorechangesList(): string[]; getReplaceWithList(): string[];
    getAliasurnsList(): string[]; getAliasesList(): AliasMessage[];
}
interface AliasMessage {
    getUrn(): string;
    getSpec(): { getName(): string; getType(): string; getStack(): string; getProject(): string; getParenturn(): string; getNoparent(): boolean } | undefined;
}
const aliasSpec = (a: AliasMessage): AliasSpec => {
    const s = a.getSpec();
    return s ? { name: s.getName(), type: s.getType(), stack: s.getStack(), project: s.getProject(), parentUrn: s.getParenturn(), noParent: s.getNoparent() }
        : { urn: a.getUrn() };
};
interface OutputsRequest { getUrn(): string; getOutputs(): StructLike | undefined }
interface RegisterResponse { getUrn(): string }
type Callback<T> = (err: Error | null, res: T) => void;
interface MonitorLike {
    registerResource(req: RegisterRequest, cb: Callback<RegisterResponse>): void;
    registerResourceOutputs(req: OutputsRequest, cb: Callback<unknown>): void;
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
    const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
    const resources: PlanResource[] = [];
    let outputs: Record<string, unknown> = {};
    let stackUrn = "";
    const registered = new Map<string, AliasedResource>();

    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => register(req, (err, res) => {
        if (!err && res) {
            const provider = req.getProvider();
            const type = req.getType();
            if (type === "pulumi:pulumi:Stack") stackUrn = res.getUrn();
            const parent = req.getParent() || null;
            const specs = [...req.getAliasurnsList().map((urn) => ({ urn })), ...req.getAliasesList().map(aliasSpec)];
            const aliases = resolveAliases({ urn: res.getUrn(), type, name: req.getName(), parent }, specs, parent ? registered.get(parent) : undefined);
            registered.set(res.getUrn(), { urn: res.getUrn(), name: req.getName(), aliases });
            resources.push({
                urn: res.getUrn(),
                type,
                name: req.getName(),
                parent,
                protect: req.getProtect(),
                retainOnDelete: req.getRetainondelete(),
                dependsOn: [...new Set(req.getDependenciesList())].sort(),
                provider: provider ? provider.slice(0, provider.lastIndexOf("::")) : null,
                import: req.getImportid() || null,
                ignoreChanges: [...req.getIgnorechangesList()].sort(),
                replaceWith: [...req.getReplaceWithList()].sort(),
                aliases,
                inputs: redact(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
            });
        }
        cb(err, res);
    });
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, cb) => {
        if (req.getUrn() === stackUrn) outputs = redact(req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
        registerOutputs(req, cb);
    };

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
