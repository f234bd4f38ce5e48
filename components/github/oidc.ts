import { MAX_SESSION_SECONDS } from "../../shared/limits";
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
// @pulumi/github has no submodules; its index loads each resource lazily (measured: ~5 ms).
import * as github from "@pulumi/github";
import { RepositoryEnvironments, environmentPath } from "./repositories";
import { GITHUB_OIDC_URL, STS_AUDIENCE, githubTrustPolicy, roleName, rotationPolicy } from "../../documents/github/policies";
import { ROTATION_VARIABLES, RotationVariable, rotationWorkflow } from "./workflow";
import { proposeRotationWorkflow } from "./workflow-pr";

/** A repository whose workflows rotate the keys: a role per environment (only the environment's name and `configPath` are read). */
export interface RotatingRepository extends RepositoryEnvironments {
    /**
     * Propose the rotation workflow as `.github/workflows/kms-rotate.yml` through a pull request into
     * the default branch (the token must be allowed to write contents, workflows and pull requests). Default false.
     */
    readonly proposeRotationWorkflow?: boolean;
}

export interface ActionsOidcArgs {
    /** The organization (or user) that owns the repositories. */
    owner: string;
    /** The repositories whose workflows rotate this stack's keys. Default none: only the OIDC provider. */
    repositories?: readonly RotatingRepository[];
    /** The environments the variables and workflow belong to: they are created after them. */
    environments: pulumi.Resource;
    /**
     * ARN of the account's existing GitHub OIDC provider, read at preview (IAM holds one per URL per
     * account). Default: create one.
     */
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
 * tell the rotation workflow which role, region and keys; and, where asked (`proposeRotationWorkflow`), the workflow itself.
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
            ? this.existingProvider(args.oidcProviderArn)
            : new iam.OpenIdConnectProvider(`${name}-provider`, {
                url: GITHUB_OIDC_URL,
                clientIdLists: [STS_AUDIENCE],
                tags: args.tags,
            }, { parent: this, protect: stateful, retainOnDelete: stateful }).arn;

        const keyArns = pulumi.output(args.keyArns).apply((arns) => Object.values(arns));
        const aliases = pulumi.output(args.keyAliases).apply((a) => Object.values(a).sort().join(" "));
        const rotating = args.repositories ?? [];
        const roleArns: Record<string, Record<string, pulumi.Output<string>>> = {};
        const variables: Record<string, pulumi.Resource[]> = {};
        const afterEnvironments = { parent: this, dependsOn: [args.environments] };

        for (const repo of rotating) for (const spec of repo.environments) {
            const repository = repo.name, environment = spec.name;
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
                        throw new pulumi.ResourceError(`${environmentPath(repo, spec)}: ${(e as Error).message}`, this);
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

        // Proposed through a pull request: a default branch that requires pull requests rejects a direct commit.
        for (const repo of rotating.filter((r) => r.proposeRotationWorkflow)) {
            proposeRotationWorkflow(`${name}-${repo.name}-kms-rotate`, {
                owner: args.owner, repository: repo.name, content: rotationWorkflow(),
                dependsOn: [args.environments, ...(variables[repo.name] ?? [])],
            }, this);
        }

        this.roleArns = pulumi.output(Object.fromEntries(
            Object.entries(roleArns).map(([repo, envs]) => [repo, pulumi.all(envs)]),
        ));
        this.registerOutputs({ providerArn: this.providerArn, roleArns: this.roleArns });
    }

    /**
     * The account's existing provider, read at preview: IAM holds one OIDC provider per URL per
     * account and refuses a second with EntityAlreadyExists (IAM API Reference, CreateOpenIDConnectProvider),
     * so a stack in an account whose CI already federates with GitHub must use that one. The lookup
     * fails the preview when the ARN does not exist, and the check when it does not accept the
     * audience the roles' trust requires.
     */
    private existingProvider(arn: string): pulumi.Output<string> {
        return iam.getOpenIdConnectProviderOutput({ arn }, { parent: this }).apply((p) => {
            if (!p.clientIdLists.includes(STS_AUDIENCE)) {
                throw new pulumi.ResourceError(`github.oidcProviderArn = ${arn}: the provider's client ids are ${JSON.stringify(p.clientIdLists)}; ` +
                    `add ${STS_AUDIENCE} (aws iam add-client-id-to-open-id-connect-provider), which aws-actions/configure-aws-credentials requests`, this);
            }
            return p.arn;
        });
    }
}
