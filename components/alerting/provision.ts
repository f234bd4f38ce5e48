import * as pulumi from "@pulumi/pulumi";
import { alertLinks } from "../../alerts/artifacts";
import { RoutingModel, buildRouting } from "../../alerts/routing";
import { Settings } from "../../config/schema";
import { arnContext } from "../../documents/aws/document";
import { ManagedPrometheus, ManagedPrometheusArgs } from "./amp";
import { GrafanaAlertingMirror, GrafanaCredentialKey } from "./grafana";
import { ampRuleNamespaceData } from "../../alerts/render-amp";

/** Stack outputs of the alerting provisioning; a section is absent when disabled in config. */
export interface AlertingOutputs {
    readonly amp?: {
        readonly workspaceId: pulumi.Output<string>;
        readonly workspaceArn: pulumi.Output<string>;
        readonly remoteWriteUrl: pulumi.Output<string>;
        readonly queryUrl: pulumi.Output<string>;
        readonly writerRoleArn: pulumi.Output<string>;
        readonly topicArns: pulumi.Output<Record<string, string>>;
    };
    readonly grafana?: {
        readonly contactPoints: pulumi.Output<string[]>;
        readonly muteTiming: pulumi.Output<string>;
        readonly templateName: pulumi.Output<string>;
    };
}

/**
 * The config secrets the routing's contact-point integrations name (each Slack channel's webhook,
 * PagerDuty's key): taken by key, so a contact point gets exactly the secret its integration names.
 */
function grafanaCredentials(routing: RoutingModel): GrafanaCredentialKey[] {
    return [...new Set(routing.receivers.flatMap((r) => r.integrations.flatMap((i) => (i.kind === "email" ? [] : [i.credential]))))];
}

/**
 * Builds the AMP workspace and the Grafana mirror that config enables, from the one routing model.
 * `existingTopicArns` are SNS topics another component already owns for some receivers (the AWS KMS
 * governance's `kms-critical` / `kms-security`), so that KMS key events and Prometheus alerts of the
 * same severity reach the same subscribers.
 */
/**
 * Who queries the AMP workspace: `amp.queryPrincipals` and the role Grafana's SigV4 data source
 * assumes (`grafana.prometheus.sigV4.assumeRoleArn`), de-duplicated.
 */
export function ampQueryPrincipals(settings: Pick<Settings, "amp" | "grafana">): string[] {
    const grafanaRole = settings.grafana.prometheus.sigV4.assumeRoleArn;
    return [...new Set([...settings.amp.queryPrincipals, ...(grafanaRole ? [grafanaRole] : [])])].sort();
}

export function provisionAlerting(
    settings: Settings,
    existingTopicArns: Readonly<Record<string, pulumi.Input<string>>> = {},
    keyRoles?: ManagedPrometheusArgs["keyRoles"],
): AlertingOutputs {
    const routing = buildRouting(settings.alerting);
    const { amp: ampCfg, grafanaAlerting: grafanaCfg } = settings;
    if (ampCfg.enabled && !keyRoles) throw new Error("provisionAlerting: AMP needs the key-governance roles (KeyGovernance.roles) for its key");
    const amp = ampCfg.enabled && keyRoles ? new ManagedPrometheus("alerting-amp", {
        ctx: arnContext(settings.providers["aws:region"], settings.aws.accountId),
        workspaceAlias: ampCfg.workspaceAlias,
        ruleNamespace: ampCfg.ruleNamespace,
        rules: ampRuleNamespaceData(alertLinks(settings)),
        routing,
        existingTopicArns,
        namePrefix: settings.aws.namePrefix,
        keyDeployers: settings.aws.deployers,
        writerPrincipals: ampCfg.writerPrincipals,
        keyRoles,
        queryPrincipals: ampQueryPrincipals(settings),
        heartbeatPingUrl: settings.heartbeatPingUrl?.output(),
        pagerdutyRoutingKey: settings.pagerdutyRoutingKey?.output(),
        chatbot: ampCfg.chatbot,
        protectStateful: settings.protectStateful,
        tags: settings.labels,
    }) : undefined;
    // The config layer requires `maintenance` whenever the mirror is enabled.
    const grafana = grafanaCfg.enabled && grafanaCfg.maintenance ? new GrafanaAlertingMirror("alerting-grafana", {
        routing,
        templateName: grafanaCfg.templateName,
        maintenance: grafanaCfg.maintenance,
        secrets: Object.fromEntries(grafanaCredentials(routing).flatMap((k) => {
            const v = settings[k];
            return v ? [[k, v.output()]] : [];
        })),
    }) : undefined;
    return {
        ...(amp ? {
            amp: {
                workspaceId: amp.workspaceId, workspaceArn: amp.workspaceArn, remoteWriteUrl: amp.remoteWriteUrl,
                queryUrl: amp.queryUrl, writerRoleArn: amp.writerRoleArn, topicArns: amp.topicArns,
            },
        } : {}),
        ...(grafana ? {
            grafana: { contactPoints: grafana.contactPoints, muteTiming: grafana.muteTiming, templateName: grafana.templateName },
        } : {}),
    };
}
