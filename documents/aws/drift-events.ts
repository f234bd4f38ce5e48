import { ArnContext, PolicyDocument, policyDocument, regionalArn } from "./document";

/**
 * How a drift report reaches `kms-security`: the scheduled drift workflow puts one custom event on
 * the account's default EventBridge bus; a rule of KeyEventAlerts matches exactly that source and
 * detail type and forwards the event's `detail` (an AWS Chatbot custom notification, rendered by
 * tools/drift/render.ts) to the kms-security topic, the way the key-event detections reach it. The
 * topic policy keeps admitting rules only: nobody gets `sns:Publish` on an alert topic.
 */

/** `Source` of the drift event; the notifier's IAM condition lets it put no other source. */
export const DRIFT_EVENT_SOURCE = "kms-observability.drift";
/** `DetailType` of the drift event. */
export const DRIFT_DETAIL_TYPE = "Drift detected";
/** The rule's id (name suffix, runbook anchor). */
export const DRIFT_RULE_ID = "drift-detected";

/** The rule's name in a stack: `<prefix>-kms-drift-detected`. */
export const driftRuleName = (prefix: string): string => `${prefix}-kms-${DRIFT_RULE_ID}`;

/** The event pattern: only drift events (source and detail type both pinned). */
export const driftEventPattern = (): Record<string, string[]> => ({ "source": [DRIFT_EVENT_SOURCE], "detail-type": [DRIFT_DETAIL_TYPE] });

/**
 * The drift notifier's only permission: PutEvents on the default bus, for the drift source and
 * detail type only (`events:source` / `events:detail-type` condition keys on PutEvents:
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-conditions.html).
 */
export function driftNotifyPolicy(ctx: ArnContext): PolicyDocument {
    return policyDocument({
        Sid: "PutDriftEventsOnly",
        Effect: "Allow",
        Action: ["events:PutEvents"],
        Resource: regionalArn(ctx, "events", "event-bus/default"),
        Condition: { StringEquals: { "events:source": [DRIFT_EVENT_SOURCE], "events:detail-type": [DRIFT_DETAIL_TYPE] } },
    });
}
