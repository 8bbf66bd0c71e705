/**
 * tblItems row → Medication, in the wire format of the openIMIS FHIR module (identifiers UUID and
 * Code, extensions unit-price, medication-type, medication-frequency, medication-usage-context,
 * medication-level) with its defects fixed: the unit price under StructureDefinition/unit-price (the
 * module wrote CodeSystem/unit-price), an amount only when the package states one, both sides of the
 * amount ratio, no empty codings.
 */
import type { CodeableConcept, Coding, Extension, Medication } from 'fhir/r4.js';
import type { RequestContext, Row } from '../../fhir/types.js';
import { loadMapping } from '../mappings.js';
import { codeSystem, identifier, structureDefinition } from '../ig.js';
import { USAGE_CONTEXT, categoryCodings, text, unitPriceExtension, venueCodings } from './register.js';

const itemType = loadMapping('medication-item-type');

export function itemToMedication(row: Row, ctx: Pick<RequestContext, 'currency'>): Medication {
  const uuid = String(row.ItemUUID).toLowerCase();
  const medication: Medication = {
    resourceType: 'Medication',
    id: uuid,
    extension: extensions(row, ctx.currency),
    identifier: [identifier('UUID', uuid), identifier('Code', String(row.ItemCode).trim())],
    code: { text: text(row.ItemName) },
    status: 'active',
  };
  const pack = text(row.ItemPackage)?.trim();
  if (pack) {
    medication.form = { text: pack };
    const amount = /^(\d+(?:\.\d+)?)\s*([^\d\s].*)?$/.exec(pack);
    if (amount) {
      medication.amount = {
        numerator: { value: Number(amount[1]), ...(amount[2] ? { unit: amount[2].trim() } : {}) },
        denominator: { value: 1 },
      };
    }
  }
  return medication;
}

function extensions(row: Row, currency: string): Extension[] {
  const list: Extension[] = [unitPriceExtension(row.ItemPrice, currency)];
  const type = itemType.toCoding(row.ItemType);
  if (type) list.push({ url: structureDefinition('medication-type'), valueCodeableConcept: { coding: [type], text: type.display } });
  if (row.ItemFrequency !== null && row.ItemFrequency !== undefined) {
    list.push({
      url: structureDefinition('medication-frequency'),
      valueTiming: { repeat: { frequency: 1, period: Number(row.ItemFrequency), periodUnit: 'd' } },
    });
  }
  list.push({
    url: structureDefinition('medication-usage-context'),
    extension: [
      usage('Gender', USAGE_CONTEXT.gender, categoryCodings(row.ItemPatCat, 'gender')),
      usage('Age', USAGE_CONTEXT.age, categoryCodings(row.ItemPatCat, 'age')),
      usage('CareType', USAGE_CONTEXT.venue, venueCodings(row.ItemCareType)),
    ],
  });
  list.push({
    url: structureDefinition('medication-level'),
    valueCodeableConcept: { coding: [{ system: codeSystem('medication-level'), code: 'M', display: 'Medication' }], text: 'Medication' },
  });
  return list;
}

function usage(url: string, code: Coding, codings: Coding[]): Extension {
  return { url, valueUsageContext: { code, valueCodeableConcept: concept(codings) } };
}

/** A CodeableConcept of the codings; "none" as text when the mask allows no category of the kind. */
export function concept(codings: Coding[]): CodeableConcept {
  return codings.length ? { coding: codings, text: codings.map((c) => c.display).join(' or ') } : { text: 'none' };
}
