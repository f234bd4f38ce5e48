import * as pulumi from "@pulumi/pulumi";
import { awsCalls, awsResources, genericAws } from "./aws";
import { CallMock, MockContext, MockState, ResourceMock } from "./context";
import { gcpCalls, gcpResources, genericGcp } from "./gcp";
import { githubCalls, githubResources } from "./github";
import { grafanaCalls, grafanaResources } from "./grafana";

export type { MockContext } from "./context";

const resources: Record<string, ResourceMock> = { ...awsResources, ...gcpResources, ...githubResources, ...grafanaResources };
const calls: Record<string, CallMock> = { ...awsCalls, ...gcpCalls, ...githubCalls, ...grafanaCalls };

/** Overrides for one evaluation (tests): e.g. a lookup that fails for a name that does not exist. */
export interface MockOverrides {
    readonly calls?: Readonly<Record<string, CallMock>>;
}

/**
 * Pulumi mocks that return realistic, deterministic ids and ARNs per type, so that wiring between
 * resources (an ARN in a policy, a writer identity in a grant) shows in the plan.
 */
export function createMocks(ctx: MockContext, overrides: MockOverrides = {}): pulumi.runtime.Mocks {
    return {
        newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
            const r = { type: args.type, name: args.name, inputs: (args.inputs ?? {}) as Record<string, unknown> };
            const mock = resources[args.type];
            let result: MockState;
            if (mock) result = mock(r, ctx);
            else if (args.type.startsWith("aws:")) result = genericAws(r, ctx);
            else if (args.type.startsWith("gcp:")) result = genericGcp(r, ctx);
            else result = { id: args.name, state: {} };
            return { id: result.id, state: { ...r.inputs, ...result.state } };
        },
        call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
            const fn = overrides.calls?.[args.token] ?? calls[args.token];
            if (!fn) throw new Error(`no offline mock for the call ${args.token}: add one in tools/mocks/`);
            return fn(args.inputs as Record<string, unknown>, ctx);
        },
    };
}
