import { z } from "zod";
import { SecretValue } from "./secret";

/** Zod building blocks shared by every config section. */

export const SECRET_REQUIRED = "must be a secret";

/** A value set with `pulumi config set --secret`; a plaintext value is rejected. */
export const secretString = () =>
    z.custom<SecretValue>((v) => v instanceof SecretValue, {
        message: `${SECRET_REQUIRED}: set it with \`pulumi config set --secret\` (a plaintext value is not accepted)`,
    });

/** Integer within [min, max], with a message that says so. */
export const intRange = (min: number, max: number) =>
    z.number({ error: `must be an integer from ${min} to ${max}` })
        .int({ error: `must be an integer from ${min} to ${max}` })
        .min(min, { error: `must be an integer from ${min} to ${max}` })
        .max(max, { error: `must be an integer from ${min} to ${max}` });

export const email = () => z.email({ error: "must be an email address (name@domain)" });

/** Prometheus/Alertmanager duration such as 30s, 5m, 2h, 1h30m. */
export const durationPattern = /^((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/;
export const duration = () =>
    z.string().regex(durationPattern, { error: "must be a duration like 30s, 5m, 2h or 1h30m" })
        .refine((s) => s !== "", { error: "must be a duration like 30s, 5m, 2h or 1h30m" });

/** Seconds in a Prometheus duration string. */
export function durationSeconds(d: string): number {
    const m = durationPattern.exec(d);
    if (!m || d === "") throw new Error(`not a duration: ${d}`);
    const n = (i: number) => (m[i] ? Number(m[i]) : 0);
    return n(2) * 31536000 + n(4) * 604800 + n(6) * 86400 + n(8) * 3600 + n(10) * 60 + n(12) + n(14) / 1000;
}

/** An IAM principal ARN (role, user, root or assumed role) in the aws partitions. */
export const iamPrincipalArn = () =>
    z.string().regex(/^arn:aws(-cn|-us-gov)?:(iam::\d{12}:(root|role\/[\w+=,.@\/-]+|user\/[\w+=,.@\/-]+)|sts::\d{12}:assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+)$/, {
        error: "must be an IAM principal ARN like arn:aws:iam::123456789012:role/Name",
    });

/** Resource labels/tags: lower-case keys as GCP requires (also valid AWS tags). */
export const labels = () =>
    z.record(
        z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, { error: "label keys must match [a-z][a-z0-9_-]{0,62}" }),
        z.string().regex(/^[a-z0-9_-]{0,63}$/, { error: "label values must match [a-z0-9_-]{0,63}" }),
    );
