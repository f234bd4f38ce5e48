import { awsEventRules } from "./aws-events";
import { awsIamRules } from "./aws-iam";
import { awsKmsRules } from "./aws-kms";
import { ciRules } from "./ci";
import { gcpLoggingRules } from "./gcp-logging";
import { gcpStorageRules } from "./gcp-storage";
import { githubRules } from "./github";
import { grafanaRules } from "./grafana";
import { Rule } from "./rule";
import { stackRules } from "./stack";

/** The rules by area, in the order docs/policy.md lists them. */
export const RULE_GROUPS: readonly { readonly title: string; readonly rules: readonly Rule[] }[] = [
    { title: "AWS KMS keys and aliases", rules: awsKmsRules },
    { title: "AWS IAM roles and policies", rules: awsIamRules },
    { title: "AWS detection and notification (SNS, EventBridge, CloudWatch, AMP)", rules: awsEventRules },
    { title: "GCP storage, datasets and IAM", rules: gcpStorageRules },
    { title: "GCP audit logging and Cloud KMS", rules: gcpLoggingRules },
    { title: "GitHub environments", rules: githubRules },
    { title: "Grafana", rules: grafanaRules },
    { title: "CI identities (who can reach what)", rules: ciRules },
    { title: "Whole stack", rules: stackRules },
];

/** Every rule of the pack. */
export const RULES: readonly Rule[] = RULE_GROUPS.flatMap((g) => g.rules);
