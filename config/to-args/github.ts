import * as pulumi from "@pulumi/pulumi";
import type { CiIdentitiesArgs } from "../../components/ci/identities";
import type { DriftNotifierArgs } from "../../components/github/drift-notifier";
import type { EnvironmentProtectionsArgs } from "../../components/github/environments";
import type { ActionsOidcArgs } from "../../components/github/oidc";
import type { RepositoryEnvironments } from "../../components/github/repositories";
import { autoRotates } from "../../shared/key-kinds";
import { RepositorySettings, ciDeployRoleName, declaredEnvironments } from "../github";
import { Settings } from "../schema";
import { awsContext } from "./aws";

/** The GitHub and CI components' Args: `github` and `github:owner`. */

/** `github.repositories` with their environments, named by their place in the stack config for messages. */
export function githubRepositories(repositories: readonly RepositorySettings[]): RepositoryEnvironments[] {
    return repositories.map((r, i) => ({
        name: r.name,
        configPath: `github.repositories[${i}]`,
        environments: declaredEnvironments(r, i).map((e) => ({
            name: e.environment, configPath: e.configPath, waitTimer: e.waitTimer, branches: e.branches, tags: e.tags, reviewers: e.reviewers,
        })),
    }));
}

/** The environments of `github.repositories` in `github:owner`. */
export function environmentProtectionsArgs(settings: Settings): EnvironmentProtectionsArgs {
    return { owner: settings.providers["github:owner"], repositories: githubRepositories(settings.github.repositories), protectStateful: settings.protectStateful };
}

/**
 * The rotation roles and workflow. The kms-rotate workflow rotates on demand, so it gets only the
 * keys AWS can rotate (sign and mac keys rotate by generations, through the stack file).
 */
export function actionsOidcArgs(
    settings: Settings,
    environments: ActionsOidcArgs["environments"],
    keys: { readonly keyArns: pulumi.Output<Record<string, string>>; readonly aliases: pulumi.Output<Record<string, string>> },
    auditDataset: pulumi.Input<string>,
): ActionsOidcArgs {
    const autoRotated = new Set(settings.aws.keys.filter((k) => autoRotates(k.kind)).map((k) => k.name));
    const autoRotatedOnly = (byName: Record<string, string>) => Object.fromEntries(Object.entries(byName).filter(([n]) => autoRotated.has(n)));
    const repos = settings.github.repositories;
    return {
        owner: settings.providers["github:owner"],
        // Roles for the repositories with `kmsRotation`; the workflow proposed where `commitRotationWorkflow`.
        repositories: githubRepositories(repos).flatMap((r, i) => repos[i].kmsRotation ? [{ ...r, proposeRotationWorkflow: repos[i].commitRotationWorkflow }] : []),
        environments,
        oidcProviderArn: settings.github.oidcProviderArn,
        namePrefix: settings.aws.namePrefix,
        keyArns: keys.keyArns.apply(autoRotatedOnly),
        keyAliases: keys.aliases.apply(autoRotatedOnly),
        region: settings.providers["aws:region"],
        auditDataset,
        tags: settings.labels,
        protectStateful: settings.protectStateful,
    };
}

/** The drift notifier of this program's own repository (named like the Pulumi project). */
export function driftNotifierArgs(settings: Settings, oidcProviderArn: pulumi.Input<string>): DriftNotifierArgs {
    return {
        owner: settings.providers["github:owner"], repository: pulumi.getProject(), stackEnvironment: settings.environment,
        oidcProviderArn, namePrefix: settings.aws.namePrefix, ctx: awsContext(settings), tags: settings.labels,
    };
}

/**
 * The CI identities when `github.ci` is set. The config layer checked that the CI repository declares
 * exactly one environment: this stack's deploy environment.
 */
export function ciIdentitiesArgs(
    settings: Settings,
    environments: CiIdentitiesArgs["environments"],
    oidcProviderArn: pulumi.Input<string>,
    keyArns: pulumi.Input<Record<string, string>>,
): CiIdentitiesArgs | undefined {
    const ci = settings.github.ci;
    if (!ci) return undefined;
    const owner = settings.providers["github:owner"];
    const repo = settings.github.repositories.find((r) => r.name === ci.repository);
    return {
        owner,
        repository: ci.repository,
        deployEnvironment: repo?.environments.production ? "production" : "staging",
        environments,
        variableSuffix: settings.environment.toUpperCase(),
        pulumiStack: `${ci.pulumiOrganization ?? owner}/${settings.stack}`,
        oidcProviderArn,
        namePrefix: settings.aws.namePrefix,
        deployRoleName: ciDeployRoleName(ci, settings.aws.namePrefix),
        deployPolicyArns: ci.deployPolicyArns,
        keyArns,
        region: settings.providers["aws:region"],
        gcpProject: settings.providers["gcp:project"],
        tags: settings.labels,
        protectStateful: settings.protectStateful,
    };
}
