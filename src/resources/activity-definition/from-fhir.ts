/** ActivityDefinition → tblServices values, with every problem reported at once. Pure. */
import type { ActivityDefinition, Coding } from 'fhir/r4.js';
import type { Row } from '../../fhir/types.js';
import { loadMapping, type CodeMapping } from '../mappings.js';
import { Problems } from '../problems.js';
import { CODE_IDENTIFIER_TYPES, findExtension, identifierType } from '../ig.js';
import { careTypeOf, categoryBits, frequencyOf, unitPriceOf } from '../medication/register.js';

const serviceType = loadMapping('activity-definition-service-type');
const level = loadMapping('activity-definition-level');
const workflow = loadMapping('activity-definition-workflow');

export function activityDefinitionToService(definition: ActivityDefinition, currency: string): Row {
  const p = new Problems();
  const ext = definition.extension;
  const code = definition.identifier?.find((id) => CODE_IDENTIFIER_TYPES.has(identifierType(id) ?? ''))?.value ?? definition.name;
  if (definition.name && code !== definition.name) p.add('ActivityDefinition.name', `"${definition.name}" differs from the Code identifier "${code}"`);
  const gender = contextCodings(definition, 'gender');
  const age = contextCodings(definition, 'age');
  const values: Row = {
    ServCode: p.text('ActivityDefinition.identifier[Code]', code, { max: 6, required: true }),
    ServName: p.text('ActivityDefinition.title', definition.title, { max: 100, required: true }),
    ServType: coded(serviceType, definition.topic?.[0]?.coding?.[0]?.code, 'ActivityDefinition.topic', true, p),
    ServLevel: coded(level, findExtension(ext, 'activity-definition-level')?.valueCodeableConcept?.coding?.[0]?.code, 'ActivityDefinition.extension[activity-definition-level]', true, p),
    ServCategory: coded(workflow, contextCodings(definition, 'workflow')?.[0]?.code, 'ActivityDefinition.useContext[workflow]', false, p),
    ServPrice: unitPriceOf(ext, 'ActivityDefinition.extension[unit-price]', currency, p),
    ServCareType: careTypeOf(contextCodings(definition, 'venue'), 'ActivityDefinition.useContext[venue]', p),
    ServFrequency: frequencyOf(definition.timingTiming?.repeat, 'ActivityDefinition.timingTiming.repeat', p),
    ServPatCat:
      categoryBits(gender, 'gender', 'ActivityDefinition.useContext[gender]', p) | categoryBits(age, 'age', 'ActivityDefinition.useContext[age]', p),
  };
  p.throwIfAny();
  return values;
}

/** The codings of a useContext by its usage-context-type code; undefined when there is none. */
function contextCodings(definition: ActivityDefinition, code: string): Coding[] | undefined {
  const context = definition.useContext?.find((u) => u.code?.code === code);
  if (!context) return undefined;
  return context.valueCodeableConcept?.coding ?? [];
}

function coded(mapping: CodeMapping, code: string | undefined, expression: string, required: boolean, p: Problems): string | null {
  if (!code) {
    if (required) p.add(expression, `is required: one of ${mapping.fhirCodes().join(', ')}`, 'required');
    return null;
  }
  if (!mapping.fhirCodes().includes(code)) {
    p.add(expression, `unknown code "${code}"; expected one of ${mapping.fhirCodes().join(', ')}`, 'code-invalid');
    return null;
  }
  return String(mapping.toLegacy(code));
}
