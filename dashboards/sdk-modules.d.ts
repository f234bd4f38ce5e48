/*
 * The foundation SDK publishes its modules only through package.json "exports"
 * (`@grafana/grafana-foundation-sdk/dashboard`, ...), which Node resolves at run time but the
 * type checker does not: tsconfig's `moduleResolution: node` (node10) ignores "exports". These
 * declarations point the checker at the very files Node loads (dist/<module>/index.d.ts).
 */
declare module "@grafana/grafana-foundation-sdk/bargauge" { export * from "@grafana/grafana-foundation-sdk/dist/bargauge"; }
declare module "@grafana/grafana-foundation-sdk/bigquery" { export * from "@grafana/grafana-foundation-sdk/dist/bigquery"; }
declare module "@grafana/grafana-foundation-sdk/cloudwatch" { export * from "@grafana/grafana-foundation-sdk/dist/cloudwatch"; }
declare module "@grafana/grafana-foundation-sdk/cog" { export * from "@grafana/grafana-foundation-sdk/dist/cog"; }
declare module "@grafana/grafana-foundation-sdk/common" { export * from "@grafana/grafana-foundation-sdk/dist/common"; }
declare module "@grafana/grafana-foundation-sdk/dashboard" { export * from "@grafana/grafana-foundation-sdk/dist/dashboard"; }
declare module "@grafana/grafana-foundation-sdk/googlecloudmonitoring" { export * from "@grafana/grafana-foundation-sdk/dist/googlecloudmonitoring"; }
declare module "@grafana/grafana-foundation-sdk/prometheus" { export * from "@grafana/grafana-foundation-sdk/dist/prometheus"; }
declare module "@grafana/grafana-foundation-sdk/stat" { export * from "@grafana/grafana-foundation-sdk/dist/stat"; }
declare module "@grafana/grafana-foundation-sdk/statetimeline" { export * from "@grafana/grafana-foundation-sdk/dist/statetimeline"; }
declare module "@grafana/grafana-foundation-sdk/table" { export * from "@grafana/grafana-foundation-sdk/dist/table"; }
declare module "@grafana/grafana-foundation-sdk/timeseries" { export * from "@grafana/grafana-foundation-sdk/dist/timeseries"; }
