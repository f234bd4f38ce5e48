import { CallMock, MockContext, MockResource, ResourceMock, physicalName, uuidOf } from "./context";

const arn = (ctx: MockContext, service: string, resource: string, global = false) =>
    `arn:aws:${service}:${global ? "" : ctx.awsRegion}:${ctx.awsAccountId}:${resource}`;

/** ARN and id of resources whose shape callers rely on; the rest get a generic ARN. */
export const awsResources: Record<string, ResourceMock> = {
    "aws:kms/key:Key": (r, ctx) => {
        const keyId = (r.inputs.multiRegion ? "mrk-" : "") + uuidOf("kms", ctx.awsAccountId, r.name);
        return { id: keyId, state: { keyId, arn: arn(ctx, "kms", `key/${keyId}`) } };
    },
    "aws:kms/alias:Alias": (r, ctx) => ({
        id: physicalName(r),
        state: { arn: arn(ctx, "kms", physicalName(r)), targetKeyArn: r.inputs.targetKeyId },
    }),
    "aws:iam/role:Role": (r, ctx) => ({
        id: physicalName(r),
        state: { arn: arn(ctx, "iam", `role${(r.inputs.path as string | undefined) ?? "/"}${physicalName(r)}`, true), uniqueId: `AROA${uuidOf(r.name).replace(/-/g, "").slice(0, 17).toUpperCase()}` },
    }),
    // AWS ids of inline policies are `<role>:<policy>`: two roles may both hold a policy named alike.
    "aws:iam/rolePolicy:RolePolicy": (r) => ({ id: `${String(r.inputs.role)}:${physicalName(r)}`, state: {} }),
    "aws:iam/policy:Policy": (r, ctx) => ({
        id: arn(ctx, "iam", `policy/${physicalName(r)}`, true),
        state: { arn: arn(ctx, "iam", `policy/${physicalName(r)}`, true) },
    }),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (r, ctx) => {
        const host = String(r.inputs.url ?? "").replace(/^https:\/\//, "");
        const a = arn(ctx, "iam", `oidc-provider/${host}`, true);
        return { id: a, state: { arn: a } };
    },
    "aws:sns/topic:Topic": (r, ctx) => {
        const a = arn(ctx, "sns", physicalName(r));
        return { id: a, state: { arn: a } };
    },
    "aws:sns/topicSubscription:TopicSubscription": (r, ctx) => {
        const a = `${String(r.inputs.topic)}:${uuidOf("sub", ctx.awsAccountId, r.name)}`;
        return { id: a, state: { arn: a } };
    },
    "aws:cloudwatch/eventRule:EventRule": (r, ctx) => ({
        id: physicalName(r),
        state: { arn: arn(ctx, "events", `rule/${physicalName(r)}`) },
    }),
    "aws:cloudwatch/eventTarget:EventTarget": (r) => ({
        id: `${String(r.inputs.rule)}-${String(r.inputs.targetId ?? r.name)}`,
        state: {},
    }),
    "aws:sns/topicPolicy:TopicPolicy": (r) => ({ id: String(r.inputs.arn), state: { owner: String(r.inputs.arn).split(":")[4] } }),
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": (r) => ({ id: physicalName(r), state: {} }),
    "aws:cloudwatch/metricAlarm:MetricAlarm": (r, ctx) => ({
        id: String(r.inputs.name ?? r.name),
        state: { arn: arn(ctx, "cloudwatch", `alarm:${String(r.inputs.name ?? r.name)}`) },
    }),
    "aws:amp/workspace:Workspace": (r, ctx) => {
        const id = `ws-${uuidOf("amp", ctx.awsAccountId, r.name)}`;
        return {
            id,
            state: {
                arn: arn(ctx, "aps", `workspace/${id}`),
                prometheusEndpoint: `https://aps-workspaces.${ctx.awsRegion}.amazonaws.com/workspaces/${id}/`,
            },
        };
    },
};

/** Any other AWS resource: `arn:aws:<module>:<region>:<account>:<name>`. */
export function genericAws(r: MockResource, ctx: MockContext) {
    const module = r.type.split(":")[1]?.split("/")[0] ?? "aws";
    return { id: physicalName(r), state: { arn: arn(ctx, module, physicalName(r)) } };
}

export const awsCalls: Record<string, CallMock> = {
    "aws:index/getCallerIdentity:getCallerIdentity": (_a, ctx) => ({
        accountId: ctx.awsAccountId,
        // The CI deploy role both stack files list in aws.deployers.
        arn: `arn:aws:sts::${ctx.awsAccountId}:assumed-role/ledger-mind-pulumi-deployer/session`,
        userId: "AROAEXAMPLEDEPLOYER:session",
        id: ctx.awsAccountId,
    }),
    // Existing log groups: any name is found, in the stack's account and region.
    "aws:cloudwatch/getLogGroup:getLogGroup": (a, ctx) => ({
        id: String(a.name), name: String(a.name), arn: arn(ctx, "logs", `log-group:${String(a.name)}`),
        retentionInDays: 0, tags: {},
    }),
    "aws:index/getRegion:getRegion": (_a, ctx) => ({ name: ctx.awsRegion, region: ctx.awsRegion, id: ctx.awsRegion }),
    "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" }),
    // The account's GitHub OIDC provider, as the bootstrap created it (audience sts.amazonaws.com).
    "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider": (a, ctx) => {
        const arn = String(a.arn ?? `arn:aws:iam::${ctx.awsAccountId}:oidc-provider/${String(a.url ?? "").replace(/^https:\/\//, "")}`);
        const host = arn.replace(/^.*:oidc-provider\//, "");
        return { arn, id: arn, url: host, clientIdLists: ["sts.amazonaws.com"], thumbprintLists: [], tags: {} };
    },
};
