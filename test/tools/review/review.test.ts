import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { JSDOM } from "jsdom";
import { parseSettings } from "../../../config/load";
import { renderArtifacts } from "../../../tools/artifacts";
import { GITHUB_COMMENT_LIMIT, cut, renderComment } from "../../../tools/review/comment";
import { RoutingDoc, diffRouting, formatRouting, parseAlertmanagerYaml, routingMermaid } from "../../../tools/review/routing";
import { review } from "../../../tools/review";
import type { PlanResource } from "../../../tools/engine";
import { fixture, stackConfig } from "../../harness";

interface Mermaid { parse(text: string): Promise<{ diagramType: string }> }
let mermaid: Mermaid | undefined;
/**
 * Mermaid's own parser (npm `mermaid`, the library GitHub renders diagrams with). It is ESM-only and
 * its flowchart parser needs a DOM (DOMPurify), so the test gives it jsdom's.
 */
async function mermaidParser(): Promise<Mermaid> {
    if (mermaid) return mermaid;
    const dom = new JSDOM("<!doctype html><html><body></body></html>");
    Object.assign(globalThis, { window: dom.window, document: dom.window.document });
    // A real dynamic import (TypeScript's CommonJS output would turn `import()` into `require`).
    const load = new Function("m", "return import(m)") as (m: string) => Promise<{ default: Mermaid }>;
    mermaid = (await load("mermaid")).default;
    return mermaid;
}

const routingOf = (stack: string): RoutingDoc => {
    const file = renderArtifacts(parseSettings(stackConfig(stack))).find((a) => a.path === "alertmanager/alertmanager.yml");
    assert.ok(file);
    return parseAlertmanagerYaml(file.content);
};
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe("routing picture (tools/review/routing)", function () {
    this.timeout(60_000);
    for (const stack of ["staging", "prod"]) {
        it(`${stack}: the Mermaid flowchart of the routing tree and inhibitions is accepted by Mermaid's parser`, async () => {
            const doc = routingOf(stack);
            const text = routingMermaid(doc, { receivers: new Set(["kms-critical"]), routes: new Set(["/"]) });
            assert.deepStrictEqual(await (await mermaidParser()).parse(text), { diagramType: "flowchart-v2", config: {} });
            for (const r of doc.receivers) assert.ok(text.includes(`[["${r.name}<br/>`), `receiver ${r.name} drawn`);
            assert.match(text, stack === "prod" ? /slack #35;security-critical<br\/>.*pagerduty \(critical\)/ : /slack #35;security-critical<br\/>/);
            assert.strictEqual((text.match(/ -\. "mutes/g) ?? []).length, doc.inhibit_rules?.length);
        });
    }
    it("matchers with quotes, pipes, brackets and regex survive as labels; a broken diagram is rejected", async () => {
        const doc = clone(routingOf("prod"));
        doc.route.routes?.push({ receiver: "team-ops", matchers: ['service=~"a|b[c]{2}"', 'team!="x>y<z"', 'channel="#a;b"'], group_by: [], group_wait: "1s", group_interval: "1m", repeat_interval: "1h" });
        const parser = await mermaidParser();
        await parser.parse(routingMermaid(doc));
        await assert.rejects(parser.parse(`${routingMermaid(doc)}    r0 -->|"unterminated r1\n`));
    });
    it("the diff names added, removed and changed routes, receivers' channels and inhibitions", () => {
        const before = routingOf("prod");
        const after = clone(before);
        after.route.routes?.splice(0, 1);
        after.route.routes?.[0].routes?.push({ receiver: "kms-critical", matchers: ['severity="page"'], group_by: [], group_wait: "0s", group_interval: "1m", repeat_interval: "1h" });
        const critical = after.receivers.find((r) => r.name === "kms-critical");
        if (critical) delete critical.pagerduty_configs;
        after.inhibit_rules = after.inhibit_rules?.slice(1);
        const changes = diffRouting(before, after).map((c) => `${c.change} ${c.what} ${c.name}`);
        assert.deepStrictEqual(changes.sort(), [
            'added route / alertname=~"^KMS.*" / severity="page"',
            "changed receiver kms-critical",
            `removed inhibition ${before.inhibit_rules?.[0].source_matchers.join(", ")} mutes ${before.inhibit_rules?.[0].target_matchers.join(", ")} (same ${before.inhibit_rules?.[0].equal.join(", ")})`,
            'removed route / alertname="Watchdog"',
        ]);
        assert.match(formatRouting(after, before), /class r\d+,rcv\d+ changed/);
    });
});

describe("review comment (tools/review)", function () {
    this.timeout(60_000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "review-"));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    /** A plan folder as `npm run plan` writes it: plan.json and alertmanager/alertmanager.yml. */
    function planDir(name: string, plan: unknown, routing: RoutingDoc): string {
        const dir = path.join(tmp, name);
        fs.mkdirSync(path.join(dir, "alertmanager"), { recursive: true });
        fs.writeFileSync(path.join(dir, "plan.json"), JSON.stringify(plan));
        fs.writeFileSync(path.join(dir, "alertmanager", "alertmanager.yml"), JSON.stringify(routing));
        return path.join(dir, "plan.json");
    }
    const base = JSON.parse(fs.readFileSync(fixture("access", "plan.json"), "utf8")) as { stack: string; resources: PlanResource[] };
    /** The fixture diff: a role given Decrypt in the key policy, and a new receiver channel. */
    function changed(): { plan: typeof base; routing: RoutingDoc } {
        const plan = clone(base);
        const key = plan.resources.find((r) => r.type === "aws:kms/key:Key");
        const policy = JSON.parse(String(key?.inputs.policy));
        policy.Statement.find((s: { Sid: string }) => s.Sid === "KeyUsage").Principal.AWS.push("arn:aws:iam::123456789012:role/ledgermind-prod-KeyRecoveryAdmin");
        if (key) key.inputs.policy = JSON.stringify(policy);
        const routing = clone(routingOf("prod"));
        routing.receivers.find((r) => r.name === "kms-info")?.slack_configs?.push({ channel: "#new-channel" });
        return { plan, routing };
    }

    it("renders access diff first, then routing, resource diff and tables, under GitHub's comment limit", async () => {
        const old = planDir("old", base, routingOf("prod"));
        const next = changed();
        const body = review(planDir("new", next.plan, next.routing), { stack: "prod", diff: old, format: "md", limit: GITHUB_COMMENT_LIMIT });
        assert.ok(body.length < GITHUB_COMMENT_LIMIT, `${body.length} characters`);
        const order = ["### Access changes", "### Alert routing", "### Plan diff", "Effective key access (tables)"].map((h) => body.indexOf(h));
        assert.ok(order.every((i, n) => i > 0 && (n === 0 || i > order[n - 1])), `sections in order: ${order}`);
        assert.match(body, /- ⚠ \*\*role ledgermind-prod-KeyRecoveryAdmin gains kms:Decrypt/);
        assert.match(body, /changed receiver `kms-info`/);
        assert.match(body, /~` update `aws:kms\/key:Key` `aws-kms-keys-ledger-mind-prod-compliance-signing` \(policy\)/);
        const diagram = /```mermaid\n([\s\S]*?)```/.exec(body)?.[1];
        assert.ok(diagram);
        await (await mermaidParser()).parse(diagram);
    });

    it("a resource diff past the limit is trimmed with a note; the access diff never is", () => {
        const huge = clone(base);
        for (let i = 0; i < 3000; i++) huge.resources.push({ ...huge.resources[0], urn: `urn:pulumi:prod::kms-observability::aws:iam/role:Role::filler-${i}`, name: `filler-${i}`, inputs: { name: `filler-role-number-${i}` } });
        const old = planDir("huge-old", huge, routingOf("prod"));
        const next = changed();
        const full = review(planDir("new2", next.plan, next.routing), { stack: "prod", diff: old, format: "md", limit: 10_000_000 });
        assert.ok(full.length > GITHUB_COMMENT_LIMIT, `the fixture must exceed the limit (${full.length})`);
        const body = review(path.join(tmp, "new2", "plan.json"), { stack: "prod", diff: old, format: "md", limit: GITHUB_COMMENT_LIMIT });
        assert.ok(body.length <= GITHUB_COMMENT_LIMIT, `${body.length} characters`);
        const access = /### Access changes[\s\S]*?\n\n(?=###|<details>)/.exec(full)?.[0];
        assert.ok(access && body.includes(access), "the access diff is whole");
        assert.match(body, /> ✂ Resource diff: \d+ characters trimmed to fit GitHub's comment limit/);
        assert.strictEqual((body.match(/```/g) ?? []).length % 2, 0, "no half-open code fence");
    });

    it("cut never ends inside a fenced block; renderComment keeps untrimmable parts whole", () => {
        assert.strictEqual(cut("a\n```mermaid\nflowchart LR\nA-->B\n```\n", 20), "a\n");
        const body = renderComment("prod", [
            { title: "Access", body: "x\n".repeat(1500), trim: false },
            { title: "Big", body: "y\n".repeat(5000), trim: true },
        ], "the job summary", 5000);
        assert.ok(body.length <= 5000);
        assert.ok(body.includes("x\n".repeat(1500)));
        assert.match(body, /> ✂ Big: \d+ characters trimmed/);
    });
});
