/**
 * The estate's numeric and naming limits, in one place: read by the config schema (config/), the
 * components (components/) and the policy pack (policy/), so a limit the config accepts is exactly the
 * limit the pack enforces. Pure constants and pure functions only (the pack imports this file).
 */

/**
 * KMS keys rotate every 90 days (the guide's rule, seed 004). AWS accepts 90–2560 days for
 * `RotationPeriodInDays` (https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html),
 * so 90 is both AWS's minimum and our maximum: the only value config and pack accept.
 */
export const ROTATION_DAYS = 90;

/** Human (break-glass, admin) role sessions end within the hour (seed 004); also AWS's default maximum. */
export const MAX_SESSION_SECONDS = 3600;

/** MFA for a human role must be fresh: within the last 5 minutes (seed 004). */
export const MAX_MFA_AGE_SECONDS = 300;

/** Prod keys keep the longest window AWS allows to cancel a scheduled deletion (7–30 days). */
export const PROD_DELETION_WINDOW_DAYS = 30;

/**
 * A Slack channel name as Alertmanager's `channel:` and the Chatbot mapping take it: `#`, then
 * lower-case letters, digits, `-`, `_` or `.` (Slack's channel-name rules:
 * https://slack.com/help/articles/201402297-Create-a-channel — up to 80 characters).
 */
export const SLACK_CHANNEL = /^#[a-z0-9][a-z0-9._-]{0,79}$/;

/** The SNS topic of an alert receiver: `<namePrefix>-<receiver>` (one builder for every component). */
export function topicName(namePrefix: string, receiver: string): string {
    return `${namePrefix}-${receiver}`;
}

/** A KMS key's logical-name part: its config name with `/` as `-` (`ledger-mind/prod/x` → `ledger-mind-prod-x`). */
export function keySlug(name: string): string {
    return name.replace(/\//g, "-");
}

/** A KMS key's alias from its config name (`alias/ledger-mind/prod/x`): runbooks and workflows address keys by it. */
export function keyAlias(name: string): string {
    return `alias/${name}`;
}

/** A name reduced to `a-z0-9-` for logical names and configuration names (`#security-ops` → `security-ops`). */
export function slug(s: string): string {
    return s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

/**
 * The most a basic role may get on the folder: Grafana's own defaults (Viewer: View, Editor: Edit;
 * https://grafana.com/docs/grafana/latest/administration/roles-and-permissions/#folder-permissions).
 * Admin on a folder lets its holder change its permissions, so granting it to a basic role would let
 * every user of that role rewrite who sees the audit view.
 */
export const BASIC_ROLE_CEILING: Readonly<Record<string, readonly string[]>> = { Viewer: ["View"], Editor: ["View", "Edit"] };

/**
 * Whether a GitHub deployment branch/tag pattern names refs rather than matching (nearly) all of
 * them. GitHub evaluates these patterns with Ruby's File.fnmatch
 * (https://docs.github.com/en/actions/deployment/targeting-different-environments/managing-environments-for-deployment#deployment-branches-and-tags):
 * `*`, `?`, `[...]` and `{a,b}` are wildcards, so `[a-z]*`, `?*`, `{main,*}` are wildcards in
 * disguise. A pinned pattern is a literal ref name, or a literal directory or a literal prefix ending
 * at a separator (`release/*`, `release/v[0-9]*`, `hotfix-*`, `v1.*`) then wildcards: whoever may push refs under that prefix is the
 * protection boundary. A bare letter prefix (`m*`) is not a boundary: it matches `main` and `mine`.
 */
export function isPinnedRefPattern(pattern: string): boolean {
    if (pattern.trim() === "") return false;
    const meta = pattern.search(/[*?[\]{}\\]/);
    if (meta === -1) return true;
    const prefix = pattern.slice(0, meta);
    // A literal directory (`release/…`) or a literal prefix ending at a separator (`hotfix-`, `v1.`).
    const bounded = /^[A-Za-z0-9][^*?[\]{}\\]*[/._-]$/.test(prefix) || /^[A-Za-z0-9][^/]*\//.test(prefix);
    return bounded && !prefix.split("/").some((seg) => seg === "." || seg === "..");
}
