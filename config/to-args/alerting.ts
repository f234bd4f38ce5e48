import * as pulumi from "@pulumi/pulumi";
import { alertLinks } from "../../alerts/artifacts";
import { ampRuleNamespaceData } from "../../alerts/render-amp";
import { RoutingModel, buildRouting } from "../../alerts/routing";
import type { AlertingArgs } from "../../components/alerting/alerting";
import type { GrafanaCredentialKey } from "../../components/alerting/grafana";
import type { GovernanceRoleRefs } from "../../components/aws/governance";
import { awsContext } from "./aws";
import { Settings } from "../schema";

/** Alerting's Args: `alerting` (the routing model), `amp`, `grafanaAlerting` and their secrets. */

/**
 * Who queries the AMP workspace: `amp.queryPrincipals` and the role Grafana's SigV4 data source
 * assumes (`grafana.prometheus.sigV4.assumeRoleArn`), de-duplicated.
 */
export function ampQueryPrincipals(settings: Pick<Settings, "amp" | "grafana">): string[] {
    const grafanaRole = settings.grafana.prometheus.sigV4.assumeRoleArn;
    return [...new Set([...settings.amp.queryPrincipals, ...(grafanaRole ? [grafanaRole] : [])])].sort();
}

/**
 * The config secrets the routing's contact-point integrations name (each Slack channel's webhook,
 * PagerDuty's key): taken by key, so a contact point gets exactly the secret its integration names.
 */
function grafanaCredentials(routing: RoutingModel): GrafanaCredentialKey[] {
    return [...new Set(routing.receivers.flatMap((r) => r.integrations.flatMap((i) => (i.kind === "email" ? [] : [i.credential]))))];
}

/**
 * Alerting: AMP when `amp.enabled`, the Grafana mirror when `grafanaAlerting.enabled` (the config
 * layer requires its `maintenance` then). `existingTopicArns` are the KeyGovernance topics AMP reuses
 * for the receivers they stand for, so KMS key events and Prometheus alerts of one severity reach the
 * same subscribers.
 */
export function alertingArgs(
    settings: Settings,
    existingTopicArns: Readonly<Record<string, pulumi.Input<string>>>,
    keyRoles: Pick<GovernanceRoleRefs, "admin" | "recovery">,
): AlertingArgs {
    const routing = buildRouting(settings.alerting);
    const { amp, grafanaAlerting } = settings;
    return {
        routing,
        amp: amp.enabled ? {
            ctx: awsContext(settings),
            workspaceAlias: amp.workspaceAlias,
            ruleNamespace: amp.ruleNamespace,
            rules: ampRuleNamespaceData(alertLinks(settings)),
            existingTopicArns,
            namePrefix: settings.aws.namePrefix,
            keyDeployers: settings.aws.deployers,
            writerPrincipals: amp.writerPrincipals,
            keyRoles,
            queryPrincipals: ampQueryPrincipals(settings),
            heartbeatPingUrl: settings.heartbeatPingUrl?.output(),
            pagerdutyRoutingKey: settings.pagerdutyRoutingKey?.output(),
            chatbot: amp.chatbot,
            protectStateful: settings.protectStateful,
            tags: settings.labels,
        } : undefined,
        grafana: grafanaAlerting.enabled && grafanaAlerting.maintenance ? {
            templateName: grafanaAlerting.templateName,
            maintenance: grafanaAlerting.maintenance,
            secrets: Object.fromEntries(grafanaCredentials(routing).flatMap((k) => {
                const v = settings[k];
                return v ? [[k, v.output()]] : [];
            })),
        } : undefined,
    };
}
