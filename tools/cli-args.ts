/**
 * The flag syntax every `npm run <tool>` CLI shares: `--flag value` or `--flag=value`, each flag
 * known, each value non-empty. Bad arguments are a UsageError, which every tool maps to exit 2.
 */
export class UsageError extends Error {}

/** Parses `argv` into the fields `flags` maps each flag to; `usage` ends every error message. */
export function parseFlags<T extends object>(argv: readonly string[], flags: Readonly<Record<string, keyof T>>, usage: string): Partial<Record<keyof T, string>> {
    const args: Partial<Record<keyof T, string>> = {};
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].split(/=(.*)/s, 2);
        const key = Object.prototype.hasOwnProperty.call(flags, flag) ? flags[flag] : undefined;
        if (key === undefined) throw new UsageError(`unknown argument ${argv[i]}\n${usage}`);
        const value = inline ?? argv[++i];
        if (value === undefined || value === "") throw new UsageError(`${flag} needs a value\n${usage}`);
        args[key] = value;
    }
    return args;
}
