/**
 * tblServices row → ActivityDefinition, in the wire format of the openIMIS FHIR module (name =
 * service code, title = service name, topic = service type, useContext gender / age / workflow /
 * venue, timing from the frequency, extensions unit-price and activity-definition-level) with its
 * defects fixed: real code-system URLs (no ".html" pages, no ValueSet as a system), no timing
 * without a frequency, the hospitalisation category.
 */
import type { ActivityDefinition, Coding, UsageContext } from 'fhir/r4.js';
import type { RequestContext, Row } from '../../fhir/types.js';
import { loadMapping } from '../mappings.js';
import { identifier, structureDefinition } from '../ig.js';
import { USAGE_CONTEXT, categoryCodings, text, unitPriceExtension, venueCodings } from '../medication/register.js';
import { concept } from '../medication/to-fhir.js';

const serviceType = loadMapping('activity-definition-service-type');
const level = loadMapping('activity-definition-level');
const workflow = loadMapping('activity-definition-workflow');

export function serviceToActivityDefinition(row: Row, ctx: Pick<RequestContext, 'currency'>): ActivityDefinition {
  const uuid = String(row.ServiceUUID).toLowerCase();
  const definition: ActivityDefinition = {
    resourceType: 'ActivityDefinition',
    id: uuid,
    extension: [unitPriceExtension(row.ServPrice, ctx.currency)],
    identifier: [identifier('UUID', uuid), identifier('Code', String(row.ServCode).trim())],
    name: String(row.ServCode).trim(),
    title: text(row.ServName),
    status: 'active',
  };
  const levelCoding = level.toCoding(row.ServLevel);
  if (levelCoding) {
    definition.extension!.push({
      url: structureDefinition('activity-definition-level'),
      valueCodeableConcept: { coding: [levelCoding], text: levelCoding.display },
    });
  }
  const from = row.ValidityFrom;
  if (from) definition.date = (from instanceof Date ? from : new Date(String(from))).toISOString();
  const useContext = [
    // Always both, so that a mask without any category of a kind survives a round trip ("none").
    usage(USAGE_CONTEXT.gender, categoryCodings(row.ServPatCat, 'gender')),
    usage(USAGE_CONTEXT.age, categoryCodings(row.ServPatCat, 'age')),
    ...(workflow.toCoding(row.ServCategory) ? [usage(USAGE_CONTEXT.workflow, [workflow.toCoding(row.ServCategory)!])] : []),
    usage(USAGE_CONTEXT.venue, venueCodings(row.ServCareType)),
  ];
  definition.useContext = useContext;
  const topic = serviceType.toCoding(row.ServType);
  if (topic) definition.topic = [{ coding: [topic], text: topic.display }];
  if (row.ServFrequency !== null && row.ServFrequency !== undefined) {
    definition.timingTiming = { repeat: { frequency: 1, period: Number(row.ServFrequency), periodUnit: 'd' } };
  }
  return definition;
}

function usage(code: Coding, codings: Coding[]): UsageContext {
  return { code, valueCodeableConcept: concept(codings) };
}
