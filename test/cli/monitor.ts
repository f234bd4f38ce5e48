import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import { redact } from "../../tools/engine";

/*
 * The engine side of the Pulumi CLI protocol, for one program run: a ResourceMonitor and an Engine
 * gRPC service on 127.0.0.1, built on the SDK's own generated stubs (@pulumi/pulumi/proto/*_grpc_pb.js)
 * — the services `pulumi preview` serves to the Node.js language host (pulumi/pulumi
 * pkg/resource/deploy/source_eval.go registers ResourceMonitorServer; the host passes its address as
 * --monitor, pulumi-language-nodejs/main.go constructArguments). Resources get ids and outputs from the
 * same mocks as the offline plan (tools/mocks), answered as the SDK's MockMonitor answers them, so the
 * two runs can be compared; the engine's `log` collects the program's diagnostics.
 */

// Generated stubs and messages, untyped CommonJS in the SDK.
/* eslint-disable @typescript-eslint/no-require-imports */
const resourceGrpc = require("@pulumi/pulumi/proto/resource_grpc_pb") as { ResourceMonitorService: grpc.ServiceDefinition };
const engineGrpc = require("@pulumi/pulumi/proto/engine_grpc_pb") as { EngineService: grpc.ServiceDefinition };
const resproto = require("@pulumi/pulumi/proto/resource_pb") as Record<string, new () => Message>;
const provproto = require("@pulumi/pulumi/proto/provider_pb") as Record<string, new () => Message>;
const engproto = require("@pulumi/pulumi/proto/engine_pb") as Record<string, new () => Message>;
const emptyproto = require("google-protobuf/google/protobuf/empty_pb") as { Empty: new () => Message };
const structproto = require("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(v: unknown): unknown } };
const rpc = require("@pulumi/pulumi/runtime/rpc") as {
    deserializeProperties(s: unknown): Record<string, unknown>;
    serializeProperties(label: string, v: Record<string, unknown>): Promise<Record<string, unknown>>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** A protobuf message: getters and setters generated per field. */
type Message = Record<string, (...a: unknown[]) => unknown>;
type Call = { request: Message };
type Callback = (err: grpc.ServiceError | null, res?: unknown) => void;

/** A resource as the monitor received it. */
export interface MonitoredResource {
    urn: string;
    type: string;
    name: string;
    parent: string | null;
    custom: boolean;
    /** Inputs as sent (secrets "[secret]"). */
    inputs: Record<string, unknown>;
    /** Inputs with secrets revealed, for asserting how a secret arrived; never printed. */
    plainInputs: Record<string, unknown>;
    /** Paths of the inputs the SDK sent as secrets, e.g. `slacks[0].url`. */
    secretInputs: string[];
}

export interface EngineLog { severity: number; message: string; urn: string; /** ms since the monitor started. */ at: number }

/** Features the monitor claims: exactly those `pulumi.runtime.setMocks` claims, so serialization matches the offline plan. */
const FEATURES = new Set(["secrets", "resourceReferences", "deletedWith", "replaceWith", "aliasSpecs", "parameterization", "resourceHooks", "errorHooks"]);

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export class TestMonitor {
    readonly resources: MonitoredResource[] = [];
    readonly logs: EngineLog[] = [];
    readonly features = new Set<string>();
    readonly invokes: string[] = [];
    stackOutputs: Record<string, unknown> | undefined;
    private rootUrn = "";
    private started = Date.now();
    private readonly server = new grpc.Server();
    private readonly states = new Map<string, Record<string, unknown>>();

    constructor(private readonly mocks: pulumi.runtime.Mocks, private readonly project: string, private readonly stack: string) {}

    /** Starts both services on one 127.0.0.1 port; returns the address. */
    async start(): Promise<string> {
        this.started = Date.now();
        const handle = <T>(fn: (req: Message) => Promise<T> | T) => (call: Call, cb: Callback) => {
            Promise.resolve().then(() => fn(call.request)).then((res) => cb(null, res), (e: unknown) => {
                cb({ code: grpc.status.UNKNOWN, details: e instanceof Error ? e.message : String(e) } as grpc.ServiceError);
            });
        };
        this.server.addService(resourceGrpc.ResourceMonitorService, {
            supportsFeature: handle((req) => {
                const id = String(req.getId());
                this.features.add(id);
                const res = new resproto.SupportsFeatureResponse();
                res.setHassupport(FEATURES.has(id));
                return res;
            }),
            registerResource: handle((req) => this.register(req)),
            readResource: handle((req) => this.read(req)),
            registerResourceOutputs: handle((req) => {
                const urn = String(req.getUrn());
                const outputs = (req.getOutputs() as { toJavaScript(): Record<string, unknown> } | undefined)?.toJavaScript() ?? {};
                if (urn === this.stackUrn()) this.stackOutputs = redact(outputs) as Record<string, unknown>;
                return new emptyproto.Empty();
            }),
            invoke: handle((req) => this.invoke(req)),
            registerPackage: handle(() => {
                const res = new resproto.RegisterPackageResponse();
                res.setRef("test-monitor-package");
                return res;
            }),
            signalAndWaitForShutdown: handle(() => new emptyproto.Empty()),
        });
        this.server.addService(engineGrpc.EngineService, {
            log: handle((req) => {
                this.logs.push({ severity: Number(req.getSeverity()), message: String(req.getMessage()), urn: String(req.getUrn()), at: Date.now() - this.started });
                return new emptyproto.Empty();
            }),
            getRootResource: handle(() => {
                const res = new engproto.GetRootResourceResponse();
                res.setUrn(this.rootUrn);
                return res;
            }),
            setRootResource: handle((req) => {
                this.rootUrn = String(req.getUrn());
                return new engproto.SetRootResourceResponse();
            }),
        });
        const port = await new Promise<number>((resolve, reject) => {
            this.server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
        });
        return `127.0.0.1:${port}`;
    }

    /** Stops the server and drops every connection. */
    stop(): void {
        this.server.forceShutdown();
    }

    private stackUrn(): string {
        return `urn:pulumi:${this.stack}::${this.project}::pulumi:pulumi:Stack::${this.project}-${this.stack}`;
    }

    private urn(parent: string, type: string, name: string): string {
        const qualified = parent ? `${parent.split("::")[2].split("$").pop()}$${type}` : type;
        return `urn:pulumi:${this.stack}::${this.project}::${qualified}::${name}`;
    }

    private async register(req: Message): Promise<unknown> {
        const type = String(req.getType());
        const name = String(req.getName());
        const parent = String(req.getParent());
        const raw = (req.getObject() as { toJavaScript(): Record<string, unknown> } | undefined)?.toJavaScript() ?? {};
        const secretInputs = secretPaths(raw, "");
        const result = await this.mocks.newResource({
            type, name, inputs: rpc.deserializeProperties(req.getObject()), provider: String(req.getProvider()),
            custom: Boolean(req.getCustom()), id: String(req.getImportid()),
        });
        const urn = this.urn(parent, type, name);
        this.resources.push({ urn, type, name, parent: parent || null, custom: Boolean(req.getCustom()), inputs: redact(raw) as Record<string, unknown>, plainInputs: reveal(raw) as Record<string, unknown>, secretInputs });
        const state = await rpc.serializeProperties("", result.state);
        this.states.set(urn, state);
        const res = new resproto.RegisterResourceResponse();
        res.setUrn(urn);
        res.setId(result.id ?? "");
        res.setObject(structproto.Struct.fromJavaScript(state));
        return res;
    }

    private async read(req: Message): Promise<unknown> {
        const type = String(req.getType());
        const name = String(req.getName());
        const result = await this.mocks.newResource({
            type, name, inputs: rpc.deserializeProperties(req.getProperties()), provider: String(req.getProvider()), custom: true, id: String(req.getId()),
        });
        const urn = this.urn(String(req.getParent()), type, name);
        const state = await rpc.serializeProperties("", result.state);
        const res = new resproto.ReadResourceResponse();
        res.setUrn(urn);
        res.setProperties(structproto.Struct.fromJavaScript(state));
        return res;
    }

    private async invoke(req: Message): Promise<unknown> {
        const token = String(req.getTok());
        this.invokes.push(token);
        const result = await this.mocks.call({ token, inputs: rpc.deserializeProperties(req.getArgs()), provider: String(req.getProvider()) });
        const res = new provproto.InvokeResponse();
        res.setReturn(structproto.Struct.fromJavaScript(await rpc.serializeProperties("", result as Record<string, unknown>)));
        return res;
    }
}

/** Paths of secret values in a serialized Struct. */
function secretPaths(v: unknown, at: string): string[] {
    if (Array.isArray(v)) return v.flatMap((x, i) => secretPaths(x, `${at}[${i}]`));
    if (v === null || typeof v !== "object") return [];
    const o = v as Record<string, unknown>;
    if (o[SIG] === SECRET_SIG) return [at];
    return Object.entries(o).flatMap(([k, x]) => secretPaths(x, at ? `${at}.${k}` : k));
}

/** Plain JSON with secret values revealed (test assertions only). */
function reveal(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(reveal);
    if (v !== null && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (o[SIG] === SECRET_SIG) return reveal(o.value);
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, reveal(x)]));
    }
    return v;
}
