/**
 * Which CloudTrail management events are read-only, and so which state an EventBridge rule needs to
 * receive them (pure data + one function; the detections and a test over every planned rule use it).
 *
 * EventBridge, "Receiving read-only management events from AWS services":
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail-management.html
 * — a rule in state `ENABLED` matches events "except for read-only AWS management events delivered
 * through CloudTrail"; only `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS` receives those, and the
 * page's own example is a rule on STS `AssumeRole`. Read-only events outside the Describe/Get/List
 * naming convention are listed in "AWS service generated management events in EventBridge":
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-management-event-list.html
 * The `readOnly` field of a CloudTrail record says the same per event:
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */

/** The rule states that deliver events (DISABLED is refused by the policy pack). */
export type RuleState = "ENABLED" | "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";

/** `true` read-only, `false` write, `"unknown"`: not documented either way, so treated as read-only. */
export type ReadOnly = boolean | "unknown";

/** Event source → event name → read-only? Every event a detection names must be classified here. */
export const CLOUDTRAIL_READ_ONLY: Readonly<Record<string, Readonly<Record<string, ReadOnly>>>> = {
    "kms.amazonaws.com": {
        // Key-state and policy changes: write events (CloudTrail records readOnly: false).
        CancelKeyDeletion: false,
        CreateAlias: false,
        DeleteAlias: false,
        DisableKey: false,
        DisableKeyRotation: false,
        EnableKeyRotation: false,
        PutKeyPolicy: false,
        RotateKeyOnDemand: false,
        ScheduleKeyDeletion: false,
        UpdateAlias: false,
    },
    "sts.amazonaws.com": {
        // The EventBridge guide's example of a read-only event that needs the ALL state.
        AssumeRole: true,
    },
    "signin.amazonaws.com": {
        // Console sign-in events ("AWS Console Sign In via CloudTrail"): AWS does not say whether
        // EventBridge counts SwitchRole as read-only, so the rule takes the state that receives both.
        // https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-signin.html
        SwitchRole: "unknown",
    },
};

/**
 * The state a rule needs for the CloudTrail events its pattern names. A pattern without event
 * names matches every event of its sources, read-only ones included (Describe*, Get*, List*).
 * Throws for an event nobody classified: a new detection must be added to the table first.
 */
export function requiredRuleState(eventSources: readonly string[], eventNames: readonly string[]): RuleState {
    if (eventNames.length === 0) return "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";
    const classes = eventSources.flatMap((src) => eventNames.map((name) => {
        const c = CLOUDTRAIL_READ_ONLY[src]?.[name];
        if (c === undefined) throw new Error(`${src} ${name} is not classified in CLOUDTRAIL_READ_ONLY (documents/aws/readonly-events.ts)`);
        return c;
    }));
    if (classes.length === 0) throw new Error("requiredRuleState: a CloudTrail pattern names no eventSource");
    return classes.every((c) => c === false) ? "ENABLED" : "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";
}

/**
 * For rules the program did not write (the policy pack checks every rule of a stack): the table's
 * answer, else the naming convention (Describe*, Get*, List* are read-only), else `"unknown"`.
 */
export function readOnlyByConvention(eventSource: string, eventName: string): ReadOnly {
    const known = CLOUDTRAIL_READ_ONLY[eventSource]?.[eventName];
    if (known !== undefined) return known;
    return /^(Describe|Get|List)/.test(eventName) ? true : "unknown";
}

/** The eventSource and eventName lists of an EventBridge pattern over CloudTrail events. */
export function cloudTrailPatternEvents(pattern: Record<string, unknown>): { eventSources: string[]; eventNames: string[] } {
    const detail = (pattern.detail ?? {}) as Record<string, unknown>;
    const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
    return { eventSources: strings(detail.eventSource), eventNames: strings(detail.eventName) };
}
