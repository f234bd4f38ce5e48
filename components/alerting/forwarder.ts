import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as lambda from "@pulumi/aws/lambda";
import * as sns from "@pulumi/aws/sns";
import { ArnContext, PolicyDocument, policyDocument, regionalArn } from "../../documents/aws/document";
import { FORWARDER_SOURCE } from "../../documents/aws/forwarder-source";

export type ForwarderMode = "heartbeat" | "pagerduty";

export interface SnsForwarderArgs {
    /** Partition, region and account of the topic and function. */
    readonly ctx: ArnContext;
    /** The SNS topic whose notifications are forwarded. */
    readonly topicArn: pulumi.Input<string>;
    /** `heartbeat`: POST each notification to `targetUrl` (a dead man's switch ping URL); `pagerduty`: Events API v2. */
    readonly mode: ForwarderMode;
    /** Where to POST: the ping URL (secret) or the Events API v2 URL. */
    readonly targetUrl: pulumi.Input<string>;
    /** PagerDuty routing key (secret); required with `pagerduty`. */
    readonly routingKey?: pulumi.Input<string>;
    /** Function and role name: `<functionName>`, `<functionName>-role`, at most 64 characters. */
    readonly functionName: string;
    /** Tags for every taggable resource. Default none. */
    readonly tags?: Readonly<Record<string, string>>;
}

/** Lambda assumes the function's role. */
export function lambdaTrustPolicy(): PolicyDocument {
    return policyDocument({ Sid: "LambdaAssumes", Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com"] }, Action: ["sts:AssumeRole"] });
}

/** The function may write its own log group and nothing else (it calls no AWS API). */
export function forwarderLogsPolicy(ctx: ArnContext, functionName: string): PolicyDocument {
    return policyDocument({
        Sid: "OwnLogGroup", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${regionalArn(ctx, "logs", `log-group:/aws/lambda/${functionName}`)}:*`,
    });
}

/**
 * One SNS topic forwarded by a Lambda function to an HTTPS endpoint (forwarder-source.ts says why):
 * execution role, log group, function, SNS invoke permission pinned to the topic, and the `lambda`
 * subscription (no confirmation needed within one account). Secrets reach the function as
 * environment variables, encrypted at rest by Lambda and marked secret in Pulumi state.
 */
export class SnsForwarder extends pulumi.ComponentResource {
    public readonly functionArn: pulumi.Output<string>;
    public readonly subscriptionArn: pulumi.Output<string>;

    constructor(name: string, args: SnsForwarderArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kms-observability:alerting:SnsForwarder", name, {}, opts);
        if (args.mode === "pagerduty" && args.routingKey === undefined) throw new pulumi.ResourceError("SnsForwarder: pagerduty needs a routingKey", this);
        if (args.functionName.length > 64 - "-role".length) throw new pulumi.ResourceError(`SnsForwarder: ${args.functionName} is too long`, this);
        const tags = { ...(args.tags ?? {}) };
        const role = new iam.Role(`${name}-role`, {
            name: `${args.functionName}-role`,
            description: `Runs ${args.functionName}: forwards SNS notifications (${args.mode})`,
            assumeRolePolicy: JSON.stringify(lambdaTrustPolicy()),
            tags,
        }, { parent: this });
        new iam.RolePolicy(`${name}-logs`, { role: role.name, policy: JSON.stringify(forwarderLogsPolicy(args.ctx, args.functionName)) }, { parent: this });
        const logGroup = new cloudwatch.LogGroup(`${name}-logs`, { name: `/aws/lambda/${args.functionName}`, retentionInDays: 90, tags }, { parent: this });
        const fn = new lambda.Function(`${name}-function`, {
            name: args.functionName,
            description: `Forwards SNS notifications (${args.mode}); see components/alerting/forwarder-source.ts`,
            runtime: "nodejs22.x",
            handler: "index.handler",
            code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(FORWARDER_SOURCE) }),
            role: role.arn,
            timeout: 30,
            memorySize: 128,
            environment: {
                variables: pulumi.secret(pulumi.all([args.targetUrl, args.routingKey ?? ""]).apply(([targetUrl, routingKey]) => ({
                    MODE: args.mode, TARGET_URL: targetUrl, ...(args.mode === "pagerduty" ? { ROUTING_KEY: routingKey } : {}),
                }))),
            },
            tags,
        }, { parent: this, dependsOn: [logGroup] });
        new lambda.Permission(`${name}-invoke`, {
            action: "lambda:InvokeFunction",
            function: fn.name,
            principal: "sns.amazonaws.com",
            sourceArn: args.topicArn,
        }, { parent: this });
        const subscription = new sns.TopicSubscription(`${name}-subscription`, {
            topic: args.topicArn,
            protocol: "lambda",
            endpoint: fn.arn,
        }, { parent: this });
        this.functionArn = fn.arn;
        this.subscriptionArn = subscription.arn;
        this.registerOutputs({ functionArn: this.functionArn, subscriptionArn: this.subscriptionArn });
    }
}
