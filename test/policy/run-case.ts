import type { PolicyResource as SdkResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { evaluatePolicies, offlineContext } from "../../policy/evaluate";
import { toPolicies } from "../../policy/pack";
import { Rule } from "../../policy/rule";
import { PlanResource } from "../../tools/engine";
import { Case } from "./cases/types";

const PROJECT = "kms-observability";

/** A case's resources as the offline plan records them (URNs in the case's stack, plus the Stack). */
export function planResources(c: Case): PlanResource[] {
    const stack = c.stack ?? "staging";
    const urn = (type: string, name: string) => `urn:pulumi:${stack}::${PROJECT}::${type}::${name}`;
    const stackUrn = urn("pulumi:pulumi:Stack", `${PROJECT}-${stack}`);
    const named = c.resources.map((r, i) => ({ r, name: r.name ?? `${r.type.split(":").pop()}-${i}` }));
    const byName = new Map(named.map(({ r, name }) => [name, urn(r.type, name)]));
    const resources = named.map(({ r, name }): PlanResource => ({
        urn: urn(r.type, name), type: r.type, name, parent: stackUrn,
        protect: r.protect ?? false, retainOnDelete: r.retainOnDelete ?? false, provider: null,
        dependsOn: (r.dependsOn ?? []).map((d) => {
            const u = byName.get(d);
            if (!u) throw new Error(`case "${c.title}": dependsOn names ${d}, which is not in the case`);
            return u;
        }),
        // As the engine delivers them: plain JSON, absent keys rather than undefined.
        inputs: JSON.parse(JSON.stringify(r.props)) as Record<string, unknown>,
    }));
    return [{ urn: stackUrn, type: "pulumi:pulumi:Stack", name: `${PROJECT}-${stack}`, parent: null, protect: false, retainOnDelete: false, dependsOn: [], provider: null, inputs: {} }, ...resources];
}

/** The identity of the fixtures' stack: the account and GitHub owner the cases are written for. */
export const FIXTURE_IDENTITY = { awsAccountId: "123456789012", githubOwner: "ledger-mind" } as const;

/** What one rule reports for a case through the offline plan's evaluator. */
export function offlineMessages(rule: Rule, c: Case): { level: string; message: string }[] {
    return evaluatePolicies(planResources(c), offlineContext(c.stack ?? "staging", FIXTURE_IDENTITY), [rule]).map((v) => ({ level: v.level, message: v.message }));
}

class NotApplicable extends Error {}

/** What one rule reports for a case through the @pulumi/policy adapter, or "not applicable". */
export function packMessages(rule: Rule, c: Case): string[] | "not applicable" {
    const [policy] = toPolicies([rule]);
    const resources = planResources(c);
    const notApplicable = (reason?: string): never => {
        throw new NotApplicable(reason);
    };
    const common = { stackTags: new Map<string, string>(), getConfig: <T extends object>() => ({}) as T, notApplicable };
    const opts = (r: PlanResource) => ({ protect: r.protect, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 } });
    const messages: string[] = [];
    const report = (message: string) => {
        messages.push(message);
    };
    try {
        if ("validateStack" in policy) {
            const sdk: SdkResource[] = resources.map((r) => ({
                type: r.type, props: r.inputs, urn: r.urn, name: r.name, opts: opts(r), dependencies: [], propertyDependencies: {},
                isType: () => false, asType: () => undefined,
            }));
            sdk.forEach((s, i) => { s.dependencies = resources[i].dependsOn.map((u) => sdk.find((x) => x.urn === u)!); });
            const args: StackValidationArgs = { resources: sdk, ...common };
            void policy.validateStack(args, report);
        } else {
            for (const r of resources) {
                const args: ResourceValidationArgs = {
                    type: r.type, props: r.inputs, urn: r.urn, name: r.name, opts: opts(r), ...common,
                    isType: () => false, asType: () => undefined,
                };
                const validate = policy.validateResource;
                for (const v of Array.isArray(validate) ? validate : validate ? [validate] : []) void v(args, report);
            }
        }
    } catch (e) {
        if (e instanceof NotApplicable) return "not applicable";
        throw e;
    }
    return messages;
}
