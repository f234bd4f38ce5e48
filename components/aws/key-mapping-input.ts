import * as pulumi from "@pulumi/pulumi";
import type { KeyMappingEntry } from "../../contract/key-mapping";

/**
 * The CEK↔CMK mapping as components take it: an entry per key name, each its own input. A resource
 * about one key reads that key's entry alone, so it depends on that key's resources only: built
 * from one Output of the whole mapping, every per-key rule, target and filter would depend on every
 * key (keys² dependencies in the engine's state, and each waits for all keys to be created).
 * A plain KeyMapping (contract/key-mapping.ts) is one.
 */
export type KeyMappingInput = Readonly<Record<string, pulumi.Input<KeyMappingEntry>>>;

/** One key's entry; a key without one is a wiring mistake, reported with its name. */
export function mappingEntry(mapping: KeyMappingInput, keyName: string): pulumi.Output<KeyMappingEntry> {
    const entry = mapping[keyName];
    if (entry === undefined) throw new Error(`the key mapping has no entry for ${keyName} (entries: ${Object.keys(mapping).join(", ") || "none"})`);
    return pulumi.output(entry) as pulumi.Output<KeyMappingEntry>;
}
