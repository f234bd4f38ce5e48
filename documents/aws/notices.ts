import { createHash } from "crypto";
import { KeyMappingEntry, ceksToRewrap, rewrapSummary } from "../../contract/key-mapping";
import { EventPattern } from "./detections";
import { ChatbotNotice, chatbotNotice } from "./chatbot";

/**
 * Rotation notices for the application teams, as data: the EventBridge patterns and the messages.
 *
 * - Encrypt keys: KMS sends "KMS CMK Rotation" (source aws.kms, `resources` = [key ARN],
 *   `detail.key-id`, `detail.rotation-type` AUTOMATIC or ON_DEMAND) whenever it rotates key material,
 *   automatically or on demand, so the kms-rotate workflow's RotateKeyOnDemand is covered by the same
 *   rule (https://docs.aws.amazon.com/kms/latest/developerguide/kms-events.html#kms-events-rotation;
 *   https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-kms.html). Best-effort delivery.
 * - Sign and mac keys: the rotation is the stable alias moving to a new generation, an UpdateAlias
 *   (or CreateAlias) CloudTrail event naming the alias in `requestParameters.aliasName`
 *   (https://docs.aws.amazon.com/kms/latest/developerguide/ct-updatealias.html).
 *
 * Messages are AWS Chatbot custom notifications like the key-event detections (detections.ts), so
 * email subscribers read the title and description and a Chatbot channel can show them too.
 */

export const NOTICE_RUNBOOK = "docs/runbooks/key-lifecycle.md";

/** EventBridge rule and Scheduler schedule names allow 64 characters: long ones keep a stable hash. */
export function boundedName(parts: readonly string[], max = 64): string {
    const full = parts.join("-");
    if (full.length <= max) return full;
    const hash = createHash("sha256").update(full).digest("hex").slice(0, 8);
    return `${full.slice(0, max - hash.length - 1).replace(/-+$/, "")}-${hash}`;
}

/** KMS's own rotation event for one key (automatic and on-demand alike). */
export function rotationEventPattern(keyArn: string): EventPattern {
    return { "source": ["aws.kms"], "detail-type": ["KMS CMK Rotation"], "resources": [keyArn] };
}

/** The stable alias moved (or was created): a generation rotation of a sign or mac key. */
export function aliasMovedPattern(alias: string): EventPattern {
    return {
        "source": ["aws.kms"],
        "detail-type": ["AWS API Call via CloudTrail"],
        "detail": {
            eventSource: ["kms.amazonaws.com"],
            eventName: ["CreateAlias", "UpdateAlias"],
            requestParameters: { aliasName: [alias] },
            errorCode: [{ exists: false }],
        },
    };
}

/** A Chatbot custom notification whose summary is its title. */
const noticeJson = (n: Omit<ChatbotNotice, "summary">): string => chatbotNotice(n);

/** EventBridge substitutes `<name>` anywhere in a template: static text must not look like one. */
const plain = (s: string): string => s.replace(/[<>]/g, "");

const rewrapLine = (e: KeyMappingEntry, keyName: string): string => `Re-wrap: ${plain(rewrapSummary(ceksToRewrap({ [keyName]: e }, keyName)))}.`;

/** Input transformer of the KMS CMK Rotation rule of an encrypt key. */
export function rotationTransformer(keyName: string, e: KeyMappingEntry): { inputPaths: Record<string, string>; inputTemplate: string } {
    return {
        inputPaths: {
            account: "$.account",
            keyId: "$.detail.key-id",
            region: "$.region",
            rotationType: "$.detail.rotation-type",
            time: "$.time",
        },
        inputTemplate: noticeJson({
            title: `[key-rotation] ${plain(e.alias)} rotated (<rotationType>)`,
            description: `KMS key ${plain(keyName)} (${plain(e.alias)}, key <keyId>, account <account>, <region>) got new key material at <time>. ` +
                `Existing ciphertexts still decrypt; new data keys use the new material. ${rewrapLine(e, keyName)}`,
            nextSteps: [`Runbook: ${NOTICE_RUNBOOK}#post-rotation-verification`],
            threadId: `key-rotation-${keyName}`,
        }),
    };
}

/** Input transformer of the alias-moved rule of a sign or mac key. */
export function aliasMovedTransformer(keyName: string, e: KeyMappingEntry): { inputPaths: Record<string, string>; inputTemplate: string } {
    return {
        inputPaths: {
            actor: "$.detail.userIdentity.arn",
            event: "$.detail.eventName",
            region: "$.region",
            targetKeyId: "$.detail.requestParameters.targetKeyId",
            time: "$.time",
        },
        inputTemplate: noticeJson({
            title: `[key-rotation] ${plain(e.alias)} now points at a new generation`,
            description: `<event> by <actor> at <time> (<region>): ${plain(e.alias)} (${e.kind} key ${plain(keyName)}) now targets key <targetKeyId>. ` +
                `New ${e.kind === "sign" ? "signatures" : "MACs"} come from the new generation; publish its ${e.kind === "sign" ? "public key (GetPublicKey) to verifiers" : "key id to verifiers"}; ` +
                `the previous generation only verifies until its retirement date.`,
            nextSteps: [`Runbook: ${NOTICE_RUNBOOK}#standard-rotation`],
            threadId: `key-rotation-${keyName}`,
        }),
    };
}

/** The message of a reminder schedule (no placeholders: Scheduler sends it as is). */
export function scheduledNotice(kind: "due" | "retire", keyName: string, e: KeyMappingEntry, generation: string, date: string): string {
    return kind === "due"
        ? noticeJson({
            title: `[key-rotation] ${e.alias} is due for rotation`,
            description: `Generation ${generation} of ${e.kind} key ${keyName} reached the rotation cadence on ${date}: AWS cannot rotate this kind, ` +
                `so add a new generation, move the alias to it and give ${generation} a retirement date (a reviewed change).`,
            nextSteps: [`Runbook: ${NOTICE_RUNBOOK}#standard-rotation`],
            threadId: `key-rotation-${keyName}`,
        })
        : noticeJson({
            title: `[key-rotation] generation ${generation} of ${e.alias} reached its retirement date`,
            description: `Generation ${generation} of ${keyName} has verified old signatures until ${date}. Set it retired (disables it) in the stack file, a reviewed change.`,
            nextSteps: [`Runbook: ${NOTICE_RUNBOOK}#standard-rotation`],
            threadId: `key-rotation-${keyName}`,
        });
}
