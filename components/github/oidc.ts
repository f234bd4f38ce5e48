import { MAX_SESSION_SECONDS } from "../../config/limits";
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
// @pulumi/github has no submodules; its index loads each resource lazily (measured: ~5 ms).
import * as github from "@pulumi/github";
import { RepositorySettings } from "../../config/github";
import { environmentSpecs } from "./environments";
import { GITHUB_OIDC_URL, STS_AUDIENCE, githubTrustPolicy, roleName, rotationPolicy } from "./policies";
import { ROTATION_VARIABLES, ROTATION_WORKFLOW_PATH, RotationVariable, rotationWorkflow } from "./workflow";

export interface ActionsOidcArgs {
    /** The organization (or user) that owns the repositories: `github:owner`. */
    owner: string;
    /** The `github.repositories` of the stack config; only those with `kmsRotation` get roles. */
    repositories: readonly RepositorySettings[];
    /** The environments the variables and workflow belong to: they are created after them. */
    environments: pulumi.Resource;
    /** ARN of the account's existing GitHub OIDC provider. Default: create one. */
    oidcProviderArn?: string;
    /** Prefix of the role names (`aws.namePrefix`), so that stacks sharing an account do not collide. */
    namePrefix: string;
    /** This stack's KMS key ARNs by key name: the only keys the roles may act on. */
    keyArns: pulumi.Input<Record<string, string>>;
    /** This stack's key aliases by key name, published to the workflows. */
    keyAliases: pulumi.Input<Record<string, string>>;
    /** Region of the keys (`aws:region`), published to the workflows. */
    region: string;
    /** The audit dataset (`project:dataset`), published to the workflows. */
    auditDataset: pulumi.Input<string>;
    /** Tags for the OIDC provider and roles. Default none. */
    tags?: Record<string, string>;
    /** `protect` and `retainOnDelete` for a provider this stack creates (the account's only one). Default false. */
    protectStateful?: boolean;
}

/**
 * GitHub Actions → AWS without stored keys: the account's GitHub OIDC provider (or the existing
 * one), one role per repository × environment that only a job of exactly that environment can
 * assume, allowed the rotation actions on this stack's keys only; the environment variables that
 * tell the rotation workflow which role, region and keys; and, where config asks, the workflow itself.
 */
export class ActionsOidc extends pulumi.ComponentResource {
    /** The IAM OIDC provider trusted by the roles. */
    public readonly providerArn: pulumi.Output<string>;
    /** Role ARNs per repository and environment, e.g. `{ "ai-finance-agent-oss": { production: "arn:..." } }`. */
    public readonly roleArns: pulumi.Output<Record<string, Record<string, string>>>;

    constructor(name: string, args: ActionsOidcArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kms-observability:github:ActionsOidc", name, {}, opts);
        const stateful = args.protectStateful ?? false;
        this.providerArn = args.oidcProviderArn !== undefined
            ? pulumi.output(args.oidcProviderArn)
            : new iam.OpenIdConnectProvider(`${name}-provider`, {
                url: GITHUB_OIDC_URL,
                clientIdLists: [STS_AUDIENCE],
                tags: args.tags,
            }, { parent: this, protect: stateful, retainOnDelete: stateful }).arn;

        const keyArns = pulumi.output(args.keyArns).apply((arns) => Object.values(arns));
        const aliases = pulumi.output(args.keyAliases).apply((a) => Object.values(a).sort().join(" "));
        const rotating = args.repositories.filter((r) => r.kmsRotation);
        const roleArns: Record<string, Record<string, pulumi.Output<string>>> = {};
        const variables: Record<string, pulumi.Resource[]> = {};
        const afterEnvironments = { parent: this, dependsOn: [args.environments] };

        for (const spec of environmentSpecs(rotating)) {
            const { repository, environment } = spec;
            const base = `${name}-${repository}-${environment}`;
            const role = new iam.Role(base, {
                name: roleName(args.namePrefix, repository, environment),
                description: `KMS key rotation from GitHub Actions: ${args.owner}/${repository}, environment ${environment}`,
                assumeRolePolicy: this.providerArn.apply((arn) =>
                    JSON.stringify(githubTrustPolicy(arn, args.owner, repository, environment))),
                maxSessionDuration: MAX_SESSION_SECONDS,
                tags: args.tags,
            }, { parent: this });
            new iam.RolePolicy(`${base}-kms-rotation`, {
                role: role.name,
                name: "kms-rotation",
                policy: keyArns.apply((arns) => {
                    try {
                        return JSON.stringify(rotationPolicy(arns));
                    } catch (e) {
                        throw new pulumi.ResourceError(`${spec.configPath}: ${(e as Error).message}`, this);
                    }
                }),
            }, { parent: this });

            const values: Record<RotationVariable, pulumi.Input<string>> = {
                roleArn: role.arn, region: args.region, keyAliases: aliases, auditDataset: args.auditDataset,
            };
            for (const purpose of Object.keys(ROTATION_VARIABLES) as RotationVariable[]) {
                const variableName = ROTATION_VARIABLES[purpose];
                (variables[repository] ??= []).push(new github.ActionsEnvironmentVariable(`${base}-${variableName}`, {
                    repository, environment, variableName, value: values[purpose],
                }, afterEnvironments));
            }
            (roleArns[repository] ??= {})[environment] = role.arn;
        }

        for (const repo of rotating.filter((r) => r.commitRotationWorkflow)) {
            new github.RepositoryFile(`${name}-${repo.name}-kms-rotate`, {
                repository: repo.name,
                file: ROTATION_WORKFLOW_PATH,
                content: rotationWorkflow(),
                commitMessage: "ci: KMS monthly key rotation workflow (managed by kms-observability)",
                // The seed's hand-written copy is replaced: from now on this program owns the file.
                overwriteOnCreate: true,
            // Committed last: a scheduled run must find its environment, role and variables in place.
            }, { parent: this, dependsOn: [args.environments, ...(variables[repo.name] ?? [])] });
        }

        this.roleArns = pulumi.output(Object.fromEntries(
            Object.entries(roleArns).map(([repo, envs]) => [repo, pulumi.all(envs)]),
        ));
        this.registerOutputs({ providerArn: this.providerArn, roleArns: this.roleArns });
    }
}
