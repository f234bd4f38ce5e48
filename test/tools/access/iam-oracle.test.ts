import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { PolicyDoc, Statement, evaluateKeyRequest } from "../../../tools/access/iam";
import { accessModel, namedPrincipals } from "../../../tools/access/model";
import type { PlanResource } from "../../../tools/engine";

/**
 * The project's evaluator (tools/access/iam.ts) against a maintained IAM engine,
 * @cloud-copilot/iam-simulate (AGPL-3.0, a dev dependency used only here as the oracle): the same
 * requests, the same decisions. Cases: the fixture plan's real key policies (a data key, the alert
 * topics' key, the AMP key) and roles under every principal x action x MFA context, the service
 * principals under their source/topic contexts, and hand-written documents for NotAction, NotPrincipal and the
 * condition operators (Bool, BoolIfExists, StringLike, ArnLike, ArnNotLike, NumericLessThan on
 * aws:MultiFactorAuthAge, StringNotEquals, Null).
 */

const ACCOUNT = "123456789012";
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const role = (n: string) => `arn:aws:iam::${ACCOUNT}:role/${n}`;
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;

interface Case { name: string; keyPolicy: PolicyDoc; identity: PolicyDoc[]; principal: string; action: string; context: Record<string, string> }

async function oracle(c: Case): Promise<boolean> {
    const res = await runSimulation({
        identityPolicies: c.identity.map((p, i) => ({ name: `p${i}`, policy: { Version: "2012-10-17", ...p } })),
        serviceControlPolicies: [], resourceControlPolicies: [],
        resourcePolicy: { Version: "2012-10-17", ...c.keyPolicy },
        request: {
            action: c.action, principal: c.principal, resource: { accountId: ACCOUNT, resource: KEY },
            contextVariables: { "aws:PrincipalArn": c.principal, "aws:PrincipalAccount": ACCOUNT, ...c.context },
        },
    } as Parameters<typeof runSimulation>[0], {});
    if (res.resultType === "error") throw new Error(`iam-simulate rejected ${c.name}: ${JSON.stringify(res.errors)}`);
    return res.overallResult === "Allowed";
}

const ours = (c: Case): boolean => {
    const keys = [...new Set([...JSON.stringify([c.keyPolicy, c.identity]).matchAll(/"([a-z]+:[A-Za-z:]+)"/g)].map((m) => m[1]))];
    const d = evaluateKeyRequest(c.keyPolicy, c.identity, { principal: c.principal, action: c.action, resource: KEY, context: c.context, modelled: keys });
    assert.notStrictEqual(d.outcome, "conditional", `${c.name}: every key is modelled here`);
    return d.outcome === "allow";
};

const MFA_CONTEXTS: Record<string, Record<string, string>> = {
    "MFA 60 s": { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "60" },
    "MFA 900 s": { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "900" },
    "no MFA (role session)": { "aws:MultiFactorAuthPresent": "false" },
    "no MFA key (access key)": {},
};
const ACTIONS = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:PutKeyPolicy", "kms:CreateGrant", "kms:DisableKey", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"];
const ALLOW_ALL: PolicyDoc = { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/**
 * iam-simulate resolves variable condition keys only in the `prefix/${Var}` form of its IAM data, so it
 * cannot see `kms:EncryptionContext:aws:sns:topicArn`. Both evaluators get that key renamed to a
 * single-valued string key it does resolve; operator semantics are the same.
 */
const TOPIC_KEY = "kms:EncryptionContext:aws:sns:topicArn";
const TOPIC_KEY_FOR_ORACLE = "aws:RequestTag/sns-topic-arn";

/** Contexts a service's request may carry: from this account's topic and workspace, or from elsewhere. */
const SERVICE_CONTEXTS: Record<string, Record<string, string>> = {
    "service, our topic": {
        "aws:SourceAccount": ACCOUNT, "aws:SourceArn": `arn:aws:aps:us-east-1:${ACCOUNT}:workspace/ws-1`,
        [TOPIC_KEY_FOR_ORACLE]: `arn:aws:sns:us-east-1:${ACCOUNT}:ledgermind-prod-kms-critical`,
    },
    "service, another account": {
        "aws:SourceAccount": "999999999999", "aws:SourceArn": "arn:aws:aps:us-east-1:999999999999:workspace/ws-1",
        [TOPIC_KEY_FOR_ORACLE]: `arn:aws:sns:us-east-1:${ACCOUNT}:ledgermind-prod-kms-critical`,
    },
    "service, another topic": {
        "aws:SourceAccount": ACCOUNT, "aws:SourceArn": `arn:aws:aps:us-east-1:${ACCOUNT}:workspace/ws-1`,
        [TOPIC_KEY_FOR_ORACLE]: `arn:aws:sns:us-east-1:${ACCOUNT}:someone-elses-topic`,
    },
};

/** Every key of the fixture plan (data keys, alert-topic key, AMP key) x principal x action x context. */
function fixtureCases(): Case[] {
    const plan = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "..", "test", "fixtures", "access", "plan.json"), "utf8")) as { stack: string; resources: PlanResource[] };
    const model = accessModel(plan);
    return model.keys.flatMap((key) => {
        const keyPolicy = JSON.parse(JSON.stringify(key.policy).replaceAll(key.arn, KEY).replaceAll(TOPIC_KEY, TOPIC_KEY_FOR_ORACLE)) as PolicyDoc;
        const subjects = [
            ...model.roles.map((r) => ({ principal: r.arn, identity: JSON.parse(JSON.stringify(r.identityPolicies).replaceAll(key.arn, KEY)) as PolicyDoc[], contexts: MFA_CONTEXTS })),
            { principal: role("ledger-api-prod"), identity: [], contexts: MFA_CONTEXTS },
            { principal: role("ledger-mind-pulumi-deployer"), identity: [ALLOW_ALL], contexts: MFA_CONTEXTS },
            { principal: role("someone-else"), identity: [ALLOW_ALL], contexts: MFA_CONTEXTS },
            ...namedPrincipals(key.policy).services.map((svc) => ({ principal: svc, identity: [] as PolicyDoc[], contexts: SERVICE_CONTEXTS })),
        ];
        return subjects.flatMap((s) => ACTIONS.flatMap((action) => Object.entries(s.contexts).map(([ctx, context]) => ({
            name: `${key.label}: ${s.principal.split("/").pop()} ${action} ${ctx}`, keyPolicy, identity: s.identity, principal: s.principal, action, context,
        }))));
    });
}

const rootAllows: Statement[] = [{ Effect: "Allow", Principal: { AWS: ROOT }, Action: "kms:*", Resource: "*" }];
function operatorCases(): Case[] {
    const docs: Record<string, PolicyDoc> = {
        "NotAction allow (everything but crypto)": { Statement: [{ Effect: "Allow", Principal: { AWS: role("admin") }, NotAction: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"], Resource: "*" }] },
        "NotAction deny": { Statement: [...rootAllows, { Effect: "Deny", Principal: { AWS: ROOT }, NotAction: ["kms:Decrypt", "kms:Describe*"], Resource: "*" }] },
        "NotPrincipal deny": { Statement: [...rootAllows, { Effect: "Deny", NotPrincipal: { AWS: [role("admin"), ROOT] }, Action: "kms:PutKeyPolicy", Resource: "*" }] },
        "Bool MFA allow": { Statement: [{ Effect: "Allow", Principal: { AWS: role("admin") }, Action: "kms:*", Resource: "*", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }] },
        "BoolIfExists deny": { Statement: [...rootAllows, { Effect: "Deny", Principal: { AWS: ROOT }, Action: ["kms:DisableKey", "kms:PutKeyPolicy"], Resource: "*", Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } } }] },
        "NumericLessThan MFA age": { Statement: [{ Effect: "Allow", Principal: { AWS: role("admin") }, Action: "kms:*", Resource: "*", Condition: { NumericLessThan: { "aws:MultiFactorAuthAge": "300" } } }] },
        "StringLike principal": { Statement: [{ Effect: "Allow", Principal: { AWS: ROOT }, Action: "kms:*", Resource: "*" }, { Effect: "Deny", Principal: { AWS: ROOT }, Action: "kms:Decrypt", Resource: "*", Condition: { StringLike: { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/ad*` } } }] },
        "ArnNotLike exemption": { Statement: [...rootAllows, { Effect: "Deny", Principal: { AWS: ROOT }, Action: "kms:*", Resource: "*", Condition: { ArnNotLike: { "aws:PrincipalArn": [role("deployer")] }, Bool: { "aws:MultiFactorAuthPresent": "false" } } }] },
        "ArnLike allow": { Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*", Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/dep*` } } }] },
        "StringNotEquals account": { Statement: [...rootAllows, { Effect: "Deny", Principal: "*", Action: "kms:*", Resource: "*", Condition: { StringNotEquals: { "aws:PrincipalAccount": ACCOUNT } } }] },
        "Null MFA deny": { Statement: [...rootAllows, { Effect: "Deny", Principal: { AWS: ROOT }, Action: "kms:ScheduleKeyDeletion", Resource: "*", Condition: { Null: { "aws:MultiFactorAuthPresent": "true" } } }] },
    };
    const identities: Record<string, PolicyDoc[]> = {
        none: [],
        "allow kms:*": [{ Statement: [{ Effect: "Allow", Action: "kms:*", Resource: KEY }] }],
        "NotAction deny crypto": [ALLOW_ALL, { Statement: [{ Effect: "Deny", NotAction: ["kms:PutKeyPolicy", "kms:DisableKey"], Resource: "*" }] }],
        "NotResource allow": [{ Statement: [{ Effect: "Allow", Action: "kms:*", NotResource: `arn:aws:kms:*:${ACCOUNT}:key/other` }] }],
    };
    const out: Case[] = [];
    for (const [dn, keyPolicy] of Object.entries(docs)) for (const [iname, identity] of Object.entries(identities))
        for (const principal of [role("admin"), role("deployer"), role("user")]) for (const action of ["kms:Decrypt", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"])
            for (const [ctx, context] of Object.entries(MFA_CONTEXTS))
                out.push({ name: `${dn} / identity ${iname} / ${principal.split("/").pop()} ${action} ${ctx}`, keyPolicy, identity, principal, action, context });
    return out;
}

describe("IAM evaluator agrees with @cloud-copilot/iam-simulate", function () {
    this.timeout(120_000);
    for (const [name, cases] of [["the fixture plan's key policies, roles and service principals", fixtureCases], ["NotAction, NotPrincipal, NotResource and condition operators", operatorCases]] as const) {
        it(name, async () => {
            const all = cases();
            const disagreements: string[] = [];
            let allowed = 0;
            for (const c of all) {
                const [mine, theirs] = [ours(c), await oracle(c)];
                if (theirs) allowed++;
                if (mine !== theirs) disagreements.push(`${c.name}: ours ${mine ? "Allowed" : "Denied"}, iam-simulate ${theirs ? "Allowed" : "Denied"}`);
            }
            assert.deepStrictEqual(disagreements, []);
            // Both outcomes occur, so agreement is not agreement on "always deny".
            assert.ok(allowed > 0 && allowed < all.length, `${allowed}/${all.length} allowed`);
        });
    }
});
