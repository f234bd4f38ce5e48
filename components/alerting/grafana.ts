import * as pulumi from "@pulumi/pulumi";
import * as alerting from "@pulumiverse/grafana/alerting";
import { CredentialKey, RoutingModel } from "../../alerts/routing";
import { MaintenanceWindows, grafanaContactPoints, grafanaMessageTemplate, grafanaMuteIntervals, grafanaPolicyTree } from "../../alerts/render-grafana";
import { RoutedSeverity } from "../../shared/severity";

export interface GrafanaAlertingMirrorArgs {
    /** The routing model (receivers, route tree) to mirror. Its inhibit rules have no Grafana equivalent. */
    readonly routing: RoutingModel;
    /** Name of the message template group. */
    readonly templateName: string;
    /** The maintenance mute timing: its name, time zone and windows, and the severities it mutes. */
    readonly maintenance: GrafanaMaintenanceArgs;
    /**
     * Credentials from config secrets (secret Outputs), by config key: every key a receiver's
     * integration names is required (each Slack channel its own webhook; PagerDuty when enabled).
     */
    readonly secrets: Readonly<Partial<Record<GrafanaCredentialKey, pulumi.Input<string>>>>;
}

/** A maintenance mute timing as the renderers take it (grafanaMuteIntervals, grafanaPolicyTree). */
export interface GrafanaMaintenanceArgs extends MaintenanceWindows {
    /** Name of the MuteTiming in Grafana. */
    readonly name: string;
    /** The severities whose routes the timing mutes (grafanaPolicyTree). */
    readonly mutedSeverities: readonly RoutedSeverity[];
}

/** The config secrets contact points can use (Grafana's SMTP password is server config, not a contact point's). */
export type GrafanaCredentialKey = Exclude<CredentialKey, "smtpAuthPassword">;

/**
 * Grafana alerting mirror of the Alertmanager routing: one contact point per receiver, the
 * notification policy tree with the same matchers, grouping and timings, the message template, and
 * a maintenance mute timing. The NotificationPolicy resource owns Grafana's WHOLE policy tree:
 * policies added by hand in the UI are overwritten on the next `pulumi up`.
 */
export class GrafanaAlertingMirror extends pulumi.ComponentResource {
    /** Contact point names, one per receiver. */
    public readonly contactPoints: pulumi.Output<string[]>;
    public readonly muteTiming: pulumi.Output<string>;
    public readonly templateName: pulumi.Output<string>;

    constructor(name: string, args: GrafanaAlertingMirrorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kms-observability:alerting:GrafanaAlertingMirror", name, {}, opts);
        const { routing, maintenance } = args;

        const template = new alerting.MessageTemplate(`${name}-template`, {
            name: args.templateName, template: grafanaMessageTemplate(args.templateName),
        }, { parent: this });
        const mute = new alerting.MuteTiming(`${name}-maintenance`, {
            name: maintenance.name, intervals: grafanaMuteIntervals(maintenance),
        }, { parent: this });

        const secret = (key: GrafanaCredentialKey): pulumi.Input<string> => {
            const v = args.secrets[key];
            if (v === undefined) throw new pulumi.ResourceError(`a receiver uses ${key} but no such secret was given`, this);
            return v;
        };
        const points = grafanaContactPoints(routing, args.templateName).map((cp) => new alerting.ContactPoint(`${name}-${cp.name}`, {
            name: cp.name,
            slacks: cp.slacks.map(({ credential, ...s }) => ({ ...s, url: secret(credential) })),
            emails: cp.emails,
            pagerduties: cp.pagerduties.map(({ credential, ...p }) => ({ ...p, integrationKey: secret(credential) })),
        }, { parent: this, dependsOn: [template] }));

        const tree = grafanaPolicyTree(routing, { muteTiming: maintenance.name, severities: maintenance.mutedSeverities });
        new alerting.NotificationPolicy(`${name}-policy`, {
            contactPoint: tree.contactPoint,
            groupBies: tree.groupBies,
            groupWait: tree.groupWait,
            groupInterval: tree.groupInterval,
            repeatInterval: tree.repeatInterval,
            policies: tree.policies,
        }, { parent: this, dependsOn: [...points, mute] });

        this.contactPoints = pulumi.all(points.map((p) => p.name));
        this.muteTiming = mute.name;
        this.templateName = template.name;
        this.registerOutputs({ contactPoints: this.contactPoints, muteTiming: this.muteTiming, templateName: this.templateName });
    }
}
