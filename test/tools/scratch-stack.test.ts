import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { stripSecrets } from "../../tools/scratch-stack";
import { ROOT } from "../harness";

describe("tools/scratch-stack: the pull-request live check's stack file", () => {
    for (const stack of ["staging", "prod"]) {
        it(`${stack}: every secure: value is removed and listed to be set again as a placeholder; the rest is kept`, () => {
            const src = fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");
            const { text, secretKeys } = stripSecrets(src);
            assert.ok(!/^\s+secure:/m.test(text), "no ciphertext of the real stack's secrets provider is left");
            assert.ok(secretKeys.includes("kms-observability:slackWebhookUrl"));
            const before = (parse(src) as { config: Record<string, unknown> }).config;
            const after = (parse(text) as { config: Record<string, unknown> }).config;
            assert.deepStrictEqual(Object.keys(after).sort(), Object.keys(before).filter((k) => !secretKeys.includes(k)).sort());
            assert.deepStrictEqual(after["kms-observability:aws"], before["kms-observability:aws"]);
        });
    }

    it("drops the real stack's secrets-provider settings (the scratch stack uses its own passphrase)", () => {
        const { text } = stripSecrets("secretsprovider: awskms://alias/x\nencryptedkey: abc\nconfig:\n  a:b: c\n");
        assert.deepStrictEqual(parse(text), { config: { "a:b": "c" } });
    });
});

describe("tools/scratch-stack: the commands it runs (a recording pulumi on PATH)", () => {
    it("creates the stack with the passphrase provider, then sets each removed key as a placeholder secret", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scratch-stack-"));
        const bin = path.join(dir, "bin");
        fs.mkdirSync(bin);
        const log = path.join(dir, "calls.log");
        // A stand-in for the CLI that records its arguments, one call per line.
        fs.writeFileSync(path.join(bin, "pulumi"), `#!/bin/sh\necho "$*" >> "${log}"\n`, { mode: 0o755 });
        fs.copyFileSync(path.join(ROOT, "Pulumi.staging.yaml"), path.join(dir, "Pulumi.staging.yaml"));
        const out = execFileSync(process.execPath, [path.join(ROOT, "dist", "tools", "scratch-stack.js"), "--stack", "staging"], {
            cwd: dir, env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` }, encoding: "utf8",
        });
        const calls = fs.readFileSync(log, "utf8").trim().split("\n");
        const { secretKeys } = stripSecrets(fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8"));
        assert.deepStrictEqual(calls, [
            "stack init staging --secrets-provider passphrase --non-interactive",
            ...secretKeys.map((k) => `config set --stack staging --secret ${k} offline-secret:${k} --non-interactive`),
        ]);
        assert.ok(!/^\s+secure:/m.test(fs.readFileSync(path.join(dir, "Pulumi.staging.yaml"), "utf8")));
        assert.match(out, new RegExp(`${secretKeys.length} placeholder secret`));
        fs.rmSync(dir, { recursive: true, force: true });
    });
});
