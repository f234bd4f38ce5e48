import * as assert from "assert";
import { aliasMovedPattern, boundedName, rotationEventPattern, rotationTransformer } from "../../../documents/aws/notices";
import { KeyMapping } from "../../../contract/key-mapping";
import { StackRun, stackRun } from "../../harness";
import { matchesPattern } from "./event-pattern";
import { doc } from "./policy-asserts";

const KEY = "arn:aws:kms:us-east-1:123456789012:key/mrk-86a843b7-52e2-48e8-aa94-523e0c6ce12a";

/** KMS's rotation event as its developer guide shows it ("KMS CMK Rotation", kms-events.html). */
const rotationEvent = (rotationType: "AUTOMATIC" | "ON_DEMAND", keyArn = KEY) => ({
    "version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718", "detail-type": "KMS CMK Rotation", "source": "aws.kms",
    "account": "123456789012", "time": "2026-12-03T03:11:54Z", "region": "us-east-1", "resources": [keyArn],
    "detail": { "key-id": keyArn.split("/").pop(), "key-origin": "AWS_KMS", "rotation-type": rotationType },
});

/** Fills an input transformer like EventBridge: `<name>` from inputPaths (JSONPath subset: dotted fields, [n]). */
function transform(t: { inputPaths: Record<string, string>; inputTemplate: string }, event: unknown): string {
    const read = (path: string): unknown => path.replace(/^\$\./, "").split(".").reduce<unknown>((v, part) => {
        const m = /^([^[]+)(?:\[(\d+)\])?$/.exec(part);
        const field = (v as Record<string, unknown> | undefined)?.[m?.[1] ?? part];
        return m?.[2] === undefined ? field : (field as unknown[] | undefined)?.[Number(m[2])];
    }, event);
    return t.inputTemplate.replace(/<(\w+)>/g, (_, name: string) => {
        assert.ok(name in t.inputPaths, `placeholder <${name}> has no input path`);
        return String(read(t.inputPaths[name]));
    });
}

describe("aws: rotation notices (components/aws/rotation-notices.ts, notices.ts)", () => {
    let prod: StackRun;
    let staging: StackRun;
    let mapping: KeyMapping;
    before(async () => {
        prod = await stackRun("prod");
        staging = await stackRun("staging");
        mapping = (prod.outputs.aws as { keyMapping: KeyMapping }).keyMapping;
    });

    it("matches KMS's rotation event of the key, automatic and on-demand (the kms-rotate workflow), not another key's", () => {
        const p = rotationEventPattern(KEY);
        assert.ok(matchesPattern(p, rotationEvent("AUTOMATIC")));
        assert.ok(matchesPattern(p, rotationEvent("ON_DEMAND")), "RotateKeyOnDemand emits the same event");
        assert.ok(!matchesPattern(p, rotationEvent("AUTOMATIC", "arn:aws:kms:us-east-1:123456789012:key/other")));
    });

    it("names the key, its alias, the time and the column encryption keys to re-wrap", () => {
        const name = "ledger-mind/prod/pii-redaction";
        const msg = JSON.parse(transform(rotationTransformer(name, mapping[name]), rotationEvent("ON_DEMAND"))) as
            { content: { title: string; description: string; nextSteps: string[] } };
        assert.strictEqual(msg.content.title, "[key-rotation] alias/ledger-mind/prod/pii-redaction rotated (ON_DEMAND)");
        for (const s of [name, "alias/ledger-mind/prod/pii-redaction", "2026-12-03T03:11:54Z", "mrk-86a843b7",
            "ledgermind-sql-prod/LedgerMind: CEKs CEK_User_PII, CEK_Payment_PII (column master key CMK_KMS_PII)",
            "ledgermind-sql-prod/LedgerMindAudit: CEKs CEK_Audit_Actor (column master key CMK_KMS_PII); TDE protectors TDE_LedgerMindAudit"]) {
            assert.ok(msg.content.description.includes(s) || msg.content.title.includes(s), `${s} in ${msg.content.description}`);
        }
        assert.deepStrictEqual(msg.content.nextSteps, ["Runbook: docs/runbooks/key-lifecycle.md#post-rotation-verification"]);
    });

    it("plans one rule per key into its team's encrypted topic: KMS CMK Rotation for encrypt keys, the alias move for signing keys", () => {
        const rule = (n: string) => prod.one("aws:cloudwatch/eventRule:EventRule", `aws-key-rotation-notices-${n}`);
        const pii = rule("ledger-mind-prod-pii-redaction");
        assert.ok(matchesPattern(pii.inputs.eventPattern, rotationEvent("AUTOMATIC")));
        const signing = rule("ledger-mind-prod-compliance-signing");
        assert.deepStrictEqual(JSON.parse(String(signing.inputs.eventPattern)), aliasMovedPattern("alias/ledger-mind/prod/compliance-signing"));
        const topics = (prod.outputs.aws as { rotationNoticeTopicArns: Record<string, string> }).rotationNoticeTopicArns;
        assert.deepStrictEqual(Object.keys(topics).sort(), ["dba", "ledger-api", "platform"]);
        const target = prod.one("aws:cloudwatch/eventTarget:EventTarget", "aws-key-rotation-notices-ledger-mind-prod-pii-redaction-target");
        assert.strictEqual(target.inputs.arn, topics.dba);
        const noticeTopics = prod.ofType("aws:sns/topic:Topic").filter((x) => x.name.startsWith("aws-key-rotation-notices-"));
        assert.strictEqual(noticeTopics.length, 3);
        for (const t of noticeTopics) assert.match(String(t.inputs.kmsMasterKeyId), /^arn:aws:kms:us-east-1:123456789012:key\//, `${t.name} is KMS-encrypted`);
        assert.strictEqual(new Set(noticeTopics.map((t) => t.inputs.kmsMasterKeyId)).size, 1, "one notice key");
        const subs = prod.ofType("aws:sns/topicSubscription:TopicSubscription").filter((s) => s.name.startsWith("aws-key-rotation-notices-dba-"));
        assert.deepStrictEqual(subs.map((s) => s.inputs.endpoint).sort(), ["dba-team@ledger-mind.org", "secops@ledger-mind.org"]);
    });

    it("lets EventBridge publish only from the team's rules, and encrypt for those topics", () => {
        const policy = doc(prod.one("aws:sns/topicPolicy:TopicPolicy", "aws-key-rotation-notices-dba-policy").inputs.policy);
        const publish = policy.Statement.find((s) => s.Sid === "EventBridgeRulesPublish");
        assert.deepStrictEqual(publish?.Condition, { ArnEquals: { "aws:SourceArn": ["arn:aws:events:us-east-1:123456789012:rule/ledgermind-prod-rotation-ledger-mind-prod-pii-redaction"] } });
        const keyPolicy = doc(prod.one("aws:kms/key:Key", "aws-key-rotation-notices-topic-key").inputs.policy);
        assert.ok(keyPolicy.Statement.some((s) => s.Sid === "EventBridgePublishesToEncryptedTopics"));
    });

    it("schedules the age check of the current generation from created + 90 days (daily until rotated), and the previous one's retirement", () => {
        const due = staging.one("aws:scheduler/schedule:Schedule", "aws-key-rotation-notices-ledger-mind-staging-compliance-signing-g2026-11-due");
        assert.strictEqual(due.inputs.scheduleExpression, "cron(0 9 * * ? *)");
        assert.strictEqual(due.inputs.startDate, "2027-01-31T09:00:00Z");
        assert.strictEqual(due.inputs.scheduleExpressionTimezone, "UTC");
        const target = due.inputs.target as { arn: string; roleArn: string; input: string };
        assert.match(JSON.parse(target.input).content.title, /alias\/ledger-mind\/staging\/compliance-signing is due for rotation/);
        const retire = staging.one("aws:scheduler/schedule:Schedule", "aws-key-rotation-notices-ledger-mind-staging-compliance-signing-g2026-09-retire");
        assert.strictEqual(retire.inputs.startDate, "2027-01-31T09:00:00Z");
        assert.strictEqual(prod.ofType("aws:scheduler/schedule:Schedule").length, 1, "prod: one generation, one due date; encrypt keys need none");
        const role = doc(staging.one("aws:iam/role:Role", "aws-key-rotation-notices-scheduler-role").inputs.assumeRolePolicy);
        assert.deepStrictEqual(role.Statement[0].Principal, { Service: ["scheduler.amazonaws.com"] });
    });

    it("keeps generated names within EventBridge's 64 characters, stably", () => {
        const long = boundedName(["ledgermind-production-eu-west", "rotation", "ledger-mind-production-eu-west-compliance-signing"]);
        assert.ok(long.length <= 64, long);
        assert.strictEqual(long, boundedName(["ledgermind-production-eu-west", "rotation", "ledger-mind-production-eu-west-compliance-signing"]));
        assert.notStrictEqual(long, boundedName(["ledgermind-production-eu-west", "rotation", "ledger-mind-production-eu-west-compliance-signing2"]));
        assert.strictEqual(boundedName(["a", "b"]), "a-b");
    });
});
