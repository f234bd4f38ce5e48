import { PROD_DELETION_WINDOW_DAYS } from "../shared/limits";
import { isProductionStack } from "../shared/tier";
import { formatValue } from "./errors";
import type { RawSections } from "./secrets";

/**
 * One answer to "is this production", shared by the program and the policy pack. The pack runs
 * inside the CLI's analyzer, which sees resources and the stack name (from the URN) but not the stack's
 * config, so the stack name decides (`isProductionStack`: `prod`, `production`, or either as a
 * `-`/`.`/`_`-separated part such as `prod-eu`). The rule, checked before any resource exists:
 *
 * - `kms-observability:environment` is `prod` exactly when the stack name is a production name. A stack
 *   `prd` declaring `environment: prod` is refused: the pack would not apply its production rules to it.
 * - In prod, `protectStateful` is true and every KMS deletion window (keys and the topic key) is the
 *   pack's production minimum (`PROD_DELETION_WINDOW_DAYS`).
 * - A stack file declares only the GitHub environments of its own tier: prod `production`, staging
 *   `staging` (an environment's OIDC role reaches the keys of the stack that created it).
 *
 * Reads the decoded config tolerantly (any shape): the schema reports malformed values itself.
 */

const P = "kms-observability";
const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === "object" && !Array.isArray(v) ? v as Record<string, unknown> : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The GitHub environment a tier's stack manages. */
export const TIER_GITHUB_ENVIRONMENT = { prod: "production", staging: "staging" } as const;

export function tierProblems(cfg: RawSections, file: string, stack: string): string[] {
    const env = cfg[`${P}:environment`];
    if (env !== "prod" && env !== "staging") return []; // the schema reports it
    const out: string[] = [];
    const production = isProductionStack(stack);
    const at = (key: string, value: unknown) => `${file}: ${P}:${key} = ${formatValue(value)}`;
    if (production !== (env === "prod")) {
        out.push(`${at("environment", env)}: stack "${stack}" is ${production ? "" : "not "}a production stack name, so the policy pack ` +
            `applies ${production ? "" : "no "}production rules to it; allowed: environment prod exactly on stacks named prod, production ` +
            `or with such a part (prod-eu, eu.prod), environment staging on any other name (rename the stack or change environment)`);
    }
    if (env === "prod") {
        if (cfg[`${P}:protectStateful`] === false) {
            out.push(`${at("protectStateful", cfg[`${P}:protectStateful`] ?? null)}: must be true in prod (keys, datasets, buckets and environments protected and retained on delete)`);
        }
        const aws = obj(cfg[`${P}:aws`]);
        const windows: [string, unknown][] = [
            ...arr(aws.keys).map((k, i): [string, unknown] => [`aws.keys[${i}].deletionWindowDays`, obj(k).deletionWindowDays]),
            ["aws.topicKey.deletionWindowDays", obj(aws.topicKey).deletionWindowDays],
        ];
        for (const [key, days] of windows) {
            if (typeof days === "number" && days < PROD_DELETION_WINDOW_DAYS) {
                out.push(`${at(key, days)}: must be ${PROD_DELETION_WINDOW_DAYS} in prod (the time to cancel a mistaken key deletion; the policy pack requires it)`);
            }
        }
    }
    const own = TIER_GITHUB_ENVIRONMENT[env];
    arr(obj(cfg[`${P}:github`]).repositories).forEach((r, i) => {
        for (const name of Object.keys(obj(obj(r).environments))) {
            if (name !== own) {
                out.push(`${at(`github.repositories[${i}].environments.${name}`, obj(obj(r).environments)[name])}: a ${env} stack manages only ` +
                    `the ${own} environment (its OIDC role reaches this stack's keys); declare ${name} in the ${name === "production" ? "prod" : "staging"} stack file`);
            }
        }
    });
    return out;
}
