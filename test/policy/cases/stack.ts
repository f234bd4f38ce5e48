import { KMS_KEY } from "../../../policy/aws-kms";
import { BQ_DATASET, GCS_BUCKET } from "../../../policy/gcp-storage";
import { GH_ENVIRONMENT } from "../../../policy/github";
import { CaseTable, FixtureResource, res } from "./types";

const stateful = (protect: boolean, retainOnDelete: boolean): FixtureResource[] => [
    res(KMS_KEY, { enableKeyRotation: true }, { name: "ledger-tde", protect, retainOnDelete }),
    res(BQ_DATASET, { datasetId: "kms_audit" }, { name: "audit-dataset", protect, retainOnDelete }),
    res(GCS_BUCKET, { name: "ledgermind-prod-kms-audit" }, { name: "audit-archive", protect, retainOnDelete }),
    res(GH_ENVIRONMENT, { repository: "ledger-api", environment: "production" }, { name: "ledger-api-production", protect, retainOnDelete }),
    res("aws:sns/topic:Topic", { name: "prod-kms-critical" }, { name: "critical-topic" }),
];

export const stackCases: CaseTable = {
    "stack-stateful-protected": {
        pass: [{ title: "prod, all protected", stack: "prod", resources: stateful(true, true) }, { title: "staging may leave them unprotected", resources: stateful(false, false) }],
        fail: [
            { title: "prod, nothing protected", stack: "prod", resources: stateful(false, true), expect: /aws:kms\/key:Key ledger-tde is not protected in production stack prod/ },
            { title: "production stack, bucket unprotected", stack: "production", resources: [res(GCS_BUCKET, { name: "b" }, { name: "audit-archive" })] },
        ],
    },
    "stack-stateful-retained": {
        pass: [{ title: "prod, all retained", stack: "prod", resources: stateful(true, true) }, { title: "staging need not retain", resources: stateful(false, false) }],
        fail: [{ title: "prod, protected but not retained", stack: "prod", resources: stateful(true, false), expect: /bigquery\/dataset:Dataset audit-dataset is not retained on delete/ }],
    },
};
