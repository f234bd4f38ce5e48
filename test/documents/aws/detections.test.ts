import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { DETECTIONS, RUNBOOK, TRAIL_ALARMS, assumedRolePrefix, inputTransformer } from "../../../documents/aws/detections";
import { ROOT } from "../../harness";

/**
 * EventBridge's matching rules for the pattern features used here: exact values, `prefix`,
 * `exists`; arrays in the event match when any element matches.
 */
function matches(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
    return Object.entries(pattern).every(([key, want]) => {
        const have = event[key];
        if (!Array.isArray(want)) {
            return have !== null && typeof have === "object" && matches(want as Record<string, unknown>, have as Record<string, unknown>);
        }
        return want.some((w) => {
            if (w !== null && typeof w === "object") {
                const m = w as { exists?: boolean; prefix?: string };
                if (m.exists !== undefined) return m.exists === (have !== undefined);
                if (m.prefix !== undefined) return typeof have === "string" && have.startsWith(m.prefix);
                throw new Error(`unsupported matcher ${JSON.stringify(w)}`);
            }
            return (Array.isArray(have) ? have : [have]).includes(w);
        });
    });
}

const EMERGENCY = "arn:aws:iam::123456789012:role/ledgermind-prod-EmergencyKeyAdmin";
const ctx = { emergencyRoleArn: EMERGENCY };

/** A CloudTrail event as EventBridge delivers it. */
const trail = (source: "kms" | "sts", eventName: string, detail: Record<string, unknown> = {}) => ({
    "source": `aws.${source}`,
    "detail-type": "AWS API Call via CloudTrail",
    "account": "123456789012",
    "region": "us-east-1",
    "detail": {
        eventSource: `${source}.amazonaws.com`, eventName,
        userIdentity: { arn: "arn:aws:sts::123456789012:assumed-role/ops/alice" },
        requestParameters: { keyId: "arn:aws:kms:us-east-1:123456789012:key/1234" },
        ...detail,
    },
});

const fired = (event: Record<string, unknown>) => DETECTIONS.filter((d) => matches(d.pattern(ctx), event)).map((d) => d.id);
const byId = (id: string) => {
    const d = DETECTIONS.find((x) => x.id === id);
    assert.ok(d, id);
    return d;
};

describe("aws: key-event detections (documents/aws/detections.ts)", () => {
    it("covers every CloudTrail event of the issue, each in a rule pattern", () => {
        const patterns = DETECTIONS.map((d) => JSON.stringify(d.pattern(ctx)));
        for (const name of ["DisableKey", "ScheduleKeyDeletion", "CancelKeyDeletion", "PutKeyPolicy", "DeleteAlias", "AssumeRole",
            "RotateKeyOnDemand", "EnableKeyRotation"]) {
            assert.ok(patterns.some((p) => p.includes(`"${name}"`)), `${name} in some pattern`);
        }
        assert.ok(patterns.some((p) => p.includes('"prefix":"AccessDenied"')), "access denied");
        assert.strictEqual(new Set(DETECTIONS.map((d) => d.id)).size, DETECTIONS.length, "unique ids");
    });

    it("routes each detection to the receiver of its severity", () => {
        const critical = DETECTIONS.filter((d) => d.receiver === "kms-critical").map((d) => d.id).sort();
        assert.deepStrictEqual(critical, ["delete-alias", "disable-key", "emergency-role-assumed", "emergency-role-switched", "schedule-key-deletion"]);
        const security = DETECTIONS.filter((d) => d.receiver === "kms-security").map((d) => d.id).sort();
        assert.deepStrictEqual(security, ["access-denied", "cancel-key-deletion", "put-key-policy", "rotation-disabled", "rotation-failure"]);
    });

    it("fires exactly the matching detection for a successful key-state change", () => {
        assert.deepStrictEqual(fired(trail("kms", "DisableKey")), ["disable-key"]);
        assert.deepStrictEqual(fired(trail("kms", "ScheduleKeyDeletion")), ["schedule-key-deletion"]);
        assert.deepStrictEqual(fired(trail("kms", "CancelKeyDeletion")), ["cancel-key-deletion"]);
        assert.deepStrictEqual(fired(trail("kms", "PutKeyPolicy")), ["put-key-policy"]);
        assert.deepStrictEqual(fired(trail("kms", "DeleteAlias", { requestParameters: { aliasName: "alias/x" } })), ["delete-alias"]);
        assert.deepStrictEqual(fired(trail("kms", "DisableKeyRotation")), ["rotation-disabled"]);
        assert.deepStrictEqual(fired(trail("kms", "Decrypt")), [], "routine use is silent");
        assert.deepStrictEqual(fired(trail("kms", "EnableKey")), []);
    });

    it("reports a denied attempt as access denied, not as the state change", () => {
        for (const errorCode of ["AccessDenied", "AccessDeniedException"]) {
            assert.deepStrictEqual(fired(trail("kms", "DisableKey", { errorCode })), ["access-denied"], errorCode);
            assert.deepStrictEqual(fired(trail("kms", "Decrypt", { errorCode })), ["access-denied"]);
        }
        assert.deepStrictEqual(fired(trail("kms", "Decrypt", { errorCode: "NotFoundException" })), []);
        // Denied DescribeKey / GetKeyPolicy / List* only reach rules that ask for read-only management events.
        assert.strictEqual(byId("access-denied").state, "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");
    });

    it("fires on a failed rotation, not on a successful one", () => {
        assert.deepStrictEqual(fired(trail("kms", "RotateKeyOnDemand", { errorCode: "LimitExceededException" })), ["rotation-failure"]);
        assert.deepStrictEqual(fired(trail("kms", "EnableKeyRotation", { errorCode: "KMSInvalidStateException" })), ["rotation-failure"]);
        assert.deepStrictEqual(fired(trail("kms", "RotateKeyOnDemand")), []);
    });

    it("fires when the EmergencyKeyAdmin role is assumed, and only that role", () => {
        assert.deepStrictEqual(fired(trail("sts", "AssumeRole", { requestParameters: { roleArn: EMERGENCY } })), ["emergency-role-assumed"]);
        assert.deepStrictEqual(fired(trail("sts", "AssumeRole",
            { requestParameters: { roleArn: "arn:aws:iam::123456789012:role/ledgermind-prod-KeyRecoveryAdmin" } })), []);
        assert.deepStrictEqual(fired(trail("sts", "AssumeRole", { requestParameters: { roleArn: EMERGENCY }, errorCode: "AccessDenied" })), []);
    });

    it("receives the read-only AssumeRole and SwitchRole events (state ENABLED never would)", () => {
        assert.strictEqual(byId("emergency-role-assumed").state, "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");
        assert.strictEqual(byId("emergency-role-switched").state, "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");
        // Write events keep ENABLED: they reach it, and the rule is not fed every read-only call.
        for (const id of ["disable-key", "schedule-key-deletion", "put-key-policy", "delete-alias", "rotation-disabled"]) {
            assert.strictEqual(byId(id).state, "ENABLED", id);
        }
    });

    it("fires when someone switches to the EmergencyKeyAdmin role in the console, and only that role", () => {
        const signIn = (sessionArn: string) => ({
            "source": "aws.signin",
            "detail-type": "AWS Console Sign In via CloudTrail",
            "detail": { eventSource: "signin.amazonaws.com", eventName: "SwitchRole", userIdentity: { type: "AssumedRole", arn: sessionArn } },
        });
        assert.deepStrictEqual(fired(signIn("arn:aws:sts::123456789012:assumed-role/ledgermind-prod-EmergencyKeyAdmin/a.okafor")), ["emergency-role-switched"]);
        assert.deepStrictEqual(fired(signIn("arn:aws:sts::123456789012:assumed-role/ledgermind-prod-EmergencyKeyAdminX/a.okafor")), [], "prefix ends at the role name");
        assert.deepStrictEqual(fired(signIn("arn:aws:sts::123456789012:assumed-role/ledgermind-prod-KeyRecoveryAdmin/a.okafor")), []);
        assert.strictEqual(assumedRolePrefix("arn:aws:iam::123456789012:role/ops/x/Break"), "arn:aws:sts::123456789012:assumed-role/Break/", "paths drop out");
    });

    it("writes an AWS Chatbot custom notification naming the event, subject, actor and runbook anchor", () => {
        for (const d of DETECTIONS) {
            const t = inputTransformer(d);
            const placeholders = [...t.inputTemplate.matchAll(/<(\w+)>/g)].map((m) => m[1]);
            assert.deepStrictEqual([...new Set(placeholders)].sort(), Object.keys(t.inputPaths).sort(), `${d.id}: every placeholder has a path and vice versa`);
            assert.ok(Object.values(t.inputPaths).every((p) => /^\$(\.[A-Za-z-]+)+$/.test(p)), "dot notation only");
            // What EventBridge sends once it has filled the placeholders (inside JSON strings) from an event.
            const filled = t.inputTemplate.replace(/<(\w+)>/g, (_, k: string) => `value-of-${k}`);
            const msg = JSON.parse(filled) as { version: string; source: string; content: { title: string; description: string; nextSteps: string[] } };
            assert.strictEqual(msg.version, "1.0");
            assert.strictEqual(msg.source, "custom");
            assert.strictEqual(msg.content.title, `[${d.receiver}] ${d.title}: value-of-event on value-of-subject`, d.id);
            assert.match(msg.content.description, /^By value-of-actor from value-of-sourceIp, account value-of-account/);
            assert.deepStrictEqual(msg.content.nextSteps, [`Runbook: ${RUNBOOK}#${d.id}`]);
        }
        assert.strictEqual(inputTransformer(byId("delete-alias")).inputPaths.subject, "$.detail.requestParameters.aliasName");
        assert.strictEqual(inputTransformer(byId("emergency-role-assumed")).inputPaths.subject, "$.detail.requestParameters.roleArn");
    });

    it("has a runbook anchor for every detection and CloudTrail alarm", () => {
        const runbook = fs.readFileSync(path.join(ROOT, RUNBOOK), "utf8");
        for (const id of [...DETECTIONS.map((d) => d.id), ...TRAIL_ALARMS.map((a) => a.id), "prerequisites"]) {
            assert.ok(runbook.includes(`<a id="${id}"></a>`), `${RUNBOOK}#${id}`);
        }
    });

    it("keeps the CIS 4.7 and PutKeyPolicy metric filters exact", () => {
        assert.deepStrictEqual(TRAIL_ALARMS.map((a) => [a.id, a.receiver, a.filterPattern]), [
            ["cis-4-7-disable-or-delete-key", "kms-critical",
                "{($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion))}"],
            ["trail-put-key-policy", "kms-security", "{($.eventSource = kms.amazonaws.com) && ($.eventName = PutKeyPolicy)}"],
        ]);
    });
});
