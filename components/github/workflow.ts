import * as fs from "fs";
import * as path from "path";

/** Where the rotation workflow lives in an application repository. */
export const ROTATION_WORKFLOW_PATH = ".github/workflows/kms-rotate.yml";

/**
 * The environment variables (not secrets: none of them is sensitive) each rotation environment
 * gets, by purpose. The template reads exactly these through the `vars` context.
 */
export const ROTATION_VARIABLES = {
    /** The environment's role, assumed through GitHub OIDC. */
    roleArn: "KMS_ROTATION_ROLE_ARN",
    /** Region of this stack's keys. */
    region: "AWS_REGION",
    /** This stack's key aliases, space-separated (`alias/a alias/b`). */
    keyAliases: "KMS_KEY_ALIASES",
    /** The Cloud KMS audit dataset (`project:dataset`), named in the run summary. */
    auditDataset: "KMS_AUDIT_DATASET",
} as const;
export type RotationVariable = keyof typeof ROTATION_VARIABLES;

/** The repository root: the folder holding Pulumi.yaml, above this file in sources and in dist/. */
function projectRoot(): string {
    let dir = __dirname;
    while (!fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
        const up = path.dirname(dir);
        if (up === dir) throw new Error(`Pulumi.yaml not found above ${__dirname}`);
        dir = up;
    }
    return dir;
}

/** Path of the rotation workflow template shipped with this project. */
export const rotationTemplatePath = (): string =>
    path.join(projectRoot(), "components", "github", "templates", "kms-rotate.yml");

/** The rotation workflow exactly as it is committed to application repositories. */
export const rotationWorkflow = (): string => fs.readFileSync(rotationTemplatePath(), "utf8");
