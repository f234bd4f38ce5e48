import { CallMock, ResourceMock, digest, numericId, physicalName } from "./context";

export const grafanaResources: Record<string, ResourceMock> = {
    "grafana:oss/folder:Folder": (r, ctx) => {
        const uid = String(r.inputs.uid ?? physicalName(r));
        return { id: `1:${uid}`, state: { uid, url: `${ctx.grafanaUrl}/dashboards/f/${uid}/` } };
    },
    "grafana:oss/dashboard:Dashboard": (r, ctx) => {
        const model = JSON.parse(String(r.inputs.configJson ?? "{}")) as { uid?: string; title?: string };
        const uid = model.uid ?? physicalName(r);
        const slug = (model.title ?? uid).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
        return { id: `1:${uid}`, state: { uid, dashboardId: 1, url: `${ctx.grafanaUrl}/d/${uid}/${slug}` } };
    },
    "grafana:oss/dataSource:DataSource": (r) => {
        const uid = String(r.inputs.uid ?? physicalName(r));
        return { id: `1:${uid}`, state: { uid } };
    },
};

export const grafanaCalls: Record<string, CallMock> = {
    // A team the stack names exists in the org; its numeric id is derived from its name.
    "grafana:oss/getTeam:getTeam": (args) => {
        const name = String(args.name);
        const teamId = Number(numericId(4, "grafana-team", name));
        return { id: `1:${teamId}`, teamId, teamUid: `team-${digest(name).slice(0, 12)}`, name, orgId: "1", email: "", members: [], admins: [] };
    },
};
