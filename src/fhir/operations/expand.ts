/**
 * ValueSet/$expand (http://hl7.org/fhir/R4/valueset-operation-expand.html) at type and instance level,
 * over an application Terminology: the value set by instance id, `url` or an inline `valueSet`;
 * `filter`, `offset` and `count` (paging; at most MAX_EXPANSION codes a call, the default),
 * `includeDesignations`, `displayLanguage`. Answers the ValueSet with its expansion (total, offset,
 * the parameters used); an unknown value set is a 404, one that cannot be expanded the provider's error.
 */
import { randomUUID } from 'node:crypto';
import type { OperationDefinition, ValueSet, ValueSetExpansionContains, ValueSetExpansionParameter } from 'fhir/r4.js';
import type { Operation, OperationRequest } from '../operations.js';
import { parameterValue } from '../operations.js';
import { badRequest, FhirError } from '../outcome.js';
import type { RequestContext } from '../types.js';
import { booleanParam, displayIn, integerParam, MAX_EXPANSION, textParam, type Terminology } from './terminology.js';

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  id: 'ValueSet-expand',
  url: 'http://hl7.org/fhir/OperationDefinition/ValueSet-expand',
  name: 'ValueSetExpansion',
  status: 'active',
  kind: 'operation',
  code: 'expand',
  resource: ['ValueSet'],
  system: false,
  type: true,
  instance: true,
  parameter: [
    { name: 'url', use: 'in', min: 0, max: '1', type: 'uri' },
    { name: 'valueSet', use: 'in', min: 0, max: '1', type: 'ValueSet' },
    { name: 'filter', use: 'in', min: 0, max: '1', type: 'string' },
    { name: 'offset', use: 'in', min: 0, max: '1', type: 'integer' },
    { name: 'count', use: 'in', min: 0, max: '1', type: 'integer', documentation: `At most ${MAX_EXPANSION}, also the default` },
    { name: 'includeDesignations', use: 'in', min: 0, max: '1', type: 'boolean' },
    { name: 'displayLanguage', use: 'in', min: 0, max: '1', type: 'code' },
    { name: 'return', use: 'out', min: 1, max: '1', type: 'ValueSet' },
  ],
};

/** The value set an operation names: the instance, an inline ValueSet, or `url`; 404 when unknown. */
export async function targetValueSet(terminology: Terminology, req: OperationRequest, ctx: RequestContext, inline = 'valueSet'): Promise<ValueSet> {
  if (req.id) {
    const byId = await terminology.valueSet({ id: req.id }, ctx);
    if (!byId) throw new FhirError(404, { code: 'not-found', diagnostics: `ValueSet/${req.id} is not known` });
    return byId;
  }
  const resource = req.resource ?? parameterValue(req.parameters, inline);
  if (resource && typeof resource === 'object') {
    if ((resource as { resourceType?: string }).resourceType !== 'ValueSet') throw badRequest(`Parameter ${inline} must be a ValueSet`);
    return resource as ValueSet;
  }
  const url = textParam(req, 'url');
  if (!url) throw badRequest(`A value set is needed: call the operation on ValueSet/[id], or give url or ${inline}`);
  const byUrl = await terminology.valueSet({ url }, ctx);
  if (!byUrl) throw new FhirError(404, { code: 'not-found', diagnostics: `ValueSet ${url} is not known to this server` });
  return byUrl;
}

export function valueSetExpandOperation(terminology: Terminology): Operation {
  return {
    name: 'expand',
    definition,
    // Which code systems a caller may expand is the terminology's decision (it throws 403).
    rights: [],
    types: ['ValueSet'],
    async handler(req, ctx) {
      const valueSet = await targetValueSet(terminology, req, ctx);
      const filter = textParam(req, 'filter');
      const offset = integerParam(req, 'offset') ?? 0;
      const count = Math.min(integerParam(req, 'count') ?? MAX_EXPANSION, MAX_EXPANSION);
      const designations = booleanParam(req, 'includeDesignations') ?? false;
      const language = textParam(req, 'displayLanguage');
      const expansion = await terminology.expand(valueSet, { filter, offset, count }, ctx);

      const used: ValueSetExpansionParameter[] = [];
      if (filter !== undefined) used.push({ name: 'filter', valueString: filter });
      used.push({ name: 'offset', valueInteger: offset }, { name: 'count', valueInteger: count });
      if (designations) used.push({ name: 'includeDesignations', valueBoolean: true });
      if (language) used.push({ name: 'displayLanguage', valueCode: language });
      const contains = expansion.contains.map((c): ValueSetExpansionContains => {
        const display = displayIn(c, language);
        return {
          system: c.system,
          code: c.code,
          ...(display ? { display } : {}),
          ...(designations && c.designation?.length ? { designation: c.designation } : {}),
        };
      });
      const { id, url, version, name, title, status } = valueSet;
      const body: ValueSet = {
        resourceType: 'ValueSet',
        ...(id ? { id } : {}),
        ...(url ? { url } : {}),
        ...(version ? { version } : {}),
        ...(name ? { name } : {}),
        ...(title ? { title } : {}),
        status: status ?? 'active',
        expansion: {
          identifier: `urn:uuid:${randomUUID()}`,
          timestamp: ctx.now().toISOString(),
          total: expansion.total,
          offset,
          parameter: used,
          ...(contains.length ? { contains } : {}),
        },
      };
      return { status: 200, body };
    },
  };
}
