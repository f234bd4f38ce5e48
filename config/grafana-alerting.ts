import { z } from "zod";
import { ROUTED_SEVERITIES } from "../shared/severity";

/**
 * `kms-observability:grafanaAlerting` — the Grafana alerting mirror: contact points, the notification
 * policy tree and a message template rendered from the same routing model as Alertmanager, plus a
 * mute timing for maintenance windows (a Grafana-side feature: Alertmanager's routes are unchanged).
 */

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december"];

/** `x` or `x:y` where each side passes `one`. */
const rangeOf = (one: (s: string) => boolean) => (s: string) => {
    const parts = s.split(":");
    return parts.length <= 2 && parts.every(one);
};
const isDayOfMonth = (s: string) => /^-?\d{1,2}$/.test(s) && Math.abs(Number(s)) >= 1 && Math.abs(Number(s)) <= 31;
const isMonth = (s: string) => MONTHS.includes(s) || (/^\d{1,2}$/.test(s) && Number(s) >= 1 && Number(s) <= 12);

/** Minutes since midnight of `HH:MM` (24:00 allowed as an end). */
export function clockMinutes(hhmm: string): number {
    const [h, m] = hhmm.split(":").map(Number);
    return h * 60 + m;
}

const clock = () => z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { error: "must be a time of day HH:MM (00:00-24:00)" });

const isTimeZone = (tz: string) => {
    try {
        new Intl.DateTimeFormat("en-US", { timeZone: tz });
        return true;
    } catch {
        return false;
    }
};

/** One recurring window, Alertmanager `time_intervals` semantics (all given fields must match). */
const maintenanceWindow = z.object({
    /** `monday` or a range `monday:friday`. Omitted: every day. */
    weekdays: z.array(z.string().refine(rangeOf((d) => WEEKDAYS.includes(d)), {
        error: `must be a lower-case weekday (${WEEKDAYS.join(", ")}) or a range like monday:friday`,
    })).optional(),
    /** Days of the month, `1`, `1:7`, `-1` (last day). Omitted: every day. */
    daysOfMonth: z.array(z.string().refine(rangeOf(isDayOfMonth), {
        error: "must be a day of the month 1..31 (or -1..-31 from the end) or a range like 1:7",
    })).optional(),
    /** `january`, `1` or a range `1:3`. Omitted: every month. */
    months: z.array(z.string().refine(rangeOf(isMonth), {
        error: "must be a month (january..december or 1..12) or a range like 1:3",
    })).optional(),
    /** Times of day; omitted: the whole day. */
    times: z.array(z.object({ start: clock(), end: clock() }).strict().refine((t) => clockMinutes(t.start) < clockMinutes(t.end), {
        error: "start must be before end (a window crossing midnight is two entries)",
    })).optional(),
}).strict();

export const grafanaAlertingSection = z.object({
    /** Provision the Grafana alerting mirror. Default false. */
    enabled: z.boolean().default(false),
    /** Name of the message template group the contact points use. Default `kms-observability`. */
    templateName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/, {
        error: "must be 1-64 letters, digits, spaces, '_', '.' or '-'",
    }).default("kms-observability"),
    /** Maintenance mute timing; required when enabled. */
    maintenance: z.object({
        /** Mute timing name, referenced by the notification policies. Default `kms-maintenance`. */
        name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/, {
            error: "must be 1-64 letters, digits, spaces, '_', '.' or '-'",
        }).default("kms-maintenance"),
        /** IANA time zone the windows are written in. Default `UTC`. */
        location: z.string().refine(isTimeZone, { error: "must be an IANA time zone like UTC or Europe/Berlin" }).default("UTC"),
        /** The recurring windows (at least one). */
        windows: z.array(maintenanceWindow).min(1, { error: "must list at least one maintenance window" }),
        /**
         * Severities whose notifications are muted during the windows. Default warning and info:
         * critical pages still go out, and the Watchdog heartbeat is never muted.
         */
        mutedSeverities: z.array(z.enum(ROUTED_SEVERITIES, {
            error: `must be one of ${ROUTED_SEVERITIES.join(", ")}`,
        })).default(["warning", "info"]),
    }).strict().optional(),
}).strict().superRefine((s, ctx) => {
    if (s.enabled && !s.maintenance) {
        ctx.addIssue({
            code: "custom", path: ["maintenance"], input: undefined,
            message: "must describe the maintenance mute timing (name, location, windows) when grafanaAlerting.enabled is true",
        });
    }
}).prefault({});

export type GrafanaAlertingSettings = z.infer<typeof grafanaAlertingSection>;
