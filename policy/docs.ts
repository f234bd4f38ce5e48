import * as fs from "fs";
import * as path from "path";
import { Rule } from "./rule";
import { RULE_GROUPS, RULES } from "./rules";

const INTRO = `# Policy pack \`kms-observability\`

<!-- Generated from the rules in policy/ by \`node tools/build.js && node dist/policy/docs.js\`; a test fails when this file and the rules disagree. -->

Mandatory guarantees checked on every resource the program registers, in two places that run the
same rule functions:

- **Pulumi CLI**: \`pulumi preview --policy-pack policy\` (and \`pulumi up --policy-pack policy\`) from the
  repository root. \`policy/\` is a Node.js policy pack (\`PulumiPolicy.yaml\`, \`package.json\`,
  \`index.ts\`); it resolves \`@pulumi/policy\` from the repository's \`node_modules\` (run \`npm ci\` first).
- **Offline plan**: \`npm run plan -- --stack <name>\` writes the violations to \`plan.json\`
  (\`policy.violations\`) and exits with code 3 when any is mandatory, listing them on stderr.

Every rule is \`mandatory\`. Production rules apply when the stack name is \`prod\` or \`production\`,
alone or as a dash/dot/underscore-separated part (\`prod-eu\`): the stack name is the one fact both
runtimes share. Rules marked *plan only* need a fact the policy SDK does not expose to packs (the
analyzer protocol has no \`retainOnDelete\`; stack validations get outputs, which providers fill in,
not inputs): the pack reports them "not applicable" and the offline plan enforces them. Secrets are
visible to the pack too: \`policy/pack-secrets.ts\` keeps the SDK's secret markers for validation.
A rule that reads a value unknown during preview is skipped with an advisory note, in both runtimes.

Rules marked *identity* need the stack's own AWS account and GitHub owner. The offline plan reads them
from the stack file (\`kms-observability:aws.accountId\`, \`github:owner\`); no stack config reaches a
policy pack, so under the CLI pass them as policy config, else those rules report "not applicable":

\`\`\`sh
echo '{"aws-kms-policy-root-own-account":{"awsAccountId":"123456789012","githubOwner":"ledger-mind"},
  "aws-iam-github-oidc-sub-own-owner":{"awsAccountId":"123456789012","githubOwner":"ledger-mind"}}' > policy-config.json
pulumi preview --policy-pack policy --policy-pack-config policy-config.json
\`\`\`

Exit-3 messages of the offline plan name the stack file and config key the violating resource comes
from (\`tools/violation-source.ts\`).

Each rule has passing and failing fixtures in \`test/policy/cases/\`, run through the pack adapter and
the offline evaluator alike (\`test/policy/rules.test.ts\`).
`;

const code = (s: string) => `\`${s}\``;
const cell = (s: string) => s.replace(/\|/g, "\\|");

function row(rule: Rule): string {
    const scope = rule.kind === "stack" ? "stack" : "resource";
    const planOnly = (rule.requires ?? []).filter((r) => r !== "identity" && r !== "secrets");
    const runs = planOnly.length ? `plan only (${planOnly.join(", ")})` : rule.requires?.includes("identity") ? "pack (with identity config) and plan" : "pack and plan";
    return `| ${code(rule.name)} | ${scope} | ${rule.types.map(code).join("<br>")} | ${cell(rule.description)} | ${runs} |`;
}

/** docs/policy.md, from the rules themselves. */
export function renderPolicyDoc(): string {
    const sections = RULE_GROUPS.map((g) => [
        `## ${g.title} (${g.rules.length})`,
        "",
        "| Rule | Checks | Resource types | Requirement | Runs in |",
        "| --- | --- | --- | --- | --- |",
        ...g.rules.map(row),
    ].join("\n"));
    return `${INTRO}\n${RULES.length} rules.\n\n${sections.join("\n\n")}\n`;
}

/** Where the document lives, relative to the repository root. */
export const POLICY_DOC = path.join("docs", "policy.md");

if (require.main === module) {
    const root = path.resolve(__dirname, "..", "..");
    fs.writeFileSync(path.join(root, POLICY_DOC), renderPolicyDoc());
    process.stdout.write(`wrote ${POLICY_DOC} (${RULES.length} rules)\n`);
}
