import * as assert from "assert";
import { environmentSubject, githubTrustPolicy, roleName, rotationPolicy } from "../../../documents/github/policies";

describe("github: policy documents (documents/github/policies.ts)", () => {
    it("the subject pins repository and environment; the trust uses StringEquals only", () => {
        assert.strictEqual(environmentSubject("ledger-mind", "app", "production"), "repo:ledger-mind/app:environment:production");
        const doc = githubTrustPolicy("arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com", "ledger-mind", "app", "staging");
        assert.deepStrictEqual(Object.keys(doc.Statement[0].Condition), ["StringEquals"], "no StringLike: no wildcard can widen the subject");
        assert.ok(!JSON.stringify(doc).includes("*"));
        assert.strictEqual(doc.Statement.length, 1);
    });

    it("the rotation policy lists each key once, sorted, and refuses an empty key list", () => {
        const a = "arn:aws:kms:us-east-1:123456789012:key/a";
        const b = "arn:aws:kms:us-east-1:123456789012:key/b";
        assert.deepStrictEqual(rotationPolicy([b, a, b]).Statement[0].Resource, [a, b]);
        assert.throws(() => rotationPolicy([]), /no KMS key ARNs/);
    });

    it("role names fit IAM's 64 characters and stay distinct when cut", () => {
        assert.strictEqual(roleName("ledgermind-prod", "app", "production"), "ledgermind-prod-gh-app-production");
        const long = (repo: string) => roleName("ledgermind-staging", repo, "production");
        const x = long("a-very-long-repository-name-for-the-ledger-ingest-x");
        const y = long("a-very-long-repository-name-for-the-ledger-ingest-y");
        assert.strictEqual(x.length, 64);
        assert.match(x, /^ledgermind-staging-gh-a-very-long-repository-name-for-t-[0-9a-f]{8}$/);
        assert.notStrictEqual(x, y);
        assert.strictEqual(x, long("a-very-long-repository-name-for-the-ledger-ingest-x"), "deterministic");
    });
});
