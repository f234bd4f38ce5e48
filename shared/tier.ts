/**
 * Production is told from the stack name, the one fact both the CLI's analyzer and the offline plan
 * share: `prod`, `production`, or either as a dash/dot/underscore-separated part (`prod-eu`, `eu.prod`).
 * Used by the config's tier check (config/tier.ts) and the policy pack (policy/rule.ts).
 */
export function isProductionStack(stack: string): boolean {
    return /(^|[-_.])prod(uction)?($|[-_.])/i.test(stack);
}
