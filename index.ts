import { loadSettings } from "./config/pulumi";

/**
 * The whole program: validated settings in, components composed, typed stack outputs out. Pulumi
 * calls the exported function and publishes what it returns as the stack outputs.
 */
export = function kmsObservability() {
    const settings = loadSettings();
    return {
        environment: settings.environment,
    };
};
