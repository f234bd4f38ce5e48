/** One AWS Chatbot custom notification (schema version 1.0), as the SNS message EventBridge writes. */
export interface ChatbotNotice {
    readonly title: string;
    readonly description: string;
    readonly nextSteps: readonly string[];
    /** Chatbot threads notifications with the same id. */
    readonly threadId: string;
    /** The one-line summary (default: the title). */
    readonly summary?: string;
}

/**
 * The notification as JSON text: the only SNS message Chatbot posts to Slack, and readable as plain
 * text in email subscriptions. Placeholders `<name>` in it are EventBridge's input-transformer ones.
 * Schema: https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html
 */
export function chatbotNotice(n: ChatbotNotice): string {
    return JSON.stringify({
        version: "1.0",
        source: "custom",
        content: { textType: "client-markdown", title: n.title, description: n.description, nextSteps: [...n.nextSteps] },
        metadata: { threadId: n.threadId, summary: n.summary ?? n.title },
    });
}
