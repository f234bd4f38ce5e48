import type * as iam from "@pulumi/aws/iam";

/**
 * IAM policy documents as plain data. Builders in this folder take plain values (ARNs, names) and
 * return these documents; components serialise them with `JSON.stringify` once every ARN is known.
 *
 * The types are `aws.iam.PolicyDocument` / `aws.iam.PolicyStatement` from @pulumi/aws (type-only
 * import: nothing of the SDK is loaded), narrowed by `extends`, so the compiler holds every document
 * built here to the SDK's shape. Narrowed because the builders return resolved, canonical data that
 * other builders and the tests read back: the SDK's fields are `pulumi.Input`s (possibly a Promise or
 * Output), take a string or an array, and leave `Sid` and `Action` optional.
 */

/** `operator -> condition key -> value(s)`, e.g. `{ Bool: { "aws:MultiFactorAuthPresent": "true" } }`. */
export type Conditions = Record<string, Record<string, string | string[]>>;

/** One kind of principal per statement (the SDK's `AWSPrincipal` or `ServicePrincipal`), always a list. */
export type Principal =
    | (iam.AWSPrincipal & { readonly AWS: string[]; readonly Service?: never })
    | (iam.ServicePrincipal & { readonly Service: string[]; readonly AWS?: never });

export interface PolicyStatement extends iam.PolicyStatement {
    readonly Sid: string;
    readonly Effect: "Allow" | "Deny";
    /** Absent in identity (inline) policies; never `"*"` in this project. */
    readonly Principal?: Principal;
    readonly Action: string[];
    /** Absent in trust policies (the role is the resource). */
    readonly Resource?: string | string[];
    readonly Condition?: Conditions;
}

export interface PolicyDocument extends iam.PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: PolicyStatement[];
}

/** A document from statements; `undefined` entries (optional statements not wanted) are dropped. */
export function policyDocument(...statements: (PolicyStatement | undefined)[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: statements.filter((s): s is PolicyStatement => s !== undefined) };
}

/** Where an ARN is built: partition, region and account. */
export interface ArnContext {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
}

/** The ARN partition of a region (`aws`, `aws-us-gov` or `aws-cn`). */
export function partitionOf(region: string): string {
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    if (region.startsWith("cn-")) return "aws-cn";
    return "aws";
}

/** The ARN context of a stack: its `aws:region` and configured account. */
export const arnContext = (region: string, accountId: string): ArnContext => ({ partition: partitionOf(region), region, accountId });

/** The account principal: in a key policy it means "IAM policies of this account decide". */
export const accountRoot = (ctx: Pick<ArnContext, "partition" | "accountId">): string =>
    `arn:${ctx.partition}:iam::${ctx.accountId}:root`;

/** ARN of a regional resource of this account, e.g. `arn(ctx, "sns", "ledgermind-prod-kms-critical")`. */
export const regionalArn = (ctx: ArnContext, service: string, resource: string): string =>
    `arn:${ctx.partition}:${service}:${ctx.region}:${ctx.accountId}:${resource}`;

/** Sorted, de-duplicated: stable documents, no diff when config lists the same ARN twice. */
export const uniqueSorted = (values: readonly string[]): string[] => [...new Set(values)].sort();
