/**
 * The one place validated settings become component Args, one file per plane: index.ts reads config,
 * calls these, and composes the components; no component sees the config schema. Values other
 * components produce (roles, topic ARNs, key ARNs) come in as parameters. `adoptExisting` applies
 * the `adopt` section to the whole program as the `import` resource option. This folder is the
 * "program" layer of test/architecture/imports.ts, with index.ts: only index.ts (and tests) import it.
 */

export { alertingArgs } from "./alerting";
export { emergencyMaterialArgs, keyGovernanceArgs, keyMappingInput, keyUsageAuditArgs, kmsKeysArgs, rotationNoticesArgs } from "./aws";
export { kmsAuditLoggingArgs } from "./gcp";
export { actionsOidcArgs, ciIdentitiesArgs, driftNotifierArgs, environmentProtectionsArgs } from "./github";
export { dashboardsArgs } from "./grafana";
export { adoptExisting } from "./adoption";
