import * as pulumi from "@pulumi/pulumi";

/**
 * A configuration value that was set with `pulumi config set --secret`. It never prints its value
 * (errors, logs, JSON) and reaches resources only as a secret Output.
 */
export class SecretValue {
    readonly #value: string;

    constructor(readonly key: string, value: string) {
        this.#value = value;
    }

    /** The value as a secret Output, for resource inputs. */
    output(): pulumi.Output<string> {
        return pulumi.secret(this.#value);
    }

    /** The plaintext, for validation only (length, format); never log or return it. */
    reveal(): string {
        return this.#value;
    }

    toString(): string {
        return "[secret]";
    }

    toJSON(): string {
        return "[secret]";
    }
}
