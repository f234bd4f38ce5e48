import * as assert from "assert";
import { ROTATION_WORKFLOW_PATH, rotationWorkflow } from "../../../components/github/workflow";
import { ROTATION_BRANCH_PREFIX, rotationBranch } from "../../../components/github/workflow-pr";
import { GithubRuns, T, githubRuns } from "./runs";

const APP = "ai-finance-agent-oss";
const BRANCH = "github:index/branch:Branch";
const PR = "github:index/repositoryPullRequest:RepositoryPullRequest";

/** Issue 14: a default branch that requires pull requests rejects a direct commit of the workflow. */
describe("github: the rotation workflow reaches a protected default branch through a pull request", () => {
    let runs: GithubRuns;
    before(async () => { runs = await githubRuns(); });

    it("commits the workflow to its own branch, created from the default branch, never to the default branch", () => {
        const file = runs.prod.one(T.file);
        const branch = runs.prod.one(BRANCH);
        assert.strictEqual(branch.inputs.repository, APP);
        assert.strictEqual(branch.inputs.sourceBranch, "main", "from the repository's default branch (lookup)");
        assert.strictEqual(branch.inputs.branch, rotationBranch(rotationWorkflow()));
        assert.ok(String(file.inputs.branch).startsWith(ROTATION_BRANCH_PREFIX), `file branch ${String(file.inputs.branch)}`);
        assert.strictEqual(file.inputs.branch, branch.inputs.branch);
        assert.notStrictEqual(file.inputs.branch, "main");
        assert.deepStrictEqual([file.inputs.file, file.inputs.content], [ROTATION_WORKFLOW_PATH, rotationWorkflow()]);
        // A merged pull request's branch may be gone: never delete the branch or commit a deletion to it.
        assert.deepStrictEqual([branch.retainOnDelete, file.retainOnDelete], [true, true]);
    });

    it("opens a pull request from that branch into the default branch, after the file is committed", () => {
        const pr = runs.prod.one(PR);
        const file = runs.prod.one(T.file);
        assert.deepStrictEqual([pr.inputs.baseRepository, pr.inputs.baseRef, pr.inputs.headRef], [APP, "main", file.inputs.branch]);
        assert.ok(pr.dependsOn.includes(file.urn), "opened after the commit");
        assert.match(String(pr.inputs.title), /KMS monthly key rotation workflow/);
        assert.strictEqual(pr.retainOnDelete, false, "a superseded pull request is closed by the provider");
        assert.strictEqual(runs.staging.ofType(PR).length + runs.staging.ofType(BRANCH).length, 0, "staging proposes nothing");
    });

    it("names the branch after the template, so a template change opens a new pull request and no change opens none", () => {
        const b = rotationBranch("on: workflow_dispatch\n");
        assert.match(b, /^kms-observability\/kms-rotate-[0-9a-f]{12}$/);
        assert.strictEqual(rotationBranch("on: workflow_dispatch\n"), b);
        assert.notStrictEqual(rotationBranch("on: schedule\n"), b);
    });
});
