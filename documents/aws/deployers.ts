/**
 * Which configured deploy identity (`aws.deployers`) a caller is, from the ARN STS reports for it
 * (`GetCallerIdentity`). A role session appears as `arn:<p>:sts::<account>:assumed-role/<role name>/<session>`,
 * without the role's path, while the key policies match `aws:PrincipalArn`, the role ARN with its
 * path (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn):
 * so roles are compared by account and name, the name glob-matched (`AWSReservedSSO_<set>_*`).
 */
const glob = (pattern: string, value: string): boolean =>
    new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\?]/g, "\\$&").replace(/\*/g, ".*")}$`).test(value);

/** The deployer entry the caller matches, or undefined. */
export function deployerForCaller(callerArn: string, deployers: readonly string[]): string | undefined {
    const session = /^arn:[^:]+:sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
    for (const d of deployers) {
        const m = /^arn:[^:]+:iam::(\d{12}):(role|user)\/(?:.*\/)?([^/]+)$/.exec(d);
        if (!m) continue;
        const [, account, kind, name] = m;
        if (session && kind === "role" && session[1] === account && glob(name, session[2])) return d;
        if (!session && kind === "user" && callerArn === d) return d;
    }
    return undefined;
}
