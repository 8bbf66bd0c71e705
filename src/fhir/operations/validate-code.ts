/**
 * $validate-code on CodeSystem and ValueSet (http://hl7.org/fhir/R4/codesystem-operation-validate-code.html,
 * http://hl7.org/fhir/R4/valueset-operation-validate-code.html), type and instance level, over an
 * application Terminology. One operation serves both types: the operation registry holds one operation
 * per name, so the OperationDefinition is a merged one of the application's (its url is given).
 *
 * - CodeSystem: the code system by instance id, `url`, or the system of `coding`; the code by `code`,
 *   `coding` or `codeableConcept` (its codings of that system).
 * - ValueSet: the value set by instance id, `url` or an inline `valueSet`; the code by `code` (+ `system`),
 *   `coding` or `codeableConcept` (valid when one of its codings is).
 *
 * Answers Parameters result (+ display when true, message when false). A code that is not there, or a
 * `display` that is none of the concept's (its display or a designation), is result=false; an unknown
 * code system or value set a 404, missing inputs a 400.
 */
import type { CodeableConcept, Coding, OperationDefinition, Parameters, ParametersParameter } from 'fhir/r4.js';
import type { Operation, OperationRequest } from '../operations.js';
import { parameterValue } from '../operations.js';
import { badRequest, FhirError } from '../outcome.js';
import { codingParam, displayIn, part, textParam, type Concept, type Terminology } from './terminology.js';
import { targetValueSet } from './expand.js';

function definition(url: string): OperationDefinition {
  return {
    resourceType: 'OperationDefinition',
    id: 'validate-code',
    url,
    name: 'ValidateCode',
    status: 'active',
    kind: 'operation',
    code: 'validate-code',
    comment:
      'CodeSystem/$validate-code and ValueSet/$validate-code of FHIR R4 in one definition: url names the code system (on CodeSystem) or the value set (on ValueSet).',
    resource: ['CodeSystem', 'ValueSet'],
    system: false,
    type: true,
    instance: true,
    parameter: [
      { name: 'url', use: 'in', min: 0, max: '1', type: 'uri' },
      { name: 'valueSet', use: 'in', min: 0, max: '1', type: 'ValueSet', documentation: 'ValueSet only' },
      { name: 'code', use: 'in', min: 0, max: '1', type: 'code' },
      { name: 'system', use: 'in', min: 0, max: '1', type: 'uri', documentation: 'ValueSet only' },
      { name: 'display', use: 'in', min: 0, max: '1', type: 'string' },
      { name: 'coding', use: 'in', min: 0, max: '1', type: 'Coding' },
      { name: 'codeableConcept', use: 'in', min: 0, max: '1', type: 'CodeableConcept' },
      { name: 'displayLanguage', use: 'in', min: 0, max: '1', type: 'code' },
      { name: 'result', use: 'out', min: 1, max: '1', type: 'boolean' },
      { name: 'message', use: 'out', min: 0, max: '1', type: 'string' },
      { name: 'display', use: 'out', min: 0, max: '1', type: 'string' },
    ],
  };
}

interface Verdict {
  result: boolean;
  message?: string;
  display?: string;
}

export function validateCodeOperation(terminology: Terminology, opts: { definitionUrl: string }): Operation {
  return {
    name: 'validate-code',
    definition: definition(opts.definitionUrl),
    rights: [],
    types: ['CodeSystem', 'ValueSet'],
    async handler(req, ctx) {
      const codings = codingsOf(req);
      const language = textParam(req, 'displayLanguage');
      const verdicts: Verdict[] = [];
      if (req.def?.type === 'CodeSystem') {
        const url = textParam(req, 'url') ?? (req.id ? undefined : codings.find((c) => c.system)?.system);
        const info = await terminology.codeSystem(req.id ? { id: req.id } : { url }, ctx);
        if (!info && !req.id && !url) throw badRequest('$validate-code on CodeSystem needs the code system: call it on CodeSystem/[id], or give url or a coding with its system');
        if (!info) throw new FhirError(404, { code: 'not-found', diagnostics: req.id ? `CodeSystem/${req.id} is not known` : `The code system ${url} is not known to this server` });
        const own = codings.filter((c) => !c.system || c.system === info.url || c.system === url);
        if (own.length === 0) verdicts.push({ result: false, message: `No code of the code system ${info.url} was given` });
        for (const coding of own) {
          const concept = await terminology.lookup(info, coding.code!, ctx);
          verdicts.push(verdict(concept, coding, info.url, language));
        }
      } else {
        const valueSet = await targetValueSet(terminology, req, ctx);
        const name = valueSet.url ?? `ValueSet/${valueSet.id ?? ''}`;
        for (const coding of codings) {
          const concept = await terminology.member(valueSet, coding.system, coding.code!, ctx);
          verdicts.push(verdict(concept, coding, name, language));
        }
      }
      const chosen = verdicts.find((v) => v.result) ?? {
        result: false,
        message: verdicts.map((v) => v.message).filter(Boolean).join('; '),
      };
      const parameter: ParametersParameter[] = [part('result', { valueBoolean: chosen.result })];
      if (chosen.message) parameter.push(part('message', { valueString: chosen.message }));
      if (chosen.display) parameter.push(part('display', { valueString: chosen.display }));
      const body: Parameters = { resourceType: 'Parameters', parameter };
      return { status: 200, body };
    },
  };
}

/** The codings to check: `code` (+ `system`, `display`), `coding`, or the codings of `codeableConcept`. */
function codingsOf(req: OperationRequest): Coding[] {
  const code = textParam(req, 'code');
  if (code) return [{ system: textParam(req, 'system'), code, display: textParam(req, 'display') }];
  const coding = codingParam(req, 'coding');
  if (coding?.code) return [coding];
  const concept = parameterValue(req.parameters, 'codeableConcept') as CodeableConcept | undefined;
  const codings = (concept && typeof concept === 'object' ? concept.coding ?? [] : []).filter((c) => c.code);
  if (codings.length) return codings;
  throw badRequest('$validate-code needs a code: code, coding or codeableConcept');
}

function verdict(concept: Concept | undefined, coding: Coding, where: string, language: string | undefined): Verdict {
  const label = `${coding.system ? `${coding.system}|` : ''}${coding.code}`;
  if (!concept) return { result: false, message: `The code ${label} is not in ${where}` };
  const display = displayIn(concept, language) ?? concept.code;
  if (coding.display) {
    const known = [concept.display, ...(concept.designation ?? []).map((d) => d.value)].filter((d): d is string => Boolean(d));
    if (!known.some((d) => d.trim().toLowerCase() === coding.display!.trim().toLowerCase())) {
      return { result: false, display, message: `"${coding.display}" is not a display of the code ${label} (its display is "${concept.display ?? concept.code}")` };
    }
  }
  return { result: true, display };
}
