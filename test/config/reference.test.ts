import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { knownKeys } from "../../config/errors";
import { projectSchema, providerSchema } from "../../config/schema";
import { ROOT } from "../harness";

describe("config: README configuration reference", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const reference = readme.slice(readme.indexOf("## Configuration reference"), readme.indexOf("## Benchmarks"));

    it("has a row for every key the schema accepts, and none it does not", () => {
        const keys = [...knownKeys(projectSchema, []), ...knownKeys(providerSchema, [])];
        const rows = [...reference.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
        assert.deepStrictEqual([...rows].sort(), [...keys].sort());
    });
});
