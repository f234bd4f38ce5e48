import { KeyMapping } from "../../../contract/key-mapping";
import { StackRun } from "../../harness";

/** Type tokens of what the AWS components register. */
export const T = {
    keys: "kms-observability:aws:KmsKeys",
    governance: "kms-observability:aws:KeyGovernance",
    alerts: "kms-observability:aws:KeyEventAlerts",
    key: "aws:kms/key:Key",
    alias: "aws:kms/alias:Alias",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    topic: "aws:sns/topic:Topic",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    rule: "aws:cloudwatch/eventRule:EventRule",
    target: "aws:cloudwatch/eventTarget:EventTarget",
    filter: "aws:cloudwatch/logMetricFilter:LogMetricFilter",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
};

/** The `aws` stack outputs. */
export interface AwsOutputs {
    keyArns: Record<string, string>;
    aliases: Record<string, string>;
    roleArns: { admin: string; emergency: string; recovery: string };
    topicArns: { "kms-critical": string; "kms-security": string };
    topicKeyArn: string;
    keyMapping: KeyMapping;
}
export const awsOut = (run: StackRun): AwsOutputs => run.outputs.aws as AwsOutputs;

/** Resources of `type` registered directly under the one component of type `parentType`. */
export const under = (run: StackRun, type: string, parentType: string) => {
    const parent = run.one(parentType).urn;
    return run.ofType(type).filter((r) => r.parent === parent);
};
