import * as assert from "assert";
import { RawConfig } from "../../config/load";
import { configProblems, editSection, stackConfig } from "../harness";

/** Asserts that the stack config is rejected with problems containing every needle. */
const rejects = (raw: RawConfig, ...needles: string[]) => {
    const problems = configProblems(raw);
    assert.ok(needles.every((n) => problems.some((p) => p.includes(n))), problems.join("\n"));
};
const prod = () => stackConfig("prod");

describe("config: amp", () => {
    it("requires writer principals when AMP is enabled", () => {
        rejects(editSection(prod(), "amp", (s) => { s.writerPrincipals = []; }),
            "kms-observability:amp.writerPrincipals = []: must name at least one IAM principal ARN when amp.enabled is true");
    });

    it("rejects malformed Slack ids and Chatbot channels no receiver posts to", () => {
        rejects(editSection(prod(), "amp", (s) => { (s.chatbot as Record<string, unknown>).slackTeamId = "acme"; }),
            "kms-observability:amp.chatbot.slackTeamId = \"acme\": must be a Slack workspace (team) id");
        rejects(editSection(prod(), "amp", (s) => {
            (s.chatbot as { channels: Record<string, string> }).channels["#random"] = "C05RANDOM01";
        }), "kms-observability:amp.chatbot.channels.#random = \"C05RANDOM01\": is not a Slack channel of any alert receiver");
    });
});
