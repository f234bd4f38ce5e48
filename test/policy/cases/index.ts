import { awsEventCases } from "./aws-events";
import { awsIamCases } from "./aws-iam";
import { awsKmsCases } from "./aws-kms";
import { ciCases } from "./ci";
import { gcpCases } from "./gcp";
import { githubCases } from "./github";
import { grafanaCases } from "./grafana";
import { stackCases } from "./stack";
import { CaseTable } from "./types";

const tables = [awsKmsCases, awsIamCases, awsEventCases, gcpCases, githubCases, grafanaCases, ciCases, stackCases];

/** Every rule's cases; a rule named in two tables is a mistake the coverage test reports. */
export const CASE_TABLES: readonly CaseTable[] = tables;
export const CASES: CaseTable = Object.assign({}, ...tables) as CaseTable;
