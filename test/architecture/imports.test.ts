import * as assert from "assert";
import { ImportEdge, LAYERS, PendingException, checkImports, folderCycles, layerOf, parseImports, repositoryImports, sourceFiles } from "./imports";
import { ROOT } from "../harness";

/**
 * Imports that point the wrong way, each with the work that removes it. None today: the mechanism stays
 * so that a wrong-way import can only be admitted with its reason written here, and the check fails
 * once such an import is gone (remove it here) and on any other import that points the wrong way.
 */
const PENDING: readonly PendingException[] = [];

describe("architecture: imports point down the layers (docs/architecture.md)", () => {
    const edges = repositoryImports(ROOT);

    it("reads every source file of every layer", () => {
        const files = sourceFiles(ROOT);
        assert.deepStrictEqual(files.filter((f) => !layerOf(f)), [], "files outside every layer");
        for (const layer of LAYERS) {
            assert.ok(files.some((f) => layerOf(f)?.name === layer.name), `no file in layer ${layer.name} (${layer.paths.join(", ")}): stale layer table`);
        }
        assert.ok(edges.length > 500, `only ${edges.length} imports found`);
    });

    it("no import crosses the intended direction, and no pure module loads the Pulumi SDK", () => {
        const { violations } = checkImports(edges, LAYERS, PENDING);
        assert.deepStrictEqual(violations, [], "imports against the layers (see docs/architecture.md):\n" + violations.join("\n"));
    });

    it("every pending exception still exists (remove the ones the code no longer has)", () => {
        assert.deepStrictEqual(checkImports(edges, LAYERS, PENDING).staleExceptions, []);
    });

    it("no cycle between top-level folders", () => {
        assert.deepStrictEqual(checkImports(edges, LAYERS, PENDING).cycles, []);
    });

    it("the alert catalog and the config sections do not import each other", () => {
        const between = edges.filter((e) => e.internal && (
            (e.from.startsWith("alerts/") && e.to.startsWith("config/")) ||
            (layerOf(e.from)?.name === "config" && e.to.startsWith("alerts/"))));
        assert.deepStrictEqual(between.map((e) => `${e.from} -> ${e.to}`), []);
    });
});

describe("architecture: the import checker itself", () => {
    const files: Record<string, string> = {
        "shared/limits.ts": "export const A = 1;\n",
        "config/aws.ts": "import { A } from \"../shared/limits\";\nexport type AwsSettings = { a: typeof A };\n",
        "alerts/routing.ts": "export const R = 1;\n",
        "components/aws/kms.ts": "import * as pulumi from \"@pulumi/pulumi\";\nexport const K = pulumi;\n",
        "tools/plan.ts": "export interface PlanDocument { a: 1 }\n",
    };
    const exists = (rel: string) => rel in files;
    const graph = (extra: Record<string, string>): ImportEdge[] =>
        Object.entries({ ...files, ...extra }).flatMap(([f, text]) => parseImports(f, text, (rel) => exists(rel) || rel in extra));

    it("parses every import form with the compiler, telling type-only imports apart", () => {
        const edges = parseImports("documents/x.ts", [
            "import type { AwsSettings } from \"../config/aws\";",
            "import { type AwsSettings as B } from \"../config/aws\";",
            "import { A } from \"../shared/limits\";",
            "export { R } from \"../alerts/routing\";",
            "const t = require(\"../tools/plan\");",
            "async function f() { return import(\"../components/aws/kms\"); }",
            "type P = import(\"@pulumi/aws/iam\").PolicyDocument;",
            "import * as yaml from \"yaml\";",
            "// import { nothing } from \"../config/aws\";",
            "const s = \"import { fake } from '../config/aws'\";",
        ].join("\n"), exists);
        assert.deepStrictEqual(edges.map((e) => [e.to, e.typeOnly]), [
            ["config/aws.ts", true],
            ["config/aws.ts", true],
            ["shared/limits.ts", false],
            ["alerts/routing.ts", false],
            ["tools/plan.ts", false],
            ["components/aws/kms.ts", false],
            ["@pulumi/aws", true],
            ["yaml", false],
        ]);
    });

    it("reports a pure module importing config, components or tools", () => {
        const { violations } = checkImports(graph({
            "documents/aws/key-policy.ts": "import type { AwsSettings } from \"../../config/aws\";\nimport { K } from \"../../components/aws/kms\";\nimport { PlanDocument } from \"../../tools/plan\";\n",
        }));
        assert.strictEqual(violations.length, 4, violations.join("\n"));
        assert.match(violations[0], /^documents\/aws\/key-policy\.ts -> \.\.\/\.\.\/config\/aws: the documents layer may not import config/);
        assert.match(violations[1], /the documents layer may not import components/);
        assert.match(violations[2], /the documents layer may not import tools/);
        assert.match(violations[3], /loads the Pulumi SDK at runtime through components\/aws\/kms\.ts -> @pulumi\/pulumi/);
    });

    it("reports config importing the alert catalog and the catalog importing config", () => {
        const { violations } = checkImports(graph({
            "config/amp.ts": "import { R } from \"../alerts/routing\";\nexport const X = R;\n",
            "alerts/rules.ts": "import type { AwsSettings } from \"../config/aws\";\nexport type Y = AwsSettings;\n",
        }));
        assert.deepStrictEqual(violations.map((v) => v.split(":")[0]), ["config/amp.ts -> ../alerts/routing", "alerts/rules.ts -> ../config/aws"]);
    });

    it("reports a runtime Pulumi import in a pure layer, not a type-only one", () => {
        const { violations } = checkImports(graph({
            "alerts/render.ts": "import * as pulumi from \"@pulumi/pulumi\";\nimport type { PolicyDocument } from \"@pulumi/aws/iam\";\nexport const Z = pulumi;\n",
        }));
        assert.deepStrictEqual(violations, ["alerts/render.ts -> @pulumi/pulumi: the alerts layer is pure: no Pulumi SDK at runtime (a type-only import is fine)"]);
    });

    it("reports policy or components importing tools, and files outside every layer", () => {
        const { violations } = checkImports(graph({
            "policy/evaluate.ts": "import type { PlanDocument } from \"../tools/plan\";\n",
            "scripts/x.ts": "import { A } from \"../shared/limits\";\nexport const S = A;\n",
        }));
        assert.strictEqual(violations.length, 2, violations.join("\n"));
        assert.match(violations.join("\n"), /policy\/evaluate\.ts -> \.\.\/tools\/plan: the policy layer may not import tools/);
        assert.match(violations.join("\n"), /scripts\/x\.ts: belongs to no layer/);
    });

    it("accepts what the layers allow", () => {
        const ok = checkImports(graph({
            "config/aws-extra.ts": "import { A } from \"../shared/limits\";\nexport const B = A;\n",
            "components/aws/alias.ts": "import { A } from \"../../shared/limits\";\nimport { R } from \"../../alerts/routing\";\nexport const C = [A, R];\n",
            "tools/diff.ts": "import { K } from \"../components/aws/kms\";\nimport type { AwsSettings } from \"../config/aws\";\nexport const D = K;\n",
        }));
        assert.deepStrictEqual(ok, { violations: [], staleExceptions: [], cycles: [] });
    });

    it("finds cycles between folders and reports stale pending exceptions", () => {
        const edges = graph({
            "alerts/artifacts.ts": "import type { AwsSettings } from \"../config/aws\";\n",
            "config/amp.ts": "import { R } from \"../alerts/routing\";\n",
        });
        assert.deepStrictEqual(folderCycles(edges), ["alerts -> config -> alerts"]);
        const pending: PendingException[] = [
            { from: "alerts/artifacts.ts", to: "config/aws.ts", why: "test" },
            { from: "config/amp.ts", to: "alerts/routing.ts", why: "test" },
            { from: "alerts/gone.ts", to: "config/aws.ts", why: "test" },
        ];
        const findings = checkImports(edges, LAYERS, pending);
        assert.deepStrictEqual(findings.violations, []);
        assert.deepStrictEqual(findings.cycles, [], "pending edges are left out of the cycle search");
        assert.deepStrictEqual(findings.staleExceptions, ["alerts/gone.ts -> config/aws.ts: no longer imported; remove it from PENDING"]);
    });
});
