import { createHash } from "crypto";

/** What mocks need to know about the stack to return realistic ids, ARNs and names. */
export interface MockContext {
    readonly awsRegion: string;
    readonly awsAccountId: string;
    readonly gcpProject: string;
    readonly gcpProjectNumber: string;
    readonly grafanaUrl: string;
    readonly githubOwner: string;
    /**
     * Team slugs with access to the stack's repositories, as a well-configured organization has them
     * (the configured reviewer teams). Default none.
     */
    readonly githubTeamsWithAccess?: readonly string[];
}

export interface MockResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
}

/** Outputs a mock adds to a resource's inputs, and the id it returns. */
export interface MockState {
    readonly id: string;
    readonly state: Record<string, unknown>;
}

export type ResourceMock = (r: MockResource, ctx: MockContext) => MockState;
export type CallMock = (args: Record<string, unknown>, ctx: MockContext) => Record<string, unknown>;

/** Deterministic hex digest of the parts: the same stack always gets the same ids. */
export function digest(...parts: string[]): string {
    return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

/** A deterministic UUID-shaped id (KMS key ids, AMP workspace ids). */
export function uuidOf(...parts: string[]): string {
    const h = digest(...parts);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A deterministic decimal id of `len` digits (GitHub ids, GCP project numbers). */
export function numericId(len: number, ...parts: string[]): string {
    const n = BigInt(`0x${digest(...parts).slice(0, 15)}`) % 10n ** BigInt(len - 1);
    return `${1 + Number(BigInt(len) % 9n)}${n.toString().padStart(len - 1, "0")}`;
}

/** The `name` input if the program set one, else the logical name. */
export function physicalName(r: MockResource): string {
    return typeof r.inputs.name === "string" ? r.inputs.name : r.name;
}
