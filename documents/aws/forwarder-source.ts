/**
 * The Lambda function that carries SNS notifications to an HTTPS endpoint SNS itself cannot feed,
 * as source text (the function's `index.js`; Node.js 22 runtime, global `fetch`, no dependencies).
 * The tests run this very text against a server on 127.0.0.1.
 *
 * Why a function and not an SNS `https`/`email` subscription:
 * - SNS email and HTTP(S) subscriptions stay "PendingConfirmation" until someone confirms the link
 *   SNS sends, and "Amazon SNS ... automatically removes the unconfirmed subscription" after 48 hours
 *   (https://aws.amazon.com/about-aws/whats-new/2023/05/amazon-sns-automatic-deletion-unconfirmed-subscriptions/;
 *   https://docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.confirm.html). A dead man's switch
 *   mailbox (healthchecks.io) never clicks it, so the Watchdog never arrives. A Lambda subscription
 *   in the topic's account needs no confirmation; SNS invokes the function asynchronously and Lambda
 *   retries a failed invocation (https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html).
 * - PagerDuty's "Amazon CloudWatch" integration endpoint (which auto-confirms SNS) only turns
 *   CloudWatch alarm messages into incidents; AMP's and EventBridge's notifications are not alarms.
 *   The Events API v2 takes any event: POST https://events.pagerduty.com/v2/enqueue with
 *   `routing_key`, `event_action` (trigger/resolve), `dedup_key` (≤ 255 chars) and a payload with
 *   `summary` (≤ 1024 chars), `source`, `severity`
 *   (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/, PagerDuty/developer-docs
 *   docs/events-API-v2/02-Trigger-Events.md).
 * - healthchecks.io counts any HEAD, GET or POST to the check's ping URL as a ping, and keeps the
 *   POST body in the check's log (https://healthchecks.io/docs/http_api/).
 *
 * Environment: MODE (`heartbeat` | `pagerduty`), TARGET_URL (the ping URL, or the Events API URL),
 * ROUTING_KEY (pagerduty only). A non-2xx answer throws, so Lambda's asynchronous retries (SNS
 * invokes asynchronously) try again.
 */
export const FORWARDER_SOURCE = String.raw`"use strict";
const MAX_SUMMARY = 1024;
const MAX_DEDUP = 255;

function parse(message) {
    try { const v = JSON.parse(message); return v && typeof v === "object" ? v : undefined; } catch { return undefined; }
}

// One SNS record -> one PagerDuty event, or undefined to skip. Three message shapes reach the topics:
// AWS Chatbot custom notifications (AMP's chatbot template, the EventBridge detections), CloudWatch
// alarm state changes, and AMP's plain-text template (the subject carries [FIRING:n] / [RESOLVED:n]).
function pagerdutyEvent(sns, routingKey) {
    const body = parse(sns.Message);
    let summary, dedup, action;
    if (body && body.content && typeof body.content.title === "string") {
        summary = body.content.title;
        dedup = (body.metadata && body.metadata.threadId) || summary;
        action = /\[RESOLVED:\d+\]/.test(summary) ? "resolve" : "trigger";
    } else if (body && typeof body.AlarmName === "string") {
        if (body.NewStateValue === "INSUFFICIENT_DATA") return undefined;
        summary = body.AlarmName + ": " + (body.NewStateReason || body.NewStateValue);
        dedup = body.AlarmName;
        action = body.NewStateValue === "OK" ? "resolve" : "trigger";
    } else {
        const subject = sns.Subject || String(sns.Message).split("\n")[0];
        summary = subject;
        dedup = subject.replace(/^\[[A-Z]+:\d+\]\s*/, "");
        action = /^\[RESOLVED:\d+\]/.test(subject) ? "resolve" : "trigger";
    }
    return {
        routing_key: routingKey,
        event_action: action,
        dedup_key: String(dedup).slice(0, MAX_DEDUP),
        payload: {
            summary: String(summary).slice(0, MAX_SUMMARY),
            source: sns.TopicArn,
            severity: "critical",
            custom_details: { message: sns.Message, subject: sns.Subject || null, messageId: sns.MessageId },
        },
    };
}

async function post(url, body, contentType) {
    const res = await fetch(url, { method: "POST", headers: { "content-type": contentType }, body, signal: AbortSignal.timeout(10000) });
    if (res.status < 200 || res.status > 299) throw new Error("POST answered " + res.status + " " + (await res.text()).slice(0, 200));
}

exports.pagerdutyEvent = pagerdutyEvent;
exports.handler = async (event) => {
    const mode = process.env.MODE;
    const url = process.env.TARGET_URL;
    if (!url || (mode !== "heartbeat" && mode !== "pagerduty")) throw new Error("MODE and TARGET_URL must be set");
    for (const record of (event && event.Records) || []) {
        const sns = record.Sns;
        if (mode === "heartbeat") {
            await post(url, String(sns.Subject || "") + "\n" + String(sns.Message || ""), "text/plain; charset=utf-8");
            continue;
        }
        const pd = pagerdutyEvent(sns, process.env.ROUTING_KEY);
        if (pd) await post(url, JSON.stringify(pd), "application/json");
    }
};
`;

/** The Events API v2 endpoint (not secret: the routing key in the body is). */
export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";
