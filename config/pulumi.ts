import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./errors";
import { parseSettings } from "./load";
import { Settings } from "./schema";
// `isConfigSecret` is an SDK internal: the adapter holds it (and its check against SDK upgrades).
import { isConfigSecret } from "../sdk/adapter";

/**
 * The validated settings of the running stack, read from the engine's config (the real CLI and the
 * offline plan feed it the same way). A bad stack file stops the program before any resource is
 * registered, with a message listing every problem.
 */
export function loadSettings(): Settings {
    const values = pulumi.runtime.allConfig();
    const stack = pulumi.getStack();
    const secretKeys = new Set(Object.keys(values).filter((k) => isConfigSecret(k)));
    try {
        return parseSettings({ file: `Pulumi.${stack}.yaml`, project: pulumi.getProject(), stack, values, secretKeys });
    } catch (e) {
        // RunError prints its message without a JavaScript stack: the message is the whole story.
        if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
        throw e;
    }
}
