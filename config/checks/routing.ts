import { z } from "zod";
import { buildRouting } from "../../alerts/routing";
import { AlertingSettings } from "../alerting";
import { AmpSettings } from "../amp";
import { GrafanaAlertingSettings } from "../grafana-alerting";

/**
 * Cross-section rules that need the routing model (alerts/routing.ts) besides the settings: they sit
 * above both the section schemas (config/<section>.ts, which import no catalog) and the alert catalog
 * (which imports no config), and config/schema.ts applies them to the whole project schema.
 */

/** The keys `checkAmpChatbot` reads (projectSchema's parsed sections). */
interface AmpChatbotInput {
    readonly amp: AmpSettings;
    readonly alerting: AlertingSettings;
}

/** Cross-section rule: every Chatbot channel must be a Slack channel some receiver posts to. */
export function checkAmpChatbot(s: AmpChatbotInput, ctx: z.core.$RefinementCtx<AmpChatbotInput>): void {
    if (!s.amp.enabled || !s.amp.chatbot) return;
    const used = new Set(buildRouting(s.alerting).receivers.flatMap((r) =>
        r.integrations.flatMap((i) => (i.kind === "slack" ? [i.channel] : []))));
    for (const channel of Object.keys(s.amp.chatbot.channels)) {
        if (used.has(channel)) continue;
        ctx.addIssue({
            code: "custom", path: ["amp", "chatbot", "channels", channel], input: s.amp.chatbot.channels[channel],
            message: `is not a Slack channel of any alert receiver; the alerting config posts to ${[...used].sort().join(", ")}`,
        });
    }
}

/** The keys `checkGrafanaMirror` reads (projectSchema's parsed sections). */
interface GrafanaMirrorInput {
    readonly grafanaAlerting: GrafanaAlertingSettings;
    readonly alerting: AlertingSettings;
}

/**
 * Cross-section rule: Grafana cannot provision a contact point without integrations (its API rejects
 * one), so with the mirror enabled every receiver needs a destination.
 */
export function checkGrafanaMirror(s: GrafanaMirrorInput, ctx: z.core.$RefinementCtx<GrafanaMirrorInput>): void {
    if (!s.grafanaAlerting.enabled) return;
    const empty = buildRouting(s.alerting).receivers.filter((r) => r.integrations.length === 0).map((r) => r.name);
    if (empty.length === 0) return;
    ctx.addIssue({
        code: "custom", path: ["grafanaAlerting", "enabled"], input: true,
        message: `needs a destination for every receiver, but ${empty.join(", ")} ha${empty.length === 1 ? "s" : "ve"} none ` +
            "(Grafana cannot provision an empty contact point): set alerting.heartbeatEmail and alerting.defaultReceiver.slackChannel " +
            "or .email, or disable the Grafana mirror",
    });
}
