import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import * as github from "@pulumi/github";
import { driftNotifyPolicy } from "../../documents/aws/drift-events";
import { ArnContext } from "../../documents/aws/document";
import { githubTrustPolicy } from "../../documents/github/policies";

/** The drift workflow's GitHub environment for a stack: `readonly-<deploy environment>` (docs/github.md). */
export const driftEnvironment = (stackEnvironment: "staging" | "prod"): string =>
    `readonly-${stackEnvironment === "prod" ? "production" : "staging"}`;

/** The repository variable that tells .github/workflows/drift.yml which role to assume, per stack. */
export const driftRoleVariable = (stackEnvironment: "staging" | "prod"): string =>
    `AWS_DRIFT_NOTIFY_ROLE_ARN_${stackEnvironment.toUpperCase()}`;

export interface DriftNotifierArgs {
    /** `github:owner`. */
    owner: string;
    /** The repository whose drift workflow notifies (this program's own). */
    repository: string;
    /** `kms-observability:environment` of the stack: picks the job environment and the variable name. */
    stackEnvironment: "staging" | "prod";
    /** The account's GitHub OIDC provider. */
    oidcProviderArn: pulumi.Input<string>;
    /** Role name prefix (`aws.namePrefix`). */
    namePrefix: string;
    /** Region and account of the default event bus. */
    ctx: ArnContext;
    /** Tags for the role. Default none. */
    tags?: Record<string, string>;
}

/**
 * The identity the drift workflow uses to notify `kms-security` and nothing else: a role only a job
 * of this repository in the `readonly-<env>` environment (branch `main` only) can assume, allowed to
 * put drift events on the default bus (KeyEventAlerts routes them to the kms-security topic). The
 * refresh itself runs under the read-only CI identity; this role cannot read or change anything.
 */
export class DriftNotifier extends pulumi.ComponentResource {
    /** ARN of the notifier role. */
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: DriftNotifierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kms-observability:github:DriftNotifier", name, {}, opts);
        const environment = driftEnvironment(args.stackEnvironment);
        const role = new iam.Role(`${name}-role`, {
            name: `${args.namePrefix}-drift-notify`,
            description: `Drift reports from ${args.owner}/${args.repository} (environment ${environment}) to kms-security`,
            assumeRolePolicy: pulumi.output(args.oidcProviderArn).apply((arn) =>
                JSON.stringify(githubTrustPolicy(arn, args.owner, args.repository, environment))),
            maxSessionDuration: 3600,
            tags: args.tags,
        }, { parent: this });
        new iam.RolePolicy(`${name}-put-drift-events`, {
            role: role.name,
            name: "put-drift-events",
            policy: JSON.stringify(driftNotifyPolicy(args.ctx)),
        }, { parent: this });
        new github.ActionsVariable(`${name}-role-variable`, {
            repository: args.repository,
            variableName: driftRoleVariable(args.stackEnvironment),
            value: role.arn,
        }, { parent: this });
        this.roleArn = role.arn;
        this.registerOutputs({ roleArn: this.roleArn });
    }
}
