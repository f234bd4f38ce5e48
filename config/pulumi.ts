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
        if (e instanceof ConfigError) throw withoutFrames(new pulumi.RunError(e.message));
        throw e;
    }
}

/**
 * `err` with a stack of its message only. The CLI's Node.js host still passes every uncaught error to
 * `util.inspect(err, { colors: true })` for its trace span (@pulumi/pulumi cmd/run/run.js), and on
 * Node 20.20 that loops until the string overflows (~20 s of garbage collection, measured through
 * test/cli) on a frame the SDK's source maps name `node_modules/@pulumi/resource.ts:…`: a scoped
 * package path with no separator after it.
 */
function withoutFrames<E extends Error>(err: E): E {
    err.stack = `Error: ${err.message}`;
    return err;
}
