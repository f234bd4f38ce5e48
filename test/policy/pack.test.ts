import * as assert from "assert";
import * as path from "path";
import { ChildProcess, spawn } from "child_process";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as proto from "@pulumi/pulumi/proto/analyzer_pb";
import { PACK_OBSERVES } from "../../policy/pack";
import { RULES } from "../../policy/rules";
import { PlanResource } from "../../tools/engine";
import { ROOT } from "../harness";
import { CASES } from "./cases";
import { Case } from "./cases/types";
import { planResources } from "./run-case";

/** Starts the pack exactly as the CLI's Node.js policy host does (run-policy-pack <engine> <dir>, cwd = pack). */
function startPack(): Promise<{ child: ChildProcess; port: number }> {
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
    const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], { cwd: path.join(ROOT, "policy"), stdio: ["ignore", "pipe", "pipe"] });
    return new Promise((resolve, reject) => {
        let out = "";
        let err = "";
        const timer = setTimeout(() => reject(new Error(`the pack did not start within 90 s:\n${err}`)), 90_000);
        child.stderr!.on("data", (d: Buffer) => { err += d.toString(); });
        child.stdout!.on("data", (d: Buffer) => {
            out += d.toString();
            const m = /^(\d+)\s*$/m.exec(out);
            if (m) {
                clearTimeout(timer);
                resolve({ child, port: Number(m[1]) });
            }
        });
        child.on("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`the pack exited (${code}) before serving:\n${err}`));
        });
    });
}

const call = <Req, Res>(fn: (req: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => unknown, req: Req): Promise<Res> =>
    new Promise((resolve, reject) => { fn(req, (e, r) => (e ? reject(e) : resolve(r))); });

function options(r: PlanResource): proto.AnalyzerResourceOptions {
    return new proto.AnalyzerResourceOptions().setProtect(r.protect).setParent(r.parent ?? "");
}

/** One rule's diagnostics (or "not applicable") for a case, from the served pack. */
async function served(client: AnalyzerClient, ruleName: string, kind: "resource" | "stack", c: Case): Promise<string[] | "not applicable"> {
    const resources = planResources(c).filter((r) => r.type !== "pulumi:pulumi:Stack");
    const responses: proto.AnalyzeResponse[] = [];
    if (kind === "stack") {
        const req = new proto.AnalyzeStackRequest().setResourcesList(resources.map((r) => new proto.AnalyzerResource()
            .setType(r.type).setName(r.name).setUrn(r.urn).setProperties(Struct.fromJavaScript(r.inputs as never))
            .setOptions(options(r)).setDependenciesList(r.dependsOn)));
        responses.push(await call(client.analyzeStack.bind(client), req));
    } else {
        for (const r of resources) {
            const req = new proto.AnalyzeRequest().setType(r.type).setName(r.name).setUrn(r.urn)
                .setProperties(Struct.fromJavaScript(r.inputs as never)).setOptions(options(r));
            responses.push(await call(client.analyze.bind(client), req));
        }
    }
    if (responses.some((res) => res.getNotApplicableList().some((n) => n.getPolicyName() === ruleName))) return "not applicable";
    return responses.flatMap((res) => res.getDiagnosticsList()).filter((d) => d.getPolicyname() === ruleName)
        .map((d) => {
            assert.strictEqual(d.getEnforcementlevel(), proto.EnforcementLevel.MANDATORY, `${ruleName}: ${d.getMessage()}`);
            return d.getMessage();
        });
}

/** Serves the pack as the CLI would for the enclosing suite (started before it, stopped after); returns the client. */
function servedPack(): () => AnalyzerClient {
    let child: ChildProcess | undefined;
    let client: AnalyzerClient | undefined;
    before(async () => {
        const started = await startPack();
        child = started.child;
        client = new AnalyzerClient(`127.0.0.1:${started.port}`, grpc.credentials.createInsecure());
    });
    after(() => {
        client?.close();
        child?.kill();
    });
    return () => {
        if (!client) throw new Error("the pack is not being served (servedPack() outside a describe?)");
        return client;
    };
}

describe("policy: the pack served as the Pulumi CLI loads it", function () {
    this.timeout(120_000);
    const client = servedPack();

    it("announces every rule as a mandatory policy of kms-observability", async () => {
        const info = await call<Empty, proto.AnalyzerInfo>(client().getAnalyzerInfo.bind(client()), new Empty());
        assert.strictEqual(info.getName(), "kms-observability");
        const policies = info.getPoliciesList();
        assert.deepStrictEqual(policies.map((p) => p.getName()), RULES.map((r) => r.name));
        assert.ok(policies.every((p) => p.getEnforcementlevel() === proto.EnforcementLevel.MANDATORY));
    });

    it("reports each rule's first failing fixture and passes its first passing one, over gRPC", async () => {
        const mismatches: string[] = [];
        for (const rule of RULES) {
            const visible = (rule.requires ?? []).every((o) => PACK_OBSERVES.includes(o));
            const [pass] = CASES[rule.name].pass;
            const [fail] = CASES[rule.name].fail;
            const ok = await served(client(), rule.name, rule.kind, pass);
            const bad = await served(client(), rule.name, rule.kind, fail);
            if (!visible) {
                if (ok !== "not applicable" || bad !== "not applicable") mismatches.push(`${rule.name}: should be not applicable under the CLI`);
                continue;
            }
            if (ok === "not applicable" || ok.length) mismatches.push(`${rule.name}: "${pass.title}" reported ${JSON.stringify(ok)}`);
            if (bad === "not applicable" || !bad.length) mismatches.push(`${rule.name}: "${fail.title}" reported nothing`);
            else if (fail.expect && !bad.some((m) => fail.expect!.test(m))) mismatches.push(`${rule.name}: no message matches ${fail.expect}: ${JSON.stringify(bad)}`);
        }
        assert.deepStrictEqual(mismatches, []);
    });
});

describe("policy: the served pack tells secrets from plaintext (policy/pack-secrets.ts)", function () {
    this.timeout(120_000);
    const client = servedPack();

    /** The rule's messages for a contact point whose Slack URL is sent as `url` (a secret when wrapped). */
    async function contactPoint(url: unknown): Promise<string[]> {
        const props = { name: "kms-critical", slacks: [{ recipient: "#security-critical", url }] };
        const req = new proto.AnalyzeRequest().setType("grafana:alerting/contactPoint:ContactPoint").setName("cp")
            .setUrn("urn:pulumi:prod::kms-observability::grafana:alerting/contactPoint:ContactPoint::cp")
            .setProperties(Struct.fromJavaScript(props as never)).setOptions(new proto.AnalyzerResourceOptions());
        const res = await call<proto.AnalyzeRequest, proto.AnalyzeResponse>(client().analyze.bind(client()), req);
        assert.ok(!res.getNotApplicableList().some((n) => n.getPolicyName() === "grafana-contact-point-credentials-secret"), "rule must apply under the CLI");
        return res.getDiagnosticsList().filter((d) => d.getPolicyname() === "grafana-contact-point-credentials-secret").map((d) => d.getMessage());
    }

    it("reports a plaintext webhook URL and accepts the same URL sent as a Pulumi secret", async () => {
        const url = "https://hooks.slack.com/services/T0/B0/canary";
        // The engine's wire form of a secret (sdk/nodejs/runtime/rpc.ts specialSigKey / specialSecretSig).
        const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: url };
        const plain = await contactPoint(url);
        assert.ok(plain.some((m) => /slacks\[0\]\.url is plaintext/.test(m)), JSON.stringify(plain));
        assert.deepStrictEqual(await contactPoint(secret), []);
    });
});
