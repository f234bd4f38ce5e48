/**
 * Whether a key policy's MFA Deny really binds the principals it claims to guard. A Deny with an
 * MFA condition is easy to write so that it matches nothing: a Principal that is not the account
 * (or `*`), a Resource other than `*` (in a key policy `*` means "this key";
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html), an extra
 * condition, `Bool` instead of `BoolIfExists` (the key is absent for long-term access keys, so a
 * `Bool … false` test never matches them:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent),
 * or an exemption that is a wildcard (`arn:aws:iam::*:*` exempts everyone).
 * An account principal in a resource policy stands for every IAM identity of that account
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts),
 * so a Deny naming the account root binds them all.
 */
import { Statement, accountOf, conditionValues, coversAction, isRootPrincipal } from "./iam-document";

/** Condition operators an MFA Deny may use to exempt named principals (the deployer). */
export const PRINCIPAL_EXEMPTION_OPS = ["ArnNotLike", "ArnNotEquals", "StringNotLike", "StringNotEquals"];
const MFA_KEY = "aws:multifactorauthpresent";
const PRINCIPAL_ARN = "aws:principalarn";
/** Exempt principals are named roles or users (deployers, config/aws.ts): no wildcard anywhere in the ARN. */
const EXACT_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;
/**
 * The one bounded wildcard: an IAM Identity Center permission set's role, whose name AWS suffixes with
 * a random id (`AWSReservedSSO_<PermissionSet>_<id>`), so only `..._*` after a fixed set name can name it
 * (https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html).
 */
const SSO_PERMISSION_SET_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/aws-reserved\/sso\.amazonaws\.com\/(?:[a-z0-9-]+\/)?AWSReservedSSO_[\w+=,.@-]+_\*$/;

/** A Deny that tests aws:MultiFactorAuthPresent = false (however well it binds). */
export const isMfaDeny = (st: Statement): boolean =>
    st.effect === "Deny" && (conditionValues(st, "Bool", "aws:MultiFactorAuthPresent") ?? []).some((v) => v === "false");

/** The principals an exemption names (aws:PrincipalArn under a negated operator). */
export const exemptions = (st: Statement): string[] =>
    PRINCIPAL_EXEMPTION_OPS.flatMap((op) => conditionValues(st, op, "aws:PrincipalArn") ?? []);

/** Whether the Deny's Principal covers `p` (a principal some Allow statement grants a guarded action). */
function binds(deny: Statement, p: string): boolean {
    const named = deny.principals.aws;
    if (named.includes("*")) return true;
    if (named.includes(p)) return true;
    const account = accountOf(p);
    return account !== undefined && named.some((n) => isRootPrincipal(n) && accountOf(n) === account);
}

/**
 * Why an MFA Deny does not bind what it guards (empty when it does). `guarded` are the actions it
 * must stop; the Allow statements of the same policy say who has them.
 */
export function mfaDenyGaps(deny: Statement, all: readonly Statement[], guarded: readonly string[]): string[] {
    const out: string[] = [];
    const id = `MFA Deny statement ${deny.id}`;
    if (deny.notPrincipal) out.push(`${id} uses NotPrincipal`);
    if (deny.notResource || !deny.resources.includes("*")) out.push(`${id} has Resource ${JSON.stringify(deny.resources)}${deny.notResource ? " (NotResource)" : ""}: it must be "*" (this key) to apply`);
    if (!deny.conditions.BoolIfExists?.[MFA_KEY]?.includes("false")) {
        out.push(`${id} tests aws:MultiFactorAuthPresent with Bool: requests signed with long-term keys carry no such key and escape it; use BoolIfExists`);
    }
    const extra = Object.entries(deny.conditions).flatMap(([op, block]) => Object.keys(block)
        .filter((k) => !((op === "Bool" || op === "BoolIfExists") && k === MFA_KEY) &&
            !(PRINCIPAL_EXEMPTION_OPS.some((e) => op === e || op === `${e}IfExists`) && k === PRINCIPAL_ARN))
        .map((k) => `${op} ${k}`));
    if (extra.length) out.push(`${id} has extra condition(s) ${extra.join(", ")} that can make it match nothing`);
    for (const e of exemptions(deny)) {
        // (That an exempt role is in the stack's own account is aws-kms-policy-root-own-account's check.)
        if (!EXACT_ROLE_ARN.test(e) && !SSO_PERMISSION_SET_ARN.test(e)) out.push(`${id} exempts ${JSON.stringify(e)}: exemptions must be exact role or user ARNs (no wildcards)`);
    }
    // Everyone an Allow statement gives a guarded action must fall under the Deny and not be exempt.
    const claimed = new Set(all.filter((st) => st.effect === "Allow" && guarded.some((a) => coversAction(st, a) && coversAction(deny, a)))
        .flatMap((st) => [...st.principals.aws, ...st.principals.service.map((s) => `Service:${s}`), ...st.principals.federated.map((f) => `Federated:${f}`)]));
    const exempt = new Set(exemptions(deny));
    for (const p of claimed) {
        if (!binds(deny, p)) out.push(`${id} does not apply to ${p}, which is granted a guarded action`);
        else if (exempt.has(p)) out.push(`${id} exempts ${p}, which is granted a guarded action explicitly`);
    }
    return out;
}
