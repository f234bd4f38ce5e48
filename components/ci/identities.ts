import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import * as gcpIam from "@pulumi/gcp/iam";
import * as gcpProjects from "@pulumi/gcp/projects";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
// @pulumi/github has no submodules; its index loads each resource lazily.
import * as github from "@pulumi/github";
import { GITHUB_OIDC_URL } from "../../documents/github/policies";
import {
    ATTRIBUTE_MAPPING, GCP_DEPLOY_CUSTOM_PERMISSIONS, GCP_DEPLOY_ROLES, GCP_READONLY_ROLES, attributeCondition, environmentSubjectOf, githubSubjectsTrust,
    poolSubjectMember, pullRequestSubject, readonlyEnvironment, readonlyPolicy,
} from "../../documents/ci/policies";

export interface CiIdentitiesArgs {
    /** `github:owner`. */
    owner: string;
    /** The repository whose workflows preview and deploy this stack (`github.ci.repository`). */
    repository: string;
    /** The deployment environment of this stack in that repository (`production` or `staging`). */
    deployEnvironment: string;
    /** The environment resources of the repository (the deploy environment's variables wait for them). */
    environments: pulumi.Resource;
    /** Suffix of the repository variables pull requests read: `PROD` or `STAGING`. */
    variableSuffix: string;
    /** The Pulumi stack the workflows address, e.g. `ledger-mind/prod`. */
    pulumiStack: string;
    /** ARN of the account's GitHub OIDC provider (created or looked up by ActionsOidc). */
    oidcProviderArn: pulumi.Input<string>;
    /** `aws.namePrefix`: the read-only role is `<prefix>-ci-readonly`. */
    namePrefix: string;
    /** Name of the deploy role (`github.ci.deployRoleName`, default `<prefix>-ci-deploy`). */
    deployRoleName: string;
    /** Customer managed policies attached to the deploy role (`github.ci.deployPolicyArns`). */
    deployPolicyArns: readonly string[];
    /** This stack's KMS key ARNs: the only keys the read-only role may describe. */
    keyArns: pulumi.Input<Record<string, string>>;
    /** `aws:region`, published to the environments. */
    region: string;
    /** `gcp:project`: where the pool and the service accounts live and what they act on. */
    gcpProject: string;
    /** AWS tags. Default none. */
    tags?: Record<string, string>;
    /** `protect` + `retainOnDelete` for the read-only environment. Default false. */
    protectStateful?: boolean;
}

/**
 * This repository's CI identities as code, so that the policy pack judges who can reach them
 * (docs/github.md, "CI credential design"):
 * - read-only: AWS role `<prefix>-ci-readonly` and GCP service account `kms-obs-ci-readonly`, for the
 *   subjects `…:pull_request` and `…:environment:readonly-<env>` (a `main`-only environment);
 * - deploy: AWS role (`deployRoleName`) and GCP service account `kms-obs-ci-deploy`, for the subject
 *   `…:environment:<env>` only;
 * - the GCP workload identity pool and provider, restricted to the repository, and the variables
 *   that tell the workflows which identity to use.
 */
export class CiIdentities extends pulumi.ComponentResource {
    public readonly readonlyRoleArn: pulumi.Output<string>;
    public readonly deployRoleArn: pulumi.Output<string>;
    /** `projects/<number>/locations/global/workloadIdentityPools/github-actions/providers/<repository>`. */
    public readonly workloadIdentityProvider: pulumi.Output<string>;
    public readonly readonlyServiceAccount: pulumi.Output<string>;
    public readonly deployServiceAccount: pulumi.Output<string>;

    constructor(name: string, args: CiIdentitiesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kms-observability:ci:CiIdentities", name, {}, opts);
        const { owner, repository, deployEnvironment: env } = args;
        const readonlyEnv = readonlyEnvironment(env);
        const readonlySubjects = [pullRequestSubject(owner, repository), environmentSubjectOf(owner, repository, readonlyEnv)];
        const deploySubjects = [environmentSubjectOf(owner, repository, env)];
        const trust = (subjects: string[]) => pulumi.output(args.oidcProviderArn).apply((arn) => JSON.stringify(githubSubjectsTrust(arn, subjects)));

        // AWS
        const readonlyRole = new iam.Role(`${name}-aws-readonly`, {
            name: `${args.namePrefix}-ci-readonly`,
            description: `Read-only CI identity: ${owner}/${repository} pull requests and environment ${readonlyEnv}`,
            assumeRolePolicy: trust(readonlySubjects),
            maxSessionDuration: 3600,
            tags: args.tags,
        }, { parent: this });
        new iam.RolePolicy(`${name}-aws-readonly-read`, {
            role: readonlyRole.name,
            name: "read-only",
            policy: pulumi.output(args.keyArns).apply((k) => JSON.stringify(readonlyPolicy(Object.values(k)))),
        }, { parent: this });
        const awsDeployRole = new iam.Role(`${name}-aws-deploy`, {
            name: args.deployRoleName,
            description: `pulumi up from GitHub Actions: ${owner}/${repository}, environment ${env} only`,
            assumeRolePolicy: trust(deploySubjects),
            maxSessionDuration: 3600,
            tags: args.tags,
        }, { parent: this });
        args.deployPolicyArns.forEach((policyArn, i) => new iam.RolePolicyAttachment(`${name}-aws-deploy-policy-${i}`, {
            role: awsDeployRole.name, policyArn,
        }, { parent: this }));

        // GCP: one pool for GitHub, one provider for this repository (google-github-actions/auth's default
        // audience is the provider's resource name, so no allowedAudiences are set).
        const pool = new gcpIam.WorkloadIdentityPool(`${name}-gcp-pool`, {
            project: args.gcpProject,
            workloadIdentityPoolId: "github-actions",
            displayName: "GitHub Actions",
            description: "GitHub Actions OIDC tokens (managed by kms-observability)",
        }, { parent: this });
        const provider = new gcpIam.WorkloadIdentityPoolProvider(`${name}-gcp-provider`, {
            project: args.gcpProject,
            workloadIdentityPoolId: pool.workloadIdentityPoolId,
            workloadIdentityPoolProviderId: repository.slice(0, 32),
            displayName: repository.slice(0, 32),
            attributeMapping: { ...ATTRIBUTE_MAPPING },
            attributeCondition: attributeCondition(owner, repository, [env, readonlyEnv]),
            oidc: { issuerUri: GITHUB_OIDC_URL },
        }, { parent: this });
        const serviceAccount = (kind: "readonly" | "deploy", roles: readonly pulumi.Input<string>[], subjects: string[]) => {
            const sa = new serviceaccount.Account(`${name}-gcp-${kind}`, {
                project: args.gcpProject,
                accountId: `kms-obs-ci-${kind}`,
                displayName: `kms-observability CI (${kind})`,
                description: `${owner}/${repository}: ${subjects.join(", ")}`,
            }, { parent: this });
            roles.forEach((role, i) => new gcpProjects.IAMMember(`${name}-gcp-${kind}-${typeof role === "string" ? role.replace(/^roles\//, "") : `custom-${i}`}`, {
                project: args.gcpProject, role, member: pulumi.interpolate`serviceAccount:${sa.email}`,
            }, { parent: this }));
            subjects.forEach((subject, i) => new serviceaccount.IAMMember(`${name}-gcp-${kind}-wif-${i}`, {
                serviceAccountId: sa.name,
                role: "roles/iam.workloadIdentityUser",
                member: pool.name.apply((p) => poolSubjectMember(p, subject)),
            }, { parent: this }));
            return sa.email;
        };
        const deployRole = new gcpProjects.IAMCustomRole(`${name}-gcp-deploy-role`, {
            project: args.gcpProject,
            roleId: "kmsObservabilityCiDeploy",
            title: "kms-observability CI deploy (buckets, CMEK key IAM)",
            permissions: [...GCP_DEPLOY_CUSTOM_PERMISSIONS],
        }, { parent: this });
        const readonlyEmail = serviceAccount("readonly", GCP_READONLY_ROLES, readonlySubjects);
        const deployEmail = serviceAccount("deploy", [...GCP_DEPLOY_ROLES, deployRole.name], deploySubjects);

        // GitHub: the main-only read-only environment, and the variables of all three audiences.
        const stateful = args.protectStateful ?? false;
        const roEnv = new github.RepositoryEnvironment(`${name}-${readonlyEnv}`, {
            repository, environment: readonlyEnv, canAdminsBypass: false,
            deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
        }, { parent: this, protect: stateful, retainOnDelete: stateful });
        new github.RepositoryEnvironmentDeploymentPolicy(`${name}-${readonlyEnv}-branch-main`, {
            repository: roEnv.repository, environment: roEnv.environment, branchPattern: "main",
        }, { parent: this });
        const envVars = (environment: pulumi.Input<string>, label: string, values: Record<string, pulumi.Input<string>>, deps: pulumi.Resource[]) =>
            Object.entries(values).map(([variableName, value]) => new github.ActionsEnvironmentVariable(`${name}-${label}-${variableName}`, {
                repository, environment, variableName, value,
            }, { parent: this, dependsOn: deps }));
        const common = { AWS_REGION: args.region, GCP_WORKLOAD_IDENTITY_PROVIDER: provider.name, PULUMI_STACK: args.pulumiStack };
        envVars(roEnv.environment, readonlyEnv, { ...common, AWS_READONLY_ROLE_ARN: readonlyRole.arn, GCP_READONLY_SERVICE_ACCOUNT: readonlyEmail }, []);
        envVars(env, env, { ...common, AWS_DEPLOY_ROLE_ARN: awsDeployRole.arn, GCP_DEPLOY_SERVICE_ACCOUNT: deployEmail }, [args.environments]);
        const repoVars: Record<string, pulumi.Input<string>> = {
            AWS_READONLY_ROLE_ARN: readonlyRole.arn, GCP_WORKLOAD_IDENTITY_PROVIDER: provider.name, GCP_READONLY_SERVICE_ACCOUNT: readonlyEmail,
        };
        for (const [base, value] of Object.entries(repoVars)) {
            new github.ActionsVariable(`${name}-${base}_${args.variableSuffix}`, {
                repository, variableName: `${base}_${args.variableSuffix}`, value,
            }, { parent: this });
        }

        this.readonlyRoleArn = readonlyRole.arn;
        this.deployRoleArn = awsDeployRole.arn;
        this.workloadIdentityProvider = provider.name;
        this.readonlyServiceAccount = readonlyEmail;
        this.deployServiceAccount = deployEmail;
        this.registerOutputs({
            readonlyRoleArn: this.readonlyRoleArn, deployRoleArn: this.deployRoleArn, workloadIdentityProvider: this.workloadIdentityProvider,
            readonlyServiceAccount: this.readonlyServiceAccount, deployServiceAccount: this.deployServiceAccount,
        });
    }
}
