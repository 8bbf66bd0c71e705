/**
 * CodeSystem/$lookup (http://hl7.org/fhir/R4/codesystem-operation-lookup.html) over an application
 * Terminology: `system` + `code`, or `coding`; `displayLanguage` picks the display from the
 * designations. Answers Parameters name, version, display and the designations (e.g. the French label).
 * Missing inputs are a 400; an unknown code system or code a 404 OperationOutcome.
 */
import type { OperationDefinition, Parameters, ParametersParameter } from 'fhir/r4.js';
import type { Operation } from '../operations.js';
import { badRequest, FhirError } from '../outcome.js';
import { codingParam, displayIn, part, textParam, type Terminology } from './terminology.js';

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  id: 'CodeSystem-lookup',
  url: 'http://hl7.org/fhir/OperationDefinition/CodeSystem-lookup',
  name: 'ConceptLookup',
  status: 'active',
  kind: 'operation',
  code: 'lookup',
  resource: ['CodeSystem'],
  system: false,
  type: true,
  instance: false,
  parameter: [
    { name: 'code', use: 'in', min: 0, max: '1', type: 'code' },
    { name: 'system', use: 'in', min: 0, max: '1', type: 'uri' },
    { name: 'version', use: 'in', min: 0, max: '1', type: 'string' },
    { name: 'coding', use: 'in', min: 0, max: '1', type: 'Coding' },
    { name: 'displayLanguage', use: 'in', min: 0, max: '1', type: 'code' },
    { name: 'name', use: 'out', min: 1, max: '1', type: 'string' },
    { name: 'version', use: 'out', min: 0, max: '1', type: 'string' },
    { name: 'display', use: 'out', min: 1, max: '1', type: 'string' },
    {
      name: 'designation',
      use: 'out',
      min: 0,
      max: '*',
      part: [
        { name: 'language', use: 'out', min: 0, max: '1', type: 'code' },
        { name: 'use', use: 'out', min: 0, max: '1', type: 'Coding' },
        { name: 'value', use: 'out', min: 1, max: '1', type: 'string' },
      ],
    },
  ],
};

export function codeSystemLookupOperation(terminology: Terminology): Operation {
  return {
    name: 'lookup',
    definition,
    rights: [],
    types: ['CodeSystem'],
    async handler(req, ctx) {
      const coding = codingParam(req, 'coding');
      const system = coding?.system ?? textParam(req, 'system');
      const code = coding?.code ?? textParam(req, 'code');
      if (!system || !code) throw badRequest('$lookup needs system and code, or coding');
      const info = await terminology.codeSystem({ url: system }, ctx);
      if (!info) throw new FhirError(404, { code: 'not-found', diagnostics: `The code system ${system} is not known to this server` });
      const concept = await terminology.lookup(info, code, ctx);
      if (!concept) throw new FhirError(404, { code: 'not-found', diagnostics: `Code "${code}" is not in the code system ${info.url}` });
      const language = textParam(req, 'displayLanguage');
      const parameter: ParametersParameter[] = [part('name', { valueString: info.name ?? info.id })];
      if (info.version) parameter.push(part('version', { valueString: info.version }));
      parameter.push(part('display', { valueString: displayIn(concept, language) ?? concept.code }));
      for (const d of concept.designation ?? []) {
        parameter.push({
          name: 'designation',
          part: [
            ...(d.language ? [part('language', { valueCode: d.language })] : []),
            ...(d.use ? [part('use', { valueCoding: d.use })] : []),
            part('value', { valueString: d.value }),
          ],
        });
      }
      const body: Parameters = { resourceType: 'Parameters', parameter };
      return { status: 200, body };
    },
  };
}
