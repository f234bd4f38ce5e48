import * as assert from "assert";
import { PARSED_BOUND, parseDocument } from "../../policy/iam-document";

/** policy/iam-document.ts remembers the parse of each policy text (several rules read the same key policy). */
describe("policy/iam-document: each policy text is parsed once, and only texts", () => {
    const text = (sid: string) => JSON.stringify({ Statement: [{ Sid: sid, Effect: "Allow", Action: "kms:Decrypt", Resource: "*" }] });

    it("the same text gives the same parse; another text its own", () => {
        const a = parseDocument(text("A"));
        assert.ok(a.ok);
        assert.strictEqual(parseDocument(text("A")), a);
        const b = parseDocument(text("B"));
        assert.notStrictEqual(b, a);
        assert.ok(b.ok && b.statements[0].id === "B");
    });

    it("an object is parsed each time: a change made after the first read is seen", () => {
        const doc = { Statement: [{ Sid: "Before", Effect: "Allow", Action: "kms:Decrypt", Resource: "*" }] };
        const first = parseDocument(doc);
        doc.Statement[0].Sid = "After";
        const second = parseDocument(doc);
        assert.ok(first.ok && second.ok);
        assert.strictEqual(first.statements[0].id, "Before");
        assert.strictEqual(second.statements[0].id, "After");
    });

    it(`the remembered texts are bounded: past ${PARSED_BOUND} the first is parsed again`, () => {
        const first = parseDocument(text("first-of-many"));
        for (let i = 0; i <= PARSED_BOUND; i++) parseDocument(text(`filler-${i}`));
        const again = parseDocument(text("first-of-many"));
        assert.notStrictEqual(again, first);
        assert.deepStrictEqual(again, first);
    });
});
