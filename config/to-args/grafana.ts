import * as pulumi from "@pulumi/pulumi";
import type { AuditInputs, KmsDashboardsArgs } from "../../components/grafana/dashboards";
import { Settings } from "../schema";

/** KmsDashboards' Args: `grafana`, the AMP query endpoint and the audit data. */

/** The dashboards folder: Prometheus through AMP when it is enabled, the audit data of KmsAuditLogging. */
export function dashboardsArgs(settings: Settings, ampQueryEndpoint: pulumi.Input<string> | undefined, audit: Omit<AuditInputs, "project" | "location">): KmsDashboardsArgs {
    const { grafana } = settings;
    return {
        folder: grafana.folder,
        permissions: grafana.permissions,
        dashboardInput: { dashboards: grafana.dashboards, prometheus: grafana.prometheus, cloudWatch: grafana.cloudWatch, audit: grafana.audit },
        awsRegion: settings.providers["aws:region"],
        ampQueryEndpoint,
        audit: { ...audit, project: settings.providers["gcp:project"], location: settings.gcp.dataset.location },
        auditServiceAccountKey: settings.grafanaAuditServiceAccountKey?.output(),
    };
}
