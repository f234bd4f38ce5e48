/**
 * A throw-away stack for the pull-request live check (.github/workflows/preview.yml, `live-check`):
 * the stack file's `secure:` values (ciphertext of the real stack's secrets provider, which no pull
 * request may decrypt) are removed, a stack is created on the local backend the job logged into with
 * the passphrase secrets provider, and each removed key is set again as a secret holding a
 * placeholder. `pulumi preview` of that stack runs the PR's program against the real providers with
 * the job's read-only identities, without the real state or any real secret.
 *
 *   node dist/tools/scratch-stack.js --stack <name>     (needs `pulumi login file://…` first)
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { isMap, isScalar, parseDocument } from "yaml";
import { requiredSecrets } from "../config/secrets";
import { SECRET_PLACEHOLDER } from "./stackfile";

/**
 * The stack file without its `secure:` values, and the secret keys to set on the scratch stack: those
 * that held one, and every other secret the stack's settings require (config/secrets.ts), since the
 * committed stack files hold no secret at all.
 */
export function stripSecrets(text: string): { text: string; secretKeys: string[] } {
    const doc = parseDocument(text);
    const config = doc.get("config");
    const secretKeys: string[] = [];
    if (isMap(config)) {
        for (const pair of [...config.items]) {
            const v = pair.value;
            if (isMap(v) && v.items.length === 1 && isScalar(v.items[0].key) && v.items[0].key.value === "secure") {
                secretKeys.push(String(isScalar(pair.key) ? pair.key.value : pair.key));
                config.delete(pair.key);
            }
        }
    }
    const settings = (doc.toJS() as { config?: Record<string, unknown> }).config ?? {};
    for (const { spec } of requiredSecrets(settings)) if (!secretKeys.includes(spec.key)) secretKeys.push(spec.key);
    doc.delete("encryptionsalt");
    doc.delete("secretsprovider");
    doc.delete("encryptedkey");
    return { text: doc.toString(), secretKeys };
}

function main(argv: string[]): void {
    const i = argv.indexOf("--stack");
    const stack = i >= 0 ? argv[i + 1] : undefined;
    if (!stack || !/^[A-Za-z0-9_.-]+$/.test(stack)) {
        process.stderr.write("usage: scratch-stack --stack <name>\n");
        process.exit(2);
    }
    const file = path.resolve(`Pulumi.${stack}.yaml`);
    const { text, secretKeys } = stripSecrets(fs.readFileSync(file, "utf8"));
    fs.writeFileSync(file, text);
    const pulumi = (...args: string[]) => execFileSync("pulumi", [...args, "--non-interactive"], { stdio: "inherit" });
    pulumi("stack", "init", stack, "--secrets-provider", "passphrase");
    for (const key of secretKeys) pulumi("config", "set", "--stack", stack, "--secret", key, `${SECRET_PLACEHOLDER}${key}`);
    process.stdout.write(`scratch stack ${stack}: ${secretKeys.length} placeholder secret(s)\n`);
}

if (require.main === module) main(process.argv.slice(2));
