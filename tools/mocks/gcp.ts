import { CallMock, MockContext, MockResource, ResourceMock, physicalName } from "./context";

/**
 * With `uniqueWriterIdentity`, Cloud Logging writes as the Logging service agent of the sink's parent,
 * shared by every sink of that project, folder or organization (LogSink.writer_identity).
 */
const serviceAgent = (parent: string) => `serviceAccount:service-${parent}@gcp-sa-logging.iam.gserviceaccount.com`;

export const gcpResources: Record<string, ResourceMock> = {
    "gcp:logging/projectSink:ProjectSink": (r, ctx) => ({
        id: `projects/${ctx.gcpProject}/sinks/${physicalName(r)}`,
        state: { writerIdentity: serviceAgent(ctx.gcpProjectNumber) },
    }),
    "gcp:logging/organizationSink:OrganizationSink": (r) => ({
        id: `organizations/${String(r.inputs.orgId)}/sinks/${physicalName(r)}`,
        state: { writerIdentity: serviceAgent(`org-${String(r.inputs.orgId)}`) },
    }),
    "gcp:logging/folderSink:FolderSink": (r) => ({
        id: `folders/${String(r.inputs.folder)}/sinks/${physicalName(r)}`,
        state: { writerIdentity: serviceAgent(`folder-${String(r.inputs.folder).replace(/^folders\//, "")}`) },
    }),
    "gcp:storage/bucket:Bucket": (r) => ({
        id: physicalName(r),
        state: { url: `gs://${physicalName(r)}`, selfLink: `https://www.googleapis.com/storage/v1/b/${physicalName(r)}` },
    }),
    "gcp:bigquery/dataset:Dataset": (r, ctx) => {
        const project = String(r.inputs.project ?? ctx.gcpProject);
        return {
            id: `projects/${project}/datasets/${String(r.inputs.datasetId)}`,
            state: { project, selfLink: `https://bigquery.googleapis.com/bigquery/v2/projects/${project}/datasets/${String(r.inputs.datasetId)}` },
        };
    },
    "gcp:logging/metric:Metric": (r, ctx) => ({ id: `projects/${ctx.gcpProject}/metrics/${physicalName(r)}`, state: {} }),
    // Workload identity pools and providers are named by project number (what google-github-actions/auth takes).
    "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": (r, ctx) => {
        const n = `projects/${ctx.gcpProjectNumber}/locations/global/workloadIdentityPools/${String(r.inputs.workloadIdentityPoolId)}`;
        return { id: n, state: { name: n, state: "ACTIVE" } };
    },
    "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": (r, ctx) => {
        const n = `projects/${ctx.gcpProjectNumber}/locations/global/workloadIdentityPools/${String(r.inputs.workloadIdentityPoolId)}/providers/${String(r.inputs.workloadIdentityPoolProviderId)}`;
        return { id: n, state: { name: n, state: "ACTIVE" } };
    },
    "gcp:projects/iAMCustomRole:IAMCustomRole": (r, ctx) => {
        const n = `projects/${String(r.inputs.project ?? ctx.gcpProject)}/roles/${String(r.inputs.roleId)}`;
        return { id: n, state: { name: n } };
    },
    "gcp:serviceaccount/account:Account": (r, ctx) => {
        const project = String(r.inputs.project ?? ctx.gcpProject);
        const email = `${String(r.inputs.accountId)}@${project}.iam.gserviceaccount.com`;
        return { id: `projects/${project}/serviceAccounts/${email}`, state: { email, name: `projects/${project}/serviceAccounts/${email}`, member: `serviceAccount:${email}` } };
    },
};

export function genericGcp(r: MockResource, ctx: MockContext) {
    return { id: `projects/${ctx.gcpProject}/${r.type.split(":")[2] ?? "resource"}/${physicalName(r)}`, state: {} };
}

export const gcpCalls: Record<string, CallMock> = {
    "gcp:organizations/getProject:getProject": (_a, ctx) => ({
        projectId: ctx.gcpProject, number: ctx.gcpProjectNumber, id: `projects/${ctx.gcpProject}`, name: ctx.gcpProject,
    }),
    // Service agents that encrypt with a CMEK key (the names Google gives them, from the project number).
    "gcp:storage/getProjectServiceAccount:getProjectServiceAccount": (a, ctx) => {
        const email = `service-${ctx.gcpProjectNumber}@gs-project-accounts.iam.gserviceaccount.com`;
        return { emailAddress: email, member: `serviceAccount:${email}`, project: String(a.project ?? ctx.gcpProject), id: email };
    },
    "gcp:bigquery/getDefaultServiceAccount:getDefaultServiceAccount": (a, ctx) => {
        const email = `bq-${ctx.gcpProjectNumber}@bigquery-encryption.iam.gserviceaccount.com`;
        return { email, member: `serviceAccount:${email}`, project: String(a.project ?? ctx.gcpProject), id: email };
    },
};
