import { ROTATION_DAYS, PROD_DELETION_WINDOW_DAYS as DELETION_WINDOW } from "../shared/limits";
import { Statement, accountOf, checkDocument, conditionValues, coversAction, describePrincipals, grantsAll, isRootPrincipal } from "./iam-document";
import { PRINCIPAL_EXEMPTION_OPS, exemptions, isMfaDeny, mfaDenyGaps } from "./mfa-deny";
import { Finding, PolicyResource, Rule, resourceRule, stackRule } from "./rule";
import { asNumber, isTrue, show } from "./values";

export const KMS_KEY = "aws:kms/key:Key";
export const KMS_KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy";
export const KMS_ALIAS = "aws:kms/alias:Alias";
/** Resources that carry a key policy in `policy`. */
const POLICY_HOLDERS = [KMS_KEY, KMS_KEY_POLICY];

/** The longest rotation period security accepts (seed 004: 90-day cadence; shared/limits.ts). */
export const MAX_ROTATION_DAYS = ROTATION_DAYS;
/** Prod keys keep the longest window AWS allows to cancel a scheduled deletion (shared/limits.ts). */
export const PROD_DELETION_WINDOW_DAYS = DELETION_WINDOW;
/** Tag naming the generation of a key rotated by generations (components/aws/kms.ts). */
export const GENERATION_TAG = "kms-generation";
/** Actions that must need MFA (except for the deployer): changing who controls the key, or losing it. */
export const MFA_GUARDED_ACTIONS = ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey"];

/**
 * Runs `check` over the statements of the key policy in `r.props.policy`; a key without an inline
 * policy is judged through its KeyPolicy resource instead (see aws-kms-key-policy-explicit).
 */
const onKeyPolicy = (r: PolicyResource, check: (statements: readonly Statement[]) => string[]) => checkDocument(r.props.policy, "the key policy", check);

/** The statement's principals are account roots only. */
const rootOnly = (st: Statement) => st.principals.aws.length > 0 && st.principals.aws.every(isRootPrincipal) &&
    st.principals.service.length + st.principals.federated.length === 0 && !st.notPrincipal;

export const awsKmsRules: Rule[] = [
    resourceRule({
        name: "aws-kms-key-rotation",
        description: `Symmetric encryption KMS keys rotate automatically, at most every ${MAX_ROTATION_DAYS} days (enableKeyRotation, rotationPeriodInDays); ` +
            `signing and HMAC keys, which AWS cannot rotate, ask for no automatic rotation and are a generation (tag ${GENERATION_TAG}) behind a stable alias.`,
        types: [KMS_KEY],
        check: (r) => {
            const out: string[] = [];
            // AWS rotates only SYMMETRIC_DEFAULT keys; EnableKeyRotation fails on the others
            // (https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html).
            const spec = r.props.customerMasterKeySpec ?? r.props.keySpec ?? "SYMMETRIC_DEFAULT";
            if (spec !== "SYMMETRIC_DEFAULT") {
                if (isTrue(r.props.enableKeyRotation)) out.push(`enableKeyRotation = true on a ${show(spec)} key: AWS rotates only symmetric encryption keys and rejects it at apply`);
                if (r.props.rotationPeriodInDays !== undefined) out.push(`rotationPeriodInDays is set on a ${show(spec)} key, which AWS cannot rotate; remove it`);
                const tags = (r.props.tags ?? {}) as Record<string, unknown>;
                if (typeof tags[GENERATION_TAG] !== "string") out.push(`a ${show(spec)} key rotates by generations: tag it ${GENERATION_TAG} (its generation id) behind a stable alias`);
                return out;
            }
            if (!isTrue(r.props.enableKeyRotation)) out.push(`automatic rotation is off (enableKeyRotation = ${show(r.props.enableKeyRotation)}); set it to true`);
            const days = asNumber(r.props.rotationPeriodInDays);
            if (days === undefined) out.push(`rotationPeriodInDays is unset, which rotates yearly; set it to ${MAX_ROTATION_DAYS}`);
            else if (days > MAX_ROTATION_DAYS) out.push(`rotationPeriodInDays = ${days}: must be at most ${MAX_ROTATION_DAYS}`);
            return out;
        },
    }),
    resourceRule({
        name: "aws-kms-deletion-window-prod",
        description: `In production, KMS keys keep the full ${PROD_DELETION_WINDOW_DAYS}-day deletion window (deletionWindowInDays), the time to cancel a mistaken deletion.`,
        types: [KMS_KEY],
        check: (r, ctx) => {
            // AWS's default window is 30 days, so an unset value complies.
            const days = asNumber(r.props.deletionWindowInDays) ?? PROD_DELETION_WINDOW_DAYS;
            return ctx.production && days !== PROD_DELETION_WINDOW_DAYS
                ? [`deletionWindowInDays = ${days} in production stack ${ctx.stack}: must be ${PROD_DELETION_WINDOW_DAYS}`]
                : [];
        },
    }),
    resourceRule({
        name: "aws-kms-lockout-safety-check",
        description: "Key policies never bypass AWS's lockout safety check (bypassPolicyLockoutSafetyCheck).",
        types: POLICY_HOLDERS,
        check: (r) => (isTrue(r.props.bypassPolicyLockoutSafetyCheck)
            ? ["bypassPolicyLockoutSafetyCheck = true lets a policy lock every principal out of the key; remove it"] : []),
    }),
    resourceRule({
        name: "aws-kms-policy-no-wildcard-principal",
        description: "Key policy Allow statements name their principals: no `*` principal, no NotPrincipal.",
        types: POLICY_HOLDERS,
        check: (r) => onKeyPolicy(r, (sts) => sts.filter((st) => st.effect === "Allow" && (st.principals.wildcard || st.notPrincipal))
            .map((st) => `statement ${st.id} allows ${st.notPrincipal ? "everyone but NotPrincipal" : `a wildcard principal (${describePrincipals(st)})`}`)),
    }),
    resourceRule({
        name: "aws-kms-policy-kms-star-root-only",
        description: "Only the account root is granted `kms:*` (or `*`, or NotAction) in a key policy; roles get the actions they use.",
        types: POLICY_HOLDERS,
        check: (r) => onKeyPolicy(r, (sts) => sts
            .filter((st) => st.effect === "Allow" && grantsAll(st, "kms") && !rootOnly(st))
            .map((st) => `statement ${st.id} grants all KMS actions (${st.notAction ? "NotAction" : st.actions.join(", ")}) to ${describePrincipals(st)}; only the account root may have kms:*`)),
    }),
    resourceRule({
        name: "aws-kms-policy-root-own-account",
        description: "Key policies allow the root of the stack's own AWS account only (another account's root would hand the key to every identity of that account), and MFA Denies exempt only roles of that account.",
        types: POLICY_HOLDERS,
        requires: ["identity"],
        check: (r, ctx) => onKeyPolicy(r, (sts) => {
            const own = ctx.identity?.awsAccountId;
            const roots = sts.filter((st) => st.effect === "Allow").flatMap((st) => st.principals.aws.filter((p) => isRootPrincipal(p) && accountOf(p) !== own)
                .map((p) => `statement ${st.id} allows ${p}, the root of another account; only arn:aws:iam::${own}:root may appear`));
            const exempt = sts.filter(isMfaDeny).flatMap((st) => exemptions(st).filter((e) => accountOf(e) !== own)
                .map((e) => `MFA Deny statement ${st.id} exempts ${e}, outside the stack's account ${own}`));
            return [...roots, ...exempt];
        }),
    }),
    resourceRule({
        name: "aws-kms-policy-root-access",
        description: "Every key policy lets the account root manage the key (kms:PutKeyPolicy), so IAM can always recover it.",
        types: POLICY_HOLDERS,
        check: (r) => onKeyPolicy(r, (sts) => sts.some((st) => st.effect === "Allow" && st.principals.aws.some(isRootPrincipal) &&
            coversAction(st, "kms:PutKeyPolicy"))
            ? [] : ["no Allow statement for the account root covering kms:PutKeyPolicy: the key could become unmanageable"]),
    }),
    resourceRule({
        name: "aws-kms-policy-mfa-deny",
        description: `Key policies deny ${MFA_GUARDED_ACTIONS.join(", ")} without MFA (Bool aws:MultiFactorAuthPresent = false).`,
        types: POLICY_HOLDERS,
        check: (r) => onKeyPolicy(r, (sts) => {
            // A Deny counts only if it binds everyone granted the action (policy/mfa-deny.ts).
            const denies = sts.filter(isMfaDeny).map((st) => ({ st, gaps: mfaDenyGaps(st, sts, MFA_GUARDED_ACTIONS) }));
            const missing = MFA_GUARDED_ACTIONS.filter((a) => !denies.some((d) => d.gaps.length === 0 && coversAction(d.st, a)));
            return missing.length ? [`no binding Deny without MFA for ${missing.join(", ")}`, ...new Set(denies.flatMap((d) => d.gaps))] : [];
        }),
    }),
    resourceRule({
        name: "aws-kms-policy-mfa-deny-exempts-deployer",
        description: "Each MFA Deny in a key policy exempts named principals (the deployer, which cannot do MFA) by aws:PrincipalArn, so the stack can still update its own keys.",
        types: POLICY_HOLDERS,
        check: (r) => onKeyPolicy(r, (sts) => sts.filter(isMfaDeny)
            .filter((st) => !st.notPrincipal && !PRINCIPAL_EXEMPTION_OPS.some((op) => (conditionValues(st, op, "aws:PrincipalArn") ?? []).length > 0))
            .map((st) => `MFA Deny statement ${st.id} exempts no principal (aws:PrincipalArn): it would lock the deployer out of the key policy`)),
    }),
    resourceRule({
        name: "aws-kms-policy-grants-for-aws-resources",
        description: "Key policy statements that allow kms:CreateGrant (other than root's) require kms:GrantIsForAWSResource = true.",
        types: POLICY_HOLDERS,
        check: (r) => onKeyPolicy(r, (sts) => sts
            .filter((st) => st.effect === "Allow" && coversAction(st, "kms:CreateGrant") && !rootOnly(st))
            .filter((st) => !(conditionValues(st, "Bool", "kms:GrantIsForAWSResource") ?? []).includes("true"))
            .map((st) => `statement ${st.id} allows kms:CreateGrant to ${describePrincipals(st)} without kms:GrantIsForAWSResource = true`)),
    }),
    resourceRule({
        name: "aws-kms-alias-not-reserved",
        description: "Aliases are `alias/<name>` and never under the AWS-reserved `alias/aws/` prefix.",
        types: [KMS_ALIAS],
        check: (r) => {
            const name = r.props.name ?? r.props.namePrefix;
            if (typeof name !== "string") return ["the alias has no name: set `alias/<name>` so runbooks can address the key"];
            if (!name.startsWith("alias/")) return [`alias ${show(name)} must start with alias/`];
            return name.startsWith("alias/aws/") ? [`alias ${show(name)} is under alias/aws/, reserved for AWS managed keys`] : [];
        },
    }),
    stackRule({
        name: "aws-kms-key-has-alias",
        description: "Every KMS key has an alias (runbooks and workflows address keys by alias, not id).",
        types: [KMS_KEY, KMS_ALIAS],
        check: (resources) => keysWithout(resources, KMS_ALIAS, "has no alias (aws:kms/alias:Alias targeting it)"),
    }),
    stackRule({
        name: "aws-kms-key-policy-explicit",
        description: "Every KMS key has an explicit key policy (its `policy` or an aws:kms/keyPolicy:KeyPolicy), never AWS's default policy.",
        types: [KMS_KEY, KMS_KEY_POLICY],
        // After apply a key's `policy` output always holds a policy (AWS's default if none was set).
        requires: ["stackInputs"],
        check: (resources) => keysWithout(resources, KMS_KEY_POLICY, "has no key policy: AWS would apply its default policy")
            // `in`, not a read: a policy that is set but unknown during preview still counts as explicit.
            .filter((f) => !("policy" in (resources.find((r) => r.urn === f.urn)?.props ?? {}))),
    }),
];

/** Findings for KMS keys that no resource of `type` depends on. */
function keysWithout(resources: readonly PolicyResource[], type: string, what: string): Finding[] {
    const referenced = new Set(resources.filter((r) => r.type === type).flatMap((r) => r.dependsOn));
    return resources.filter((r) => r.type === KMS_KEY && !referenced.has(r.urn))
        .map((r) => ({ urn: r.urn, message: `KMS key ${r.name} ${what}` }));
}
