import * as pulumi from "@pulumi/pulumi";
import { RoutingModel } from "../../alerts/routing";
import { ManagedPrometheus, ManagedPrometheusArgs } from "./amp";
import { GrafanaAlertingMirror, GrafanaAlertingMirrorArgs } from "./grafana";

export interface AlertingArgs {
    /** The one routing model (receivers, route tree, inhibitions) both deliveries render. */
    readonly routing: RoutingModel;
    /** Amazon Managed Service for Prometheus (everything but the routing). Default: no AMP workspace. */
    readonly amp?: Omit<ManagedPrometheusArgs, "routing">;
    /** The Grafana alerting mirror (everything but the routing). Default: no mirror. */
    readonly grafana?: Omit<GrafanaAlertingMirrorArgs, "routing">;
}

/** Stack outputs of the alerting component; a section is absent when that delivery is not configured. */
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
 * The alert deliveries rendered from one routing model: the AMP workspace (`<name>-amp`) and the
 * Grafana alerting mirror (`<name>-grafana`), each present when its args are given.
 *
 * Both children were created at the stack's root before this component existed (a plain function
 * composed them). Each carries an alias to that root URN, so an existing stack sees a move, not a
 * delete and a create. Pulumi's engine matches a resource to the old state by its URN or by any of
 * its aliases; an alias given as a spec ({ parent }) is the resource's own name, type, project and
 * stack with that parent, and the children of an aliased component inherit aliases built from the
 * parent's (https://www.pulumi.com/docs/iac/concepts/options/aliases/).
 */
export class Alerting extends pulumi.ComponentResource {
    /** The AMP workspace, when configured. */
    public readonly amp?: ManagedPrometheus;
    /** The Grafana mirror, when configured. */
    public readonly grafana?: GrafanaAlertingMirror;
    /** The stack outputs of both deliveries. */
    public readonly outputs: AlertingOutputs;

    constructor(name: string, args: AlertingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kms-observability:alerting:Alerting", name, {}, opts);
        const moved = { parent: this, aliases: [{ parent: pulumi.rootStackResource }] };
        this.amp = args.amp ? new ManagedPrometheus(`${name}-amp`, { ...args.amp, routing: args.routing }, moved) : undefined;
        this.grafana = args.grafana ? new GrafanaAlertingMirror(`${name}-grafana`, { ...args.grafana, routing: args.routing }, moved) : undefined;
        const { amp, grafana } = this;
        this.outputs = {
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
        this.registerOutputs({ ...this.outputs });
    }
}
