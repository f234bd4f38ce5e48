import { BASIC_ROLE_CEILING } from "../shared/limits";
import { PolicyResource, Rule, SECRET, resourceRule } from "./rule";
import { asArray, asObject, parseJsonObject, show } from "./values";

export const GRAFANA_DASHBOARD = "grafana:oss/dashboard:Dashboard";
export const GRAFANA_FOLDER = "grafana:oss/folder:Folder";
export const GRAFANA_CONTACT_POINT = "grafana:alerting/contactPoint:ContactPoint";
export const GRAFANA_DATA_SOURCE = "grafana:oss/dataSource:DataSource";
export const GRAFANA_FOLDER_PERMISSION = "grafana:oss/folderPermission:FolderPermission";


/** Grafana's uid format: up to 40 letters, digits, `-` or `_`. */
const UID = /^[A-Za-z0-9_-]{1,40}$/;
/** Contact point fields that are credentials: webhook URLs of chat tools embed their token. */
const CREDENTIAL_FIELDS: Record<string, readonly string[]> = {
    slacks: ["url", "token"],
    teams: ["url"],
    googlechats: ["url"],
    discords: ["url"],
    pagerduties: ["integrationKey"],
    opsgenies: ["apiKey"],
    telegrams: ["token"],
    webhooks: ["authorizationCredentials", "basicAuthPassword"],
    sns: ["secretKey"],
};
/** jsonData keys that hold credentials; Grafana stores those encrypted only under secureJsonData. */
const SECRET_JSON_KEY = /^(password|basicAuthPassword|privateKey|secretKey|accessKey|apiKey|token|clientSecret|sigV4AccessKey|sigV4SecretKey|httpHeaderValue\d+)$/i;

/** Every panel of a dashboard model, including those nested in collapsed rows. */
function panelsOf(model: Record<string, unknown>): Record<string, unknown>[] {
    return asArray(model.panels).map(asObject).flatMap((p) => [p, ...asArray(p.panels).map(asObject)]);
}

/** The integrations of a contact point: [list name, index, settings] for every configured receiver. */
function integrations(r: PolicyResource): [string, number, Record<string, unknown>][] {
    return Object.entries(r.props).filter(([, v]) => Array.isArray(v))
        .flatMap(([kind, v]) => (v as unknown[]).map((x, i): [string, number, Record<string, unknown>] => [kind, i, asObject(x)]));
}

export const grafanaRules: Rule[] = [
    resourceRule({
        name: "grafana-dashboard-uid",
        description: "Dashboards carry a stable uid in their model (configJson), so links and alert annotations keep working.",
        types: [GRAFANA_DASHBOARD],
        check: (r) => {
            const model = parseJsonObject(r.props.configJson);
            if (!model) return ["configJson is not a JSON dashboard model"];
            return typeof model.uid === "string" && UID.test(model.uid) ? [] : [`uid = ${show(model.uid)}: set a uid of up to 40 letters, digits, - or _`];
        },
    }),
    resourceRule({
        name: "grafana-dashboard-unique-panel-ids",
        description: "Every panel of a dashboard has an id, unique within the dashboard (links to panels rely on it).",
        types: [GRAFANA_DASHBOARD],
        check: (r) => {
            const model = parseJsonObject(r.props.configJson);
            if (!model) return [];
            const ids = panelsOf(model).map((p) => p.id);
            const missing = ids.filter((id) => typeof id !== "number").length;
            const dupes = [...new Set(ids.filter((id, i) => typeof id === "number" && ids.indexOf(id) !== i))];
            return [
                ...(missing ? [`${missing} panel(s) have no numeric id`] : []),
                ...(dupes.length ? [`panel id(s) ${dupes.join(", ")} used more than once`] : []),
            ];
        },
    }),
    resourceRule({
        name: "grafana-dashboard-in-folder",
        description: "Dashboards live in a managed folder (folder set), whose permissions this stack controls.",
        types: [GRAFANA_DASHBOARD],
        check: (r) => (typeof r.props.folder === "string" && r.props.folder !== "" ? [] : ["the dashboard has no folder: it would land in General, outside the managed permissions"]),
    }),
    resourceRule({
        name: "grafana-folder-uid",
        description: "Folders have an explicit, stable uid.",
        types: [GRAFANA_FOLDER],
        check: (r) => (typeof r.props.uid === "string" && UID.test(r.props.uid) ? [] : [`uid = ${show(r.props.uid)}: set a stable uid`]),
    }),
    resourceRule({
        name: "grafana-contact-point-credentials-secret",
        description: "Contact point credentials (Slack/Teams/Chat/Discord webhook URLs, tokens, PagerDuty keys, webhook passwords) are Pulumi secrets, never plaintext.",
        types: [GRAFANA_CONTACT_POINT],
        requires: ["secrets"],
        check: (r) => integrations(r).flatMap(([kind, i, settings]) => (CREDENTIAL_FIELDS[kind] ?? [])
            .filter((f) => settings[f] !== undefined && settings[f] !== "" && settings[f] !== SECRET)
            .map((f) => `${kind}[${i}].${f} is plaintext: pass it as a secret (config secret → pulumi.secret)`)),
    }),
    resourceRule({
        name: "grafana-contact-point-https",
        description: "Contact point URLs use https, never plain http.",
        types: [GRAFANA_CONTACT_POINT],
        check: (r) => integrations(r).flatMap(([kind, i, settings]) => Object.entries(settings)
            .filter(([k, v]) => /url$/i.test(k) && typeof v === "string" && v.toLowerCase().startsWith("http://"))
            .map(([k]) => `${kind}[${i}].${k} uses plain http`)),
    }),
    resourceRule({
        name: "grafana-folder-permission-role-ceiling",
        description: "Folder permissions give basic roles no more than Grafana's defaults: Viewer at most View, Editor at most Edit (Admin lets them rewrite the permissions).",
        types: [GRAFANA_FOLDER_PERMISSION],
        check: (r) => asArray(r.props.permissions).map(asObject)
            .filter((g) => typeof g.role === "string" && g.role in BASIC_ROLE_CEILING && !BASIC_ROLE_CEILING[g.role].includes(String(g.permission)))
            .map((g) => `grants ${show(g.permission)} to every ${g.role}: the ${g.role} role may get at most ${BASIC_ROLE_CEILING[String(g.role)].at(-1)}`),
    }),
    resourceRule({
        name: "grafana-datasource-no-secrets-in-json",
        description: "Data sources keep credentials out of jsonData (readable by every viewer); they belong in secureJsonData.",
        types: [GRAFANA_DATA_SOURCE],
        check: (r) => Object.keys(parseJsonObject(r.props.jsonDataEncoded) ?? {}).filter((k) => SECRET_JSON_KEY.test(k))
            .map((k) => `jsonDataEncoded has ${k}: move it to secureJsonDataEncoded`),
    }),
];
