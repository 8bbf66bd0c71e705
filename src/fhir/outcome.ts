/**
 * The one error catalogue of the FHIR engine. Handlers throw FhirError; the error plugin turns it
 * into an OperationOutcome with the right HTTP status. See http://hl7.org/fhir/R4/operationoutcome.html
 */
import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4.js';

export type IssueCode = OperationOutcomeIssue['code'];
export type Severity = OperationOutcomeIssue['severity'];

export interface Issue {
  severity?: Severity;
  code: IssueCode;
  diagnostics: string;
  /** FHIRPath of the offending element, e.g. "Patient.gender". */
  expression?: string[];
}

export class FhirError extends Error {
  readonly issues: Issue[];
  constructor(readonly status: number, issue: Issue | Issue[], readonly headers: Record<string, string> = {}) {
    const issues = Array.isArray(issue) ? issue : [issue];
    super(issues.map((i) => i.diagnostics).join('; '));
    this.issues = issues;
    this.name = 'FhirError';
  }
}

export function operationOutcome(issues: Issue[]): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((i) => ({
      severity: i.severity ?? 'error',
      code: i.code,
      diagnostics: i.diagnostics,
      ...(i.expression ? { expression: i.expression } : {}),
    })),
  };
}

export const informational = (diagnostics: string): OperationOutcome =>
  operationOutcome([{ severity: 'information', code: 'informational', diagnostics }]);

export const badRequest = (diagnostics: string, expression?: string[]) =>
  new FhirError(400, { code: 'invalid', diagnostics, expression });
export const notSupported = (diagnostics: string) => new FhirError(400, { code: 'not-supported', diagnostics });
export const unprocessable = (diagnostics: string, expression?: string[]) =>
  new FhirError(422, { code: 'processing', diagnostics, expression });
export const invalidResource = (issues: Issue[]) => new FhirError(422, issues);
export const notFound = (type: string, id: string) =>
  new FhirError(404, { code: 'not-found', diagnostics: `${type}/${id} is not known` });
export const gone = (type: string, id: string) =>
  new FhirError(410, { code: 'deleted', diagnostics: `${type}/${id} has been deleted` });
export const unauthorized = (diagnostics = 'Authentication is required') =>
  new FhirError(401, { code: 'login', diagnostics }, { 'www-authenticate': 'Bearer realm="openIMIS FHIR"' });
export const forbidden = (diagnostics: string) => new FhirError(403, { code: 'forbidden', diagnostics });
export const conflict = (diagnostics: string) => new FhirError(409, { code: 'conflict', diagnostics });
export const preconditionFailed = (diagnostics: string) => new FhirError(412, { code: 'conflict', diagnostics });
