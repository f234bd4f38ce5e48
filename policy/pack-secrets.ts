/**
 * Lets the pack see which values are secrets, as the offline plan does. @pulumi/policy 1.21 hands
 * validations their properties with secrets unwrapped (server.js: `deserializeProperties(props,
 * false)`), so a plaintext webhook URL and a secret one look alike; its remediation path deserializes
 * with `proxySecrets = true`, which keeps each secret as a `Secret` instance behind a proxy
 * (deserialize.js, secret.js). `keepSecrets()` makes validation use that same deserialization (the
 * proxy still returns unwrapped values to any code that reads through it), and `markSecrets()`
 * turns the kept `Secret` instances into the offline plan's "[secret]" marker for the rules.
 * Verified by test/policy/pack.test.ts, which sends a real secret over gRPC to the served pack.
 */
import { Secret } from "@pulumi/policy";
import { SECRET } from "./rule";

// Internal modules of @pulumi/policy (pinned in package.json); their typings are not exported.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const deserialize = require("@pulumi/policy/deserialize") as { deserializeProperties(s: unknown, proxySecrets: boolean): unknown };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as { getSpecialProxyTarget: string; unknownCheckingProxy<T>(v: T): T };

/** Routes validation through the secret-keeping deserializer (idempotent). Only policy/index.ts calls it. */
export function keepSecrets(): void {
    const original = deserialize.deserializeProperties as ((s: unknown, p: boolean) => unknown) & { kept?: true };
    if (original.kept) return;
    const patched = Object.assign((s: unknown) => original(s, true), { kept: true as const });
    deserialize.deserializeProperties = patched;
}

/** The object behind the SDK's proxies (unknown-checking, then secret-preserving), or the value itself. */
function unproxied(v: unknown): unknown {
    let cur = v;
    for (let i = 0; i < 3 && cur !== null && typeof cur === "object"; i++) {
        const inner = (cur as Record<string, unknown>)[proxy.getSpecialProxyTarget];
        if (inner === undefined || inner === cur) break;
        cur = inner;
    }
    return cur;
}

/** A copy of `v` with every Secret replaced by "[secret]". */
function replaceSecrets(v: unknown): unknown {
    if (v instanceof Secret) return SECRET;
    if (Array.isArray(v)) return v.map((x) => replaceSecrets(unproxied(x)));
    if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceSecrets(unproxied(x))]));
    }
    return v;
}

/** Properties as rules see them offline: secrets as "[secret]", unknown values still throwing when read. */
export function markSecrets(props: Record<string, unknown>): Record<string, unknown> {
    return proxy.unknownCheckingProxy(replaceSecrets(unproxied(props)) as Record<string, unknown>);
}
