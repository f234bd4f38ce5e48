import { AccessReport, ActionAccess, CAPABILITIES, Capability, KeyAccess, PrincipalAccess, keyActions } from "./access";

/** Markdown tables of effective key access (`access.md`), one per key. */

const LEGEND =
    "`✅` without MFA · `MFA` only with MFA · `cond.` only under request conditions (encryption context, source ARN, …) · `—` no. " +
    "`ⁱ` through the account's delegation to IAM: only if that principal's own IAM policies allow.";

/** A principal as a reviewer reads it: the role or user name, or the service. */
export function shortPrincipal(p: PrincipalAccess | string): string {
    const arn = typeof p === "string" ? p : p.principal;
    if (typeof p !== "string" && p.kind === "account") return `any other principal of ${arn.split(":")[0]}`;
    const m = /^arn:[^:]+:(?:iam|sts)::(\d{12}):(role|user|assumed-role)\/(.+)$/.exec(arn);
    return m ? `${m[2]} ${m[3]}` : arn;
}

function cellOf(a: ActionAccess | undefined): string {
    if (!a) return "—";
    const iam = a.via === "iam" ? "ⁱ" : "";
    if (a.noMfa === "allow") return `✅${iam}`;
    if (a.mfa === "allow") return `MFA${iam}`;
    return `cond.${iam}`;
}

const esc = (s: string): string => s.replace(/\|/g, "\\|");

function capabilityCell(p: PrincipalAccess, cap: Capability, supported: readonly string[]): string {
    const actions = CAPABILITIES[cap].actions.filter((a) => supported.includes(a));
    if (actions.length === 0) return "n/a";
    const cells = actions.map((a) => cellOf(p.actions[a]));
    if (actions.length === 1) return cells[0];
    const granted = actions.filter((a) => p.actions[a]);
    if (granted.length === 0) return "—";
    const best = cells.find((c) => c.startsWith("✅")) ?? cells.find((c) => c.startsWith("MFA")) ?? cells.find((c) => c !== "—") ?? "—";
    return granted.length === actions.length ? best : `${best} ${granted.map((a) => a.replace("kms:", "")).join(", ")}`;
}

/** One key's table. */
export function keyTable(k: KeyAccess): string {
    const supported = keyActions(k.usage);
    const caps = Object.keys(CAPABILITIES) as Capability[];
    const lines = [
        `### \`${k.key}\`${k.production ? " (production)" : ""}`,
        "",
        `\`${k.arn}\``,
        "",
        `| Principal | Assumed by | ${caps.map((c) => CAPABILITIES[c].label).join(" | ")} |`,
        `|---|---|${caps.map(() => "---").join("|")}|`,
    ];
    for (const p of k.principals) {
        const notes = p.notes.length ? `<br><sub>${esc(p.notes.join("; "))}</sub>` : "";
        lines.push(`| ${esc(shortPrincipal(p))}${notes} | ${esc(p.assumedBy ?? "")} | ${caps.map((c) => capabilityCell(p, c, supported)).join(" | ")} |`);
    }
    if (k.principals.length === 0) lines.push(`| nobody | | ${caps.map(() => "—").join(" | ")} |`);
    return lines.join("\n") + "\n";
}

/** `access.md`: every key's table, with the legend. */
export function renderAccessMarkdown(report: AccessReport): string {
    const parts = [`## Effective key access: ${report.stack}`, "", LEGEND, ""];
    if (report.keys.length === 0) parts.push("No KMS keys in this plan.", "");
    for (const k of report.keys) parts.push(keyTable(k));
    return parts.join("\n");
}
