import * as assert from "assert";
import { parse } from "yaml";
import { alertmanagerConfig } from "../../../alerts/alertmanager";
import { alertLinks } from "../../../alerts/artifacts";
import { RECEIVERS, buildRouting } from "../../../alerts/routing";
import { ManagedPrometheus } from "../../../components/alerting/amp";
import { ampRuleNamespaceData } from "../../../alerts/render-amp";
import { arnContext } from "../../../documents/aws/document";
import { parseSettings } from "../../../config/load";
import { Settings } from "../../../config/schema";
import { evaluate as evaluateProgram } from "../../../tools/engine";
import { StackRun, editSection, runStack, stackConfig } from "../../harness";
import { evaluate } from "../aws/iam-eval";
import { bySid, doc } from "../aws/policy-asserts";

const T = {
    component: "kms-observability:alerting:ManagedPrometheus",
    workspace: "aws:amp/workspace:Workspace",
    rules: "aws:amp/ruleGroupNamespace:RuleGroupNamespace",
    definition: "aws:amp/alertManagerDefinition:AlertManagerDefinition",
    key: "aws:kms/key:Key",
    alias: "aws:kms/alias:Alias",
    topic: "aws:sns/topic:Topic",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    chatbot: "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration",
};

interface AmpOutputs {
    workspaceId: string; workspaceArn: string; remoteWriteUrl: string; queryUrl: string; writerRoleArn: string;
    topicArns: Record<string, string>;
}

describe("alerting: ManagedPrometheus (prod, mock engine)", () => {
    let run: StackRun;
    let settings: Settings;
    let out: AmpOutputs;
    const mine = (type: string) => run.ofType(type).filter((r) => r.parent === run.one(T.component).urn);
    const definition = () => {
        const outer = parse(String(run.one(T.definition).inputs.definition)) as { alertmanager_config: string };
        return parse(outer.alertmanager_config) as {
            templates?: string[]; route: unknown; inhibit_rules: unknown[]; receivers: { name: string; sns_configs: { topic_arn: string; sigv4: { region: string }; message: string }[] }[];
        };
    };

    before(async () => {
        const raw = stackConfig("prod");
        settings = parseSettings(raw);
        run = await runStack(raw);
        out = (run.outputs.alerting as { amp: AmpOutputs }).amp;
    });

    it("creates a protected workspace encrypted with its own customer managed key (with an alias)", () => {
        const ws = run.one(T.workspace);
        assert.strictEqual(ws.inputs.alias, settings.amp.workspaceAlias);
        assert.deepStrictEqual([ws.protect, ws.retainOnDelete], [true, true]);
        const key = mine(T.key);
        assert.strictEqual(key.length, 1);
        assert.deepStrictEqual([key[0].protect, key[0].inputs.enableKeyRotation, key[0].inputs.rotationPeriodInDays], [true, true, 90]);
        const alias = mine(T.alias)[0];
        assert.strictEqual(alias.inputs.name, `alias/${settings.aws.namePrefix}-amp`);
        assert.ok(String(ws.inputs.kmsKeyArn).endsWith(`:key/${String(alias.inputs.targetKeyId)}`), "workspace uses the component's key");
    });

    it("loads the same rules as the self-hosted Prometheus into the rule group namespace", () => {
        const ns = run.one(T.rules);
        assert.strictEqual(ns.inputs.name, settings.amp.ruleNamespace);
        assert.strictEqual(ns.inputs.workspaceId, out.workspaceId);
        assert.strictEqual(ns.inputs.data, ampRuleNamespaceData(alertLinks(settings)));
    });

    it("gives the Alertmanager definition the model's routes and inhibitions, each receiver its topic in the stack's region", () => {
        const d = definition();
        const outer = parse(String(run.one(T.definition).inputs.definition)) as { template_files: Record<string, string> };
        assert.deepStrictEqual(d.templates, Object.keys(outer.template_files), "AMP loads only the template files the config lists");
        const selfHosted = alertmanagerConfig(buildRouting(settings.alerting), settings.alerting.secretsDir);
        assert.deepStrictEqual(d.route, JSON.parse(JSON.stringify(selfHosted.route)));
        assert.deepStrictEqual(d.inhibit_rules, JSON.parse(JSON.stringify(selfHosted.inhibit_rules)));
        assert.strictEqual(run.one(T.definition).inputs.workspaceId, out.workspaceId);
        for (const r of d.receivers) {
            assert.deepStrictEqual(r.sns_configs.map((c) => [c.topic_arn, c.sigv4.region]), [[out.topicArns[r.name], settings.providers["aws:region"]]], r.name);
        }
    });

    it("reuses the AWS KMS topics for kms-critical and kms-security and creates encrypted topics for the others", () => {
        const aws = run.outputs.aws as { topicArns: Record<string, string> };
        assert.strictEqual(out.topicArns[RECEIVERS.critical], aws.topicArns[RECEIVERS.critical]);
        assert.strictEqual(out.topicArns[RECEIVERS.warning], aws.topicArns[RECEIVERS.warning]);
        const topics = mine(T.topic);
        const others = buildRouting(settings.alerting).receivers.map((r) => r.name).filter((n) => n !== RECEIVERS.critical && n !== RECEIVERS.warning);
        assert.deepStrictEqual(topics.map((t) => t.inputs.name).sort(), others.map((n) => `${settings.aws.namePrefix}-${n}`).sort());
        const keyArn = run.one(T.workspace).inputs.kmsKeyArn;
        for (const t of topics) assert.strictEqual(t.inputs.kmsMasterKeyId, keyArn, `${String(t.inputs.name)} is encrypted with the AMP key`);
    });

    it("topic policies let only this workspace of this account publish", () => {
        const policies = mine(T.topicPolicy);
        assert.strictEqual(policies.length, mine(T.topic).length);
        const account = settings.aws.accountId;
        const otherWs = out.workspaceArn.replace(/ws-[0-9a-f-]+$/, "ws-00000000-0000-4000-a000-000000000000");
        for (const p of policies) {
            const d = doc(p.inputs.policy);
            const st = bySid(d, "AmpWorkspacePublishes");
            assert.deepStrictEqual(st.Principal, { Service: ["aps.amazonaws.com"] });
            assert.strictEqual(st.Resource, p.inputs.arn);
            const publish = (sourceArn: string, sourceAccount: string) =>
                evaluate(d, { principal: "aps.amazonaws.com", action: "sns:Publish",
                    context: { "aws:SourceArn": sourceArn, "aws:SourceAccount": sourceAccount, "aws:PrincipalServiceName": "aps.amazonaws.com" } });
            assert.strictEqual(publish(out.workspaceArn, account), "Allow");
            assert.strictEqual(publish(otherWs, account), "ImplicitDeny", "another workspace must not publish");
            assert.strictEqual(publish(out.workspaceArn, "999999999999"), "ImplicitDeny");
            assert.notStrictEqual(evaluate(d, { principal: `arn:aws:iam::${account}:role/someone`, action: "sns:Publish" }), "Allow");
            assert.strictEqual(evaluate(d, { principal: `arn:aws:iam::${account}:role/someone`, action: "sns:Publish" }), "Deny", "explicitly");
            assert.ok(!d.Statement.some((s) => s.Effect === "Allow" && s.Principal?.AWS?.some((a) => a.includes("*"))), "no wildcard principal allowed");
        }
    });

    it("the key lets AMP encrypt for the created topics only", () => {
        const d = doc(mine(T.key)[0].inputs.policy);
        const gen = (topicArn: string) => evaluate(d, {
            principal: "aps.amazonaws.com", action: "kms:GenerateDataKey",
            context: { "aws:SourceAccount": settings.aws.accountId, "aws:SourceArn": out.workspaceArn, "kms:EncryptionContext:aws:sns:topicArn": topicArn },
        });
        for (const t of mine(T.topicPolicy)) assert.strictEqual(gen(String(t.inputs.arn)), "Allow");
        assert.strictEqual(gen(out.topicArns[RECEIVERS.critical]), "ImplicitDeny", "the reused topics have their own key");
    });

    it("subscribes each created topic's email recipients, and only those; never the dead man's switch mailbox", () => {
        const subs = mine(T.subscription).map((s) => [s.inputs.topic, s.inputs.protocol, s.inputs.endpoint]);
        const want = buildRouting(settings.alerting).receivers
            .filter((r) => r.name !== RECEIVERS.critical && r.name !== RECEIVERS.warning && r.name !== RECEIVERS.heartbeat)
            .flatMap((r) => r.integrations.flatMap((i) => (i.kind === "email" ? [[out.topicArns[r.name], "email", i.to]] : [])));
        assert.deepStrictEqual(subs, want);
        // An SNS email subscription to the switch would stay unconfirmed and be deleted after 48 h.
        const all = run.ofType(T.subscription);
        assert.ok(!all.some((s) => s.inputs.endpoint === settings.alerting.heartbeatEmail), "no email subscription to the heartbeat mailbox");
        assert.deepStrictEqual(all.filter((s) => s.inputs.topic === out.topicArns[RECEIVERS.heartbeat]).map((s) => s.inputs.protocol), ["lambda"]);
    });

    it("relays each Slack channel's receivers to it through AWS Chatbot, in Chatbot's message format", () => {
        const configs: Record<string, Record<string, unknown>> = Object.fromEntries(mine(T.chatbot).map((c) => [String(c.inputs.slackChannelId), c.inputs]));
        const topicsOf = (channel: string) => (configs[settings.amp.chatbot!.channels[channel]].snsTopicArns as string[]).slice().sort();
        assert.deepStrictEqual(topicsOf("#security-critical"), [out.topicArns[RECEIVERS.critical]]);
        assert.deepStrictEqual(topicsOf("#security-ops"),
            [out.topicArns[RECEIVERS.critical], out.topicArns[RECEIVERS.warning], out.topicArns[RECEIVERS.info]].sort());
        assert.deepStrictEqual(topicsOf("#ops-alerts"), [out.topicArns[settings.alerting.defaultReceiver.name]]);
        for (const c of Object.values(configs)) {
            assert.strictEqual(c.slackTeamId, settings.amp.chatbot!.slackTeamId);
            assert.deepStrictEqual(c.guardrailPolicyArns, ["arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess"], "not the AdministratorAccess default");
            assert.strictEqual(c.userAuthorizationRequired, true);
        }
        const messages = Object.fromEntries(definition().receivers.map((r) => [r.name, r.sns_configs[0].message]));
        assert.match(messages[RECEIVERS.critical], /kms\.sns\.chatbot/);
        assert.match(messages[RECEIVERS.heartbeat], /kms\.sns\.text/, "the heartbeat mailbox gets plain text");
        const role = mine(T.role).find((r) => String(r.inputs.name).endsWith("-amp-chatbot"))!;
        assert.deepStrictEqual(bySid(doc(role.inputs.assumeRolePolicy), "ChatbotAssumes").Principal, { Service: ["chatbot.amazonaws.com"] });
    });

    it("the metrics-writer role is assumable by the configured principals and may only remote-write here", () => {
        const role = mine(T.role).find((r) => String(r.inputs.name) === `${settings.aws.namePrefix}-amp-writer`)!;
        assert.deepStrictEqual(bySid(doc(role.inputs.assumeRolePolicy), "MetricShippersAssume").Principal, { AWS: [...settings.amp.writerPrincipals].sort() });
        const policy = mine(T.rolePolicy).find((p) => p.inputs.role === role.inputs.name)!;
        assert.deepStrictEqual(doc(policy.inputs.policy).Statement.map((s) => [s.Action, s.Resource]), [[["aps:RemoteWrite"], out.workspaceArn]]);
        assert.ok(out.writerRoleArn.endsWith(`:role/${settings.aws.namePrefix}-amp-writer`));
    });

    it("outputs the workspace id and its remote-write and query URLs", () => {
        const base = `https://aps-workspaces.${settings.providers["aws:region"]}.amazonaws.com/workspaces/${out.workspaceId}`;
        assert.strictEqual(out.remoteWriteUrl, `${base}/api/v1/remote_write`);
        assert.strictEqual(out.queryUrl, `${base}/api/v1/query`);
    });

    it("creates nothing for AMP when disabled", async () => {
        // Without AMP the Grafana data source needs a Prometheus URL of its own.
        const raw = editSection(editSection(stackConfig("prod"), "amp", (s) => { s.enabled = false; }), "grafana", (g) => {
            (g.prometheus as Record<string, unknown>).url = "https://prometheus.ledger-mind.org";
            delete (g.prometheus as Record<string, unknown>).sigV4;
        });
        const off = await runStack(raw);
        assert.deepStrictEqual(off.resources.filter((r) => r.type.startsWith("aws:amp/") || r.type === T.component || r.type === T.chatbot), []);
        assert.strictEqual((off.outputs.alerting as Record<string, unknown>).amp, undefined);
    });
});

describe("alerting: ManagedPrometheus on its own (mock engine)", () => {
    const raw = stackConfig("staging");
    const settings = parseSettings(raw);
    const args = {
        ctx: arnContext("eu-west-1", "210987654321"), workspaceAlias: "solo", ruleNamespace: "kms", rules: "groups: []\n",
        routing: buildRouting(settings.alerting), namePrefix: "solo", keyDeployers: ["arn:aws:iam::210987654321:role/deployer"],
        writerPrincipals: ["arn:aws:iam::210987654321:role/collector"],
        keyRoles: {
            admin: { name: "solo-KeyManagementAdmin", arn: "arn:aws:iam::210987654321:role/solo-KeyManagementAdmin" },
            recovery: { name: "solo-KeyRecoveryAdmin", arn: "arn:aws:iam::210987654321:role/solo-KeyRecoveryAdmin" },
        },
        heartbeatPingUrl: "https://hc-ping.com/solo",
    };

    it("creates a topic for every receiver when none is reused, and no Chatbot without its config", async () => {
        const ev = await evaluateProgram(raw, () => new ManagedPrometheus("solo", args));
        const names = ev.resources.filter((r) => r.type === T.topic).map((r) => r.inputs.name).sort();
        assert.deepStrictEqual(names, args.routing.receivers.map((r) => `solo-${r.name}`).sort());
        assert.deepStrictEqual(ev.resources.filter((r) => r.type === T.chatbot), []);
    });

    it("rejects reused topics for receivers the model does not have", async () => {
        await assert.rejects(evaluateProgram(raw, () => new ManagedPrometheus("solo", { ...args, existingTopicArns: { "kms-pager": "arn:aws:sns:eu-west-1:210987654321:x" } })),
            /existingTopicArns names kms-pager, not receivers of the routing model/);
    });
});
