import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT, StackRun, stackRun } from "../harness";

/** GitHub's anchor of a markdown heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");

/** Every anchor a markdown file offers: explicit `<a id>` / `<a name>` and its headings. */
function anchors(file: string): Set<string> {
    const text = fs.readFileSync(file, "utf8");
    return new Set([
        ...[...text.matchAll(/<a (?:id|name)="([^"]+)"/g)].map((m) => m[1]),
        ...[...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1])),
    ]);
}

/** `docs/runbooks/<file>.md#<anchor>` references in a text (alerts, notices, rule descriptions). */
const LINK = /docs\/runbooks\/([\w.-]+\.md)#([\w-]+)/g;
const refs = (text: string) => [...text.matchAll(LINK)].map((m) => ({ file: m[1], anchor: m[2] }));

/** Relative markdown links between the runbooks: `(#x)`, `(other.md#x)`. */
function markdownLinks(file: string): { file: string; anchor: string }[] {
    const text = fs.readFileSync(path.join(ROOT, "docs", "runbooks", file), "utf8");
    return [...text.matchAll(/\]\((?:([\w.-]+\.md))?#([\w-]+)\)/g)].map((m) => ({ file: m[1] ?? file, anchor: m[2] }));
}

function unresolved(links: { file: string; anchor: string }[]): string[] {
    const cache = new Map<string, Set<string>>();
    return [...new Set(links.map((l) => `${l.file}#${l.anchor}`))].filter((ref) => {
        const [file, anchor] = ref.split("#");
        const full = path.join(ROOT, "docs", "runbooks", file);
        if (!fs.existsSync(full)) return true;
        if (!cache.has(file)) cache.set(file, anchors(full));
        return !cache.get(file)?.has(anchor);
    });
}

describe("docs: every runbook link resolves", () => {
    const runs: StackRun[] = [];
    before(async () => {
        runs.push(await stackRun("prod"), await stackRun("staging"));
    });

    it("the six key-lifecycle runbooks exist with their anchors", () => {
        const a = anchors(path.join(ROOT, "docs", "runbooks", "key-lifecycle.md"));
        for (const id of ["standard-rotation", "emergency-revocation", "key-recovery", "key-compromise", "post-rotation-verification", "disaster-recovery"]) {
            assert.ok(a.has(id), `docs/runbooks/key-lifecycle.md#${id}`);
        }
    });

    it("every link in what the stacks plan (alerts, detections, notices, schedules, alarm descriptions) names an existing anchor", () => {
        const links = runs.flatMap((r) => refs(JSON.stringify(r.resources.map((x) => x.inputs))));
        assert.ok(links.some((l) => l.file === "key-lifecycle.md"), "the notices link the key-lifecycle runbooks");
        assert.ok(links.some((l) => l.anchor === "cross-account-key-use"), "the cross-account detection links its section");
        assert.deepStrictEqual(unresolved(links), []);
    });

    it("every link written in the sources, the emergency document and between the runbooks names an existing anchor", () => {
        const walk = (dir: string): string[] => fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
            e.isDirectory() ? walk(path.join(dir, e.name)) : /\.(ts|md)$/.test(e.name) ? [path.join(dir, e.name)] : []);
        const sources = ["documents", "components", "alerts", "contract", "docs"].flatMap(walk);
        const links = [
            ...sources.flatMap((f) => refs(fs.readFileSync(path.join(ROOT, f), "utf8"))),
            ...fs.readdirSync(path.join(ROOT, "docs", "runbooks")).filter((f) => f.endsWith(".md")).flatMap(markdownLinks),
        ];
        assert.ok(links.length > 10);
        assert.deepStrictEqual(unresolved(links), []);
    });

    it("fails on a link to a missing anchor (the check can fail)", () => {
        assert.deepStrictEqual(unresolved([{ file: "key-lifecycle.md", anchor: "no-such-section" }]), ["key-lifecycle.md#no-such-section"]);
    });
});
