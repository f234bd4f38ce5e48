import * as assert from "assert";
import { RawConfig, parseSettings } from "../../config/load";
import { editSection, stackConfig, rejects } from "../harness";

type Edit = Parameters<typeof editSection>[2];
type Json = Parameters<Edit>[0][string];
const FILE = "Pulumi.prod.yaml: kms-observability:aws";

/** The prod stack file with one edit to the aws section. */
const prodWith = (edit: Edit): RawConfig => editSection(stackConfig("prod"), "aws", edit);
const keys = (s: Record<string, Json>) => s.keys as Record<string, Json>[];

describe("config: aws section (config/aws.ts)", () => {
    it("reads both stack files with the seed values: 90-day rotation, prod deletion window 30", () => {
        for (const stack of ["staging", "prod"] as const) {
            const s = parseSettings(stackConfig(stack)).aws;
            assert.match(s.accountId, /^\d{12}$/);
            assert.ok(s.keys.length >= 1);
            assert.ok(s.keys.every((k) => k.rotationDays === 90), "seed: 90-day rotation");
            assert.deepStrictEqual(s.alertEmails["kms-critical"], ["oncall@ledger-mind.org", "secops@ledger-mind.org"]);
            assert.deepStrictEqual(s.alertEmails["kms-security"], ["secops@ledger-mind.org"]);
            if (stack === "prod") {
                assert.ok(s.keys.every((k) => k.deletionWindowDays === 30));
                assert.strictEqual(s.topicKey.deletionWindowDays, 30);
            }
        }
    });

    it("defaults rotation to 90 days, the deletion window to 30, multiRegion to false and lists to empty", () => {
        const raw = prodWith((s) => {
            keys(s)[0] = { name: "minimal", description: "only what is required" };
            delete s.alertEmails;
            delete s.topicKey;
        });
        const s = parseSettings(raw).aws;
        assert.deepStrictEqual(s.keys[0], {
            name: "minimal", description: "only what is required", users: [], admins: [], multiRegion: false, tags: {},
            rotationDays: 90, deletionWindowDays: 30, kind: "encrypt", team: "platform", dependents: [],
        });
        assert.deepStrictEqual(s.alertEmails, { "kms-critical": [], "kms-security": [] });
        assert.deepStrictEqual(s.topicKey, { rotationDays: 90, deletionWindowDays: 30 });
    });

    for (const days of [30, 3000, 89, 2561, 90.5, 91, 180, 365]) {
        it(`rejects a rotation period of ${days} days (the guide and the pack require exactly 90)`, () => {
            rejects(prodWith((s) => { keys(s)[0].rotationDays = days; }),
                `${FILE}.keys[0].rotationDays = ${days}: must be 90`);
        });
    }

    for (const days of [5, 31]) {
        it(`rejects a deletion window of ${days} days (AWS allows 7-30)`, () => {
            rejects(prodWith((s) => { keys(s)[1].deletionWindowDays = days; }),
                `${FILE}.keys[1].deletionWindowDays = ${days}: must be an integer from 7 to 30`);
            rejects(prodWith((s) => { (s.topicKey as Record<string, Json>).deletionWindowDays = days; }),
                `${FILE}.topicKey.deletionWindowDays = ${days}: must be an integer from 7 to 30`);
        });
    }

    it("rejects a malformed ARN in users and in admins", () => {
        rejects(prodWith((s) => { keys(s)[0].users = ["arn:aws:iam::12345:role/ledger-api-prod"]; }),
            `${FILE}.keys[0].users[0] = "arn:aws:iam::12345:role/ledger-api-prod": must be an IAM principal ARN`);
        rejects(prodWith((s) => { keys(s)[1].admins = ["ledger-key-owner"]; }),
            `${FILE}.keys[1].admins[0] = "ledger-key-owner": must be an IAM principal ARN like arn:aws:iam::123456789012:role/Name`);
        rejects(prodWith((s) => { keys(s)[0].users = ["*"]; }), `${FILE}.keys[0].users[0] = "*": must be an IAM principal ARN`);
    });

    it("rejects a key name that would put the alias under the reserved alias/aws/", () => {
        for (const name of ["aws/ledger-signing", "alias/aws/ledger-signing", "AWS/ledger"]) {
            rejects(prodWith((s) => { keys(s)[0].name = name; }),
                `${FILE}.keys[0].name = "${name}": alias/aws/ is reserved for AWS managed keys`);
        }
        rejects(prodWith((s) => { keys(s)[0].name = "alias/ledger-signing"; }),
            `${FILE}.keys[0].name = "alias/ledger-signing": give the name without the alias/ prefix`);
        rejects(prodWith((s) => { keys(s)[0].name = "ledger signing"; }), `${FILE}.keys[0].name = "ledger signing": must be 1-250 letters`);
    });

    it("rejects duplicate key names, naming the first occurrence", () => {
        rejects(prodWith((s) => { keys(s)[1].name = keys(s)[0].name; }),
            `${FILE}.keys[1].name = "ledger-mind/prod/compliance-signing": duplicate key name (keys[0].name is "ledger-mind/prod/compliance-signing")`);
        rejects(prodWith((s) => { keys(s)[1].name = "ledger-mind-prod/compliance-signing"; keys(s)[0].name = "ledger-mind/prod-compliance-signing"; }),
            `${FILE}.keys[1].name = "ledger-mind-prod/compliance-signing": duplicate key name`);
    });

    it("requires an account id as a quoted 12-digit string", () => {
        rejects(prodWith((s) => { s.accountId = 123456789012; }), `${FILE}.accountId = 123456789012: must be a 12-digit AWS account id, quoted`);
        rejects(prodWith((s) => { s.accountId = "12345678901"; }), `${FILE}.accountId = "12345678901": must be a 12-digit AWS account id`);
    });

    it("requires a deployer, a role or user of the keys' account, so the MFA deny cannot lock the stack out", () => {
        rejects(prodWith((s) => { s.deployers = []; }), `${FILE}.deployers = []: must name the role that runs \`pulumi up\``);
        rejects(prodWith((s) => { s.deployers = ["arn:aws:sts::123456789012:assumed-role/ledger-mind-pulumi-deployer/ci"]; }),
            `${FILE}.deployers[0] = "arn:aws:sts::123456789012:assumed-role/ledger-mind-pulumi-deployer/ci": must be the ARN of the IAM role or user`);
        rejects(prodWith((s) => { s.deployers = ["arn:aws:iam::999999999999:role/ci"]; }),
            `${FILE}.deployers[0] = "arn:aws:iam::999999999999:role/ci": must be in account 123456789012`);
    });

    it("requires key administrators in the keys' account (the MFA deny covers only that account)", () => {
        rejects(prodWith((s) => { keys(s)[0].admins = ["arn:aws:iam::999999999999:role/outsider"]; }),
            `${FILE}.keys[0].admins[0] = "arn:aws:iam::999999999999:role/outsider": key administrators must be in account 123456789012`);
    });

    it("requires trusted principals for every governance role", () => {
        rejects(prodWith((s) => { (s.trustedPrincipals as Record<string, Json>).emergencyKeyAdmin = []; }),
            `${FILE}.trustedPrincipals.emergencyKeyAdmin = []: must name at least one principal allowed to assume the EmergencyKeyAdmin role`);
    });

    it("rejects unknown keys with a hint and bad emails, prefixes and log group names", () => {
        rejects(prodWith((s) => { keys(s)[0].rotationPeriodDays = 90; }),
            `${FILE}.keys[0].rotationPeriodDays = (not shown): unknown key (did you mean "rotationDays"?)`);
        rejects(prodWith((s) => { (s.alertEmails as Record<string, Json>)["kms-critical"] = ["oncall"]; }),
            `${FILE}.alertEmails.kms-critical[0] = "oncall": must be an email address`);
        rejects(prodWith((s) => { s.namePrefix = "ledgermind prod"; }), `${FILE}.namePrefix = "ledgermind prod": must be 2-32 letters`);
        rejects(prodWith((s) => { s.cloudTrailLogGroupArn = "aws-cloudtrail-logs-ledger-mind-org"; }),
            `${FILE}.cloudTrailLogGroupArn = "aws-cloudtrail-logs-ledger-mind-org": must be the ARN of a CloudWatch Logs group`);
        rejects(prodWith((s) => { s.cloudTrailLogGroupName = "aws-cloudtrail-logs-ledger-mind-org"; }),
            `${FILE}.cloudTrailLogGroupName = (not shown): unknown key (did you mean "cloudTrailLogGroupArn"?)`);
    });

    it("takes the CloudTrail log group of the stack's own account and region, not another stack's", () => {
        assert.strictEqual(parseSettings(stackConfig("prod")).aws.cloudTrailLogGroupArn,
            "arn:aws:logs:us-east-1:123456789012:log-group:aws-cloudtrail-logs-ledgermind-prod");
        assert.notStrictEqual(parseSettings(stackConfig("staging")).aws.cloudTrailLogGroupArn, parseSettings(stackConfig("prod")).aws.cloudTrailLogGroupArn);
        const staging = "arn:aws:logs:eu-west-1:210987654321:log-group:aws-cloudtrail-logs-ledgermind-staging";
        rejects(prodWith((s) => { s.cloudTrailLogGroupArn = staging; }),
            `${FILE}.cloudTrailLogGroupArn = "${staging.slice(0, 60)}`, "must be a log group of account 123456789012");
        const otherRegion = "arn:aws:logs:eu-west-1:123456789012:log-group:aws-cloudtrail-logs-ledgermind-prod";
        rejects(prodWith((s) => { s.cloudTrailLogGroupArn = otherRegion; }),
            `${FILE}.cloudTrailLogGroupArn = "${otherRegion.slice(0, 60)}`, "must be a log group in aws:region (us-east-1)");
        assert.ok(parseSettings(prodWith((s) => { s.cloudTrailLogGroupArn = "arn:aws:logs:us-east-1:123456789012:log-group:trail:*"; })).aws.cloudTrailLogGroupArn);
    });
});
