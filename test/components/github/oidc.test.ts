import * as assert from "assert";
import { ROTATION_WORKFLOW_PATH, rotationWorkflow } from "../../../components/github/workflow";
import { PlanResource } from "../../../tools/engine";
import { CallMock } from "../../../tools/mocks/context";
import { StackRun, editSection, programErrors, runStack, stackConfig } from "../../harness";
import { AwsOutputs, awsOut } from "../aws/stack";
import { GcpOutputs, gcpOut } from "../gcp/runs";
import { GithubRuns, T, githubOut, githubRuns } from "./runs";

const APP = "ai-finance-agent-oss";
const GET_OIDC_PROVIDER = "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider";
const PROD_PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const STAGING_PROVIDER = "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com";

const role = (run: StackRun, env: string): PlanResource => run.one(T.role, `github-oidc-${APP}-${env}`);
const json = (r: PlanResource, key: string) => JSON.parse(String(r.inputs[key])) as Record<string, unknown>;

/** Variable name -> value of one repository environment. */
function variables(run: StackRun, repo: string, env: string): Record<string, unknown> {
    return Object.fromEntries(run.ofType(T.variable)
        .filter((v) => v.inputs.repository === repo && v.inputs.environment === env)
        .map((v) => [v.inputs.variableName, v.inputs.value]));
}

describe("github: ActionsOidc (components/github/oidc.ts)", () => {
    let runs: GithubRuns;
    let aws: { prod: AwsOutputs; staging: AwsOutputs };
    let gcp: { prod: GcpOutputs; staging: GcpOutputs };
    before(async () => {
        runs = await githubRuns();
        aws = { prod: awsOut(runs.prod), staging: awsOut(runs.staging) };
        gcp = { prod: gcpOut(runs.prod), staging: gcpOut(runs.staging) };
    });

    it("prod uses the account's existing GitHub OIDC provider (IAM: one per URL) after reading it, and creates none", () => {
        // A second provider for token.actions.githubusercontent.com would fail with EntityAlreadyExists.
        assert.strictEqual(runs.prod.ofType(T.provider).length, 0);
        const trust = json(role(runs.prod, "production"), "assumeRolePolicy") as { Statement: { Principal: unknown }[] };
        assert.deepStrictEqual(trust.Statement[0].Principal, { Federated: PROD_PROVIDER });
    });

    it("without github.oidcProviderArn the stack creates the provider, audience sts.amazonaws.com, protected in prod", async () => {
        const run = await runStack(editSection(stackConfig("prod"), "github", (g) => { delete g.oidcProviderArn; }));
        const p = run.one(T.provider);
        assert.deepStrictEqual([p.inputs.url, p.inputs.clientIdLists], ["https://token.actions.githubusercontent.com", ["sts.amazonaws.com"]]);
        assert.deepStrictEqual([p.protect, p.retainOnDelete], [true, true], "the account's only provider for this issuer");
        assert.strictEqual(p.parent, run.one(T.oidc).urn);
    });

    it("an existing provider that does not accept sts.amazonaws.com fails the preview, naming the config key and the fix", async () => {
        const lookup: CallMock = (a) => ({ arn: a.arn, url: "token.actions.githubusercontent.com", clientIdLists: ["sigstore"], thumbprintLists: [] });
        const errors = await programErrors(stackConfig("prod"), { calls: { [GET_OIDC_PROVIDER]: lookup } });
        assert.ok(errors.some((e) => /github\.oidcProviderArn = arn:aws:iam::123456789012:oidc-provider\/token\.actions\.githubusercontent\.com: .*add sts\.amazonaws\.com/.test(e)), errors.join("\n"));
    });

    it("staging trusts the existing provider from config and creates none", () => {
        assert.strictEqual(runs.staging.ofType(T.provider).length, 0);
        const trust = json(role(runs.staging, "staging"), "assumeRolePolicy") as { Statement: { Principal: unknown }[] };
        assert.deepStrictEqual(trust.Statement[0].Principal, { Federated: STAGING_PROVIDER });
    });

    it("the trust policy requires aud = sts.amazonaws.com and sub = repo:OWNER/REPO:environment:ENV exactly", () => {
        for (const [run, env, provider] of [[runs.prod, "production", PROD_PROVIDER], [runs.staging, "staging", STAGING_PROVIDER]] as const) {
            assert.deepStrictEqual(json(role(run, env), "assumeRolePolicy"), {
                Version: "2012-10-17",
                Statement: [{
                    Sid: "GitHubActionsEnvironment",
                    Effect: "Allow",
                    Principal: { Federated: provider },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: {
                        StringEquals: {
                            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                            "token.actions.githubusercontent.com:sub": `repo:ledger-mind/${APP}:environment:${env}`,
                        },
                    },
                }],
            });
        }
    });

    it("one role per rotating repository × environment, named per stack, one-hour sessions", () => {
        assert.deepStrictEqual(runs.prod.ofType(T.role).filter((r) => r.parent === runs.prod.one(T.oidc).urn).map((r) => r.name),
            [`github-oidc-${APP}-production`], "kms-observability (kmsRotation: false) gets no role");
        const r = role(runs.prod, "production");
        assert.deepStrictEqual([r.inputs.name, r.inputs.maxSessionDuration], [`ledgermind-prod-gh-${APP}-production`, 3600]);
        assert.strictEqual(role(runs.staging, "staging").inputs.name, `ledgermind-staging-gh-${APP}-staging`);
    });

    /** Keys AWS rotates (encrypt keys): the only ones the on-demand rotation workflow may touch. */
    const rotating = (out: AwsOutputs, field: "keyArns" | "aliases") => Object.entries(out[field])
        .filter(([name]) => out.keyMapping[name].rotation === "automatic").map(([, v]) => v).sort();

    it("the role may only describe, check and rotate this stack's automatically rotated keys", () => {
        for (const [run, env, out] of [[runs.prod, "production", aws.prod], [runs.staging, "staging", aws.staging]] as const) {
            const policy = run.one(T.rolePolicy, `github-oidc-${APP}-${env}-kms-rotation`);
            assert.strictEqual(policy.inputs.role, role(run, env).inputs.name);
            assert.deepStrictEqual(json(policy, "policy"), {
                Version: "2012-10-17",
                Statement: [{
                    Sid: "RotateThisStacksKeys",
                    Effect: "Allow",
                    Action: ["kms:DescribeKey", "kms:GetKeyRotationStatus", "kms:RotateKeyOnDemand"],
                    Resource: rotating(out, "keyArns"),
                }],
            });
            // A signing key cannot be rotated on demand: RotateKeyOnDemand would fail the workflow.
            assert.ok(!rotating(out, "keyArns").includes(out.keyArns[`ledger-mind/${run === runs.prod ? "prod" : "staging"}/compliance-signing`]));
        }
        const prodKeys = new Set(Object.values(aws.prod.keyArns));
        assert.ok(Object.values(aws.staging.keyArns).every((k) => !prodKeys.has(k)), "staging's role never reaches prod keys");
    });

    it("each rotation environment gets the role ARN, region, key aliases and audit dataset as variables", () => {
        assert.deepStrictEqual(variables(runs.prod, APP, "production"), {
            KMS_ROTATION_ROLE_ARN: `arn:aws:iam::123456789012:role/ledgermind-prod-gh-${APP}-production`,
            AWS_REGION: "us-east-1",
            KMS_KEY_ALIASES: rotating(aws.prod, "aliases").join(" "),
            KMS_AUDIT_DATASET: gcp.prod.auditDataset,
        });
        assert.deepStrictEqual(variables(runs.staging, APP, "staging"), {
            KMS_ROTATION_ROLE_ARN: `arn:aws:iam::210987654321:role/ledgermind-staging-gh-${APP}-staging`,
            AWS_REGION: "eu-west-1",
            KMS_KEY_ALIASES: rotating(aws.staging, "aliases").join(" "),
            KMS_AUDIT_DATASET: gcp.staging.auditDataset,
        });
        assert.strictEqual(gcp.prod.auditDataset, "ledgermind-prod:kms_audit");
        // kms-observability does not rotate: its production variables are the CI identities' (components/ci).
        const oidc = runs.prod.one(T.oidc).urn;
        assert.ok(runs.prod.ofType(T.variable).filter((v) => v.inputs.repository === "kms-observability").every((v) => v.parent !== oidc));
        const env = runs.prod.one(T.environment, `github-${APP}-production`);
        for (const v of runs.prod.ofType(T.variable).filter((x) => x.parent === oidc)) assert.ok(v.dependsOn.includes(env.urn), `${v.name} waits for its environment`);
    });

    it("outputs the role ARNs per repository and environment", () => {
        assert.deepStrictEqual(githubOut(runs.prod).roleArns, {
            [APP]: { production: `arn:aws:iam::123456789012:role/ledgermind-prod-gh-${APP}-production` },
        });
        assert.deepStrictEqual(githubOut(runs.staging).roleArns, {
            [APP]: { staging: `arn:aws:iam::210987654321:role/ledgermind-staging-gh-${APP}-staging` },
        });
    });

    it("commits the rotation workflow template where config asks, after its environment's variables", () => {
        const file = runs.prod.one(T.file);
        assert.deepStrictEqual(
            [file.inputs.repository, file.inputs.file, file.inputs.content, file.inputs.overwriteOnCreate],
            [APP, ROTATION_WORKFLOW_PATH, rotationWorkflow(), true],
        );
        for (const v of runs.prod.ofType(T.variable).filter((x) => x.inputs.repository === APP)) assert.ok(file.dependsOn.includes(v.urn), `committed after ${v.name}`);
        assert.strictEqual(runs.staging.ofType(T.file).length, 0, "staging commits nothing");
    });
});
