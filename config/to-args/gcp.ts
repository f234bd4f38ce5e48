import type { KmsAuditLoggingArgs } from "../../components/gcp/kms-audit-logging";
import { Settings } from "../schema";

/** KmsAuditLogging's Args: `gcp` and `gcp:project`. */

/** Cloud KMS audit logging in `gcp:project`, labelled with the stack's labels plus `gcp.labels`. */
export function kmsAuditLoggingArgs(settings: Settings): KmsAuditLoggingArgs {
    const { gcp } = settings;
    return {
        project: settings.providers["gcp:project"],
        dataset: gcp.dataset,
        bucket: gcp.bucket,
        extraAuditedServices: gcp.extraAuditedServices,
        organizationId: gcp.organizationId,
        folderId: gcp.folderId,
        labels: { ...settings.labels, ...gcp.labels },
        protectStateful: settings.protectStateful,
    };
}
