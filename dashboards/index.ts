import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { AUDIT_UID, auditDashboard } from "./kms-audit";
import { CRYPTO_HEALTH_UID, cryptoHealthDashboard } from "./kms-crypto-health";
import { OPERATIONS_UID, operationsDashboard } from "./kms-operations";
import { KEY_USAGE_UID, keyUsageDashboard } from "./kms-key-usage";
import { DashboardOptions } from "./options";

export { AUDIT_PANELS, AUDIT_UID } from "./kms-audit";
export { CRYPTO_HEALTH_PANELS, CRYPTO_HEALTH_UID } from "./kms-crypto-health";
export { OPERATIONS_PANELS, OPERATIONS_UID } from "./kms-operations";
export { KEY_USAGE_PANELS, KEY_USAGE_UID } from "./kms-key-usage";
export type { DashboardOptions } from "./options";

/** One dashboard of the KMS folder: its uid and how to build its model. */
export interface DashboardEntry {
    readonly uid: string;
    readonly build: (o: DashboardOptions) => dashboard.Dashboard;
}

/** Every KMS dashboard, in folder order. The uids are part of the contract (links, bookmarks, alerts). */
export const DASHBOARDS: readonly DashboardEntry[] = [
    { uid: CRYPTO_HEALTH_UID, build: cryptoHealthDashboard },
    { uid: OPERATIONS_UID, build: operationsDashboard },
    { uid: KEY_USAGE_UID, build: (o) => keyUsageDashboard(o.keyUsage) },
    { uid: AUDIT_UID, build: (o) => auditDashboard(o.audit) },
];

/** A built dashboard model and the JSON Grafana is given (also the file `grafana/dashboards/<uid>.json`). */
export interface RenderedDashboard {
    readonly uid: string;
    readonly model: dashboard.Dashboard;
    readonly json: string;
}

/** Builds every dashboard; the JSON is byte-stable for the same options. */
export function renderDashboards(o: DashboardOptions): RenderedDashboard[] {
    return DASHBOARDS.map((d) => {
        const model = d.build(o);
        if (model.uid !== d.uid) throw new Error(`dashboard ${d.uid} built with uid ${model.uid}`);
        return { uid: d.uid, model, json: JSON.stringify(model, null, 2) + "\n" };
    });
}
