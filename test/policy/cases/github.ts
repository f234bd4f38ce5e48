import { GH_DEPLOYMENT_POLICY, GH_ENVIRONMENT, GH_ENV_VARIABLE } from "../../../policy/github";
import { CaseTable, one, res } from "./types";

const env = (props: Record<string, unknown> = {}, environment = "production") => res(GH_ENVIRONMENT, {
    repository: "ledger-api", environment, reviewers: [{ teams: [4812734], users: [] }], preventSelfReview: true, canAdminsBypass: false,
    deploymentBranchPolicy: { customBranchPolicies: true, protectedBranches: false }, waitTimer: 0, ...props,
}, { name: `ledger-api-${environment}` });
const staging = res(GH_ENVIRONMENT, { repository: "ledger-api", environment: "staging" }, { name: "ledger-api-staging" });
/** A deployment policy; `withEnv` when the case holds its environment (it depends on it). */
const branchPolicy = (branchPattern: string, environment = "production", withEnv = false) =>
    res(GH_DEPLOYMENT_POLICY, { repository: "ledger-api", environment, branchPattern }, { name: `ledger-api-${environment}-${branchPattern}`, dependsOn: withEnv ? [`ledger-api-${environment}`] : [] });
const variable = (variableName: string, value: string) => res(GH_ENV_VARIABLE, { repository: "ledger-api", environment: "production", variableName, value });

export const githubCases: CaseTable = {
    "github-production-reviewers": {
        pass: [one("a reviewing team", env()), one("staging needs none", staging)],
        fail: [one("no reviewers", env({ reviewers: undefined }), { expect: /no required reviewers/ }), one("empty reviewer lists", env({ reviewers: [{ teams: [], users: [] }] }))],
    },
    "github-production-prevent-self-review": {
        pass: [one("on", env()), one("staging is out of scope", staging)],
        fail: [one("off", env({ preventSelfReview: false }), { expect: /preventSelfReview = false/ }), one("unset on prod", env({ preventSelfReview: undefined }, "prod"))],
    },
    "github-production-no-admin-bypass": {
        pass: [one("false", env())],
        fail: [one("unset means the provider default true", env({ canAdminsBypass: undefined }), { expect: /unset means true/ }), one("true", env({ canAdminsBypass: true }))],
    },
    "github-production-custom-branch-policy": {
        pass: [one("custom policies", env())],
        fail: [
            one("protected branches", env({ deploymentBranchPolicy: { customBranchPolicies: false, protectedBranches: true } }), { expect: /customBranchPolicies: true/ }),
            one("any branch", env({ deploymentBranchPolicy: undefined })),
        ],
    },
    "github-reviewers-within-limit": {
        pass: [one("two", env({ reviewers: [{ teams: [1], users: [2] }] }))],
        fail: [one("seven", env({ reviewers: [{ teams: [1, 2, 3], users: [4, 5, 6, 7] }] }), { expect: /lists 7 reviewers; GitHub accepts 6/ })],
    },
    "github-production-branch-pattern-pinned": {
        pass: [one("main", branchPolicy("main")), one("release/*", branchPolicy("release/*")), one("hotfix-*", branchPolicy("hotfix-*")),
            one("staging may use *", branchPolicy("*", "staging"))],
        fail: [one("*", branchPolicy("*"), { expect: /matches branches nobody reviewed/ }), one("**", branchPolicy("**")),
            // Wildcards in disguise: each matches (nearly) every branch.
            one("[a-z]*", branchPolicy("[a-z]*")), one("?*", branchPolicy("?*")), one("?", branchPolicy("?")), one("{main,*}", branchPolicy("{main,*}")),
            one("m* (a letter is no boundary)", branchPolicy("m*")), one("*/*", branchPolicy("*/*")), one("empty", branchPolicy(""))],
    },
    "github-variable-no-credentials": {
        pass: [one("role ARN", variable("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/prod-gh-ledger-api-production")), one("key alias", variable("KMS_KEY_ALIAS", "alias/ledger-tde"))],
        fail: [
            one("a secret output in a variable", variable("SLACK_WEBHOOK", "[secret]"), { expect: /use an Actions environment secret/ }),
            one("an AWS access key", variable("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"), { expect: /AWS access key id/ }),
            one("a Slack webhook", variable("SLACK_URL", "https://hooks.slack.com/services/T000/B000/XXXX"), { expect: /Slack/ }),
        ],
    },
    "github-production-has-branch-policies": {
        pass: [{ title: "production with main", resources: [env(), branchPolicy("main", "production", true)] }, { title: "protected-branches mode needs no policy", resources: [env({ deploymentBranchPolicy: { customBranchPolicies: false, protectedBranches: true } })] }],
        fail: [{ title: "custom policies but none defined", resources: [env()], expect: /has no github:index\/repositoryEnvironmentDeploymentPolicy/ }],
    },
};
