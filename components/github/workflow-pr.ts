import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
// @pulumi/github has no submodules; its index loads each resource lazily (measured: ~5 ms).
import * as github from "@pulumi/github";
import { ROTATION_WORKFLOW_PATH } from "./workflow";

/** Branches the rotation workflow is proposed on: one per version of the template. */
export const ROTATION_BRANCH_PREFIX = "kms-observability/kms-rotate-";

/** The branch of one template version: its content's SHA-256, 12 hex digits. */
export function rotationBranch(content: string): string {
    return ROTATION_BRANCH_PREFIX + createHash("sha256").update(content).digest("hex").slice(0, 12);
}

export interface RotationWorkflowProposal {
    /** The branch the workflow is committed to. */
    readonly branch: pulumi.Output<string>;
    /** The pull request's number in the repository. */
    readonly number: pulumi.Output<number>;
}

/**
 * Proposes the rotation workflow to a repository through a pull request instead of committing it to
 * the default branch, which a branch protection requiring pull requests rejects: a `RepositoryFile`
 * without `branch` commits straight to the default branch (integrations/terraform-provider-github
 * docs/resources/repository_file.md, `branch`: "defaults to the repository's default branch").
 *
 * - `github.Branch` from the default branch (the provider deprecates `autocreate_branch` in favour of
 *   it, same page), named after the template's content: every template change opens a new pull
 *   request, and an unchanged template touches nothing.
 * - `github.RepositoryFile` on that branch (`overwriteOnCreate`: the hand-written copy is replaced).
 * - `github.RepositoryPullRequest` into the default branch (docs/resources/repository_pull_request.md).
 *   When the template changes, the provider closes the superseded pull request if it is still open and
 *   leaves a merged one alone (resource_github_repository_pull_request.go, Delete).
 *
 * The branch and the file are `retainOnDelete`: once the pull request is merged the branch may be gone
 * (auto-delete head branches), and deleting them would fail on the missing ref or commit a deletion
 * to a dead branch; the engine drops them from the state instead. The program that owned the file on
 * the default branch before (an older version of this component) keeps it there for the same reason.
 */
export function proposeRotationWorkflow(name: string, args: {
    /** Owner and repository name. */
    owner: string; repository: string;
    /** The workflow text. */
    content: string;
    /** What must exist before the workflow can run (environments, role, variables). */
    dependsOn: pulumi.Input<pulumi.Resource>[];
}, parent: pulumi.Resource): RotationWorkflowProposal {
    const { repository } = args;
    const defaultBranch = pulumi.output(github.getRepository({ fullName: `${args.owner}/${repository}` }, { parent })
        .then((r) => r.defaultBranch));
    const branch = new github.Branch(`${name}-branch`, {
        repository,
        branch: rotationBranch(args.content),
        sourceBranch: defaultBranch,
    }, { parent, retainOnDelete: true });
    const file = new github.RepositoryFile(name, {
        repository,
        branch: branch.branch,
        file: ROTATION_WORKFLOW_PATH,
        content: args.content,
        commitMessage: "ci: KMS monthly key rotation workflow (managed by kms-observability)",
        // The seed's hand-written copy is replaced: from now on this program owns the file.
        overwriteOnCreate: true,
    // Committed last: a scheduled run must find its environment, role and variables in place.
    }, { parent, retainOnDelete: true, dependsOn: args.dependsOn });
    const pr = new github.RepositoryPullRequest(`${name}-pr`, {
        baseRepository: repository,
        baseRef: defaultBranch,
        headRef: branch.branch,
        title: "ci: KMS monthly key rotation workflow (kms-observability)",
        body: [
            `Adds or updates \`${ROTATION_WORKFLOW_PATH}\` from the kms-observability template.`,
            "",
            "Opened by `pulumi up` of kms-observability because the default branch takes changes through pull requests only.",
            "Its environment, role and variables are already in place. Review and merge it; a later template change opens a new pull request",
            "and closes this one if it is still open. Do not edit the file by hand: the next template change replaces it.",
        ].join("\n"),
        maintainerCanModify: false,
    }, { parent, dependsOn: [file] });
    return { branch: branch.branch, number: pr.number };
}
