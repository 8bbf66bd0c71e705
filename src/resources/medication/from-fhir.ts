/** Medication → tblItems values, with every problem reported at once. Pure. */
import type { Coding, Extension, Medication } from 'fhir/r4.js';
import type { Row } from '../../fhir/types.js';
import { loadMapping } from '../mappings.js';
import { Problems } from '../problems.js';
import { CODE_IDENTIFIER_TYPES, findExtension, identifierType } from '../ig.js';
import { careTypeOf, categoryBits, frequencyOf, unitPriceOf } from './register.js';

const itemType = loadMapping('medication-item-type');

export function medicationToItem(medication: Medication, currency: string): Row {
  const p = new Problems();
  const ext = medication.extension;
  const code = medication.identifier?.find((id) => CODE_IDENTIFIER_TYPES.has(identifierType(id) ?? ''))?.value;
  const usage = findExtension(ext, 'medication-usage-context')?.extension;
  const values: Row = {
    ItemCode: p.text('Medication.identifier[Code]', code, { max: 6, required: true }),
    ItemName: p.text('Medication.code.text', medication.code?.text ?? medication.code?.coding?.[0]?.display, { max: 100, required: true }),
    ItemPackage: p.text('Medication.form.text', medication.form?.text, { max: 255 }),
    ItemPrice: unitPriceOf(ext, 'Medication.extension[unit-price]', currency, p),
    ItemType: typeOf(findExtension(ext, 'medication-type'), p),
    ItemFrequency: frequencyOf(findExtension(ext, 'medication-frequency')?.valueTiming?.repeat, 'Medication.extension[medication-frequency].valueTiming.repeat', p),
    ItemPatCat:
      categoryBits(subCodings(usage, 'Gender'), 'gender', 'Medication.extension[medication-usage-context].extension[Gender]', p) |
      categoryBits(subCodings(usage, 'Age'), 'age', 'Medication.extension[medication-usage-context].extension[Age]', p),
    ItemCareType: careTypeOf(subCodings(usage, 'CareType'), 'Medication.extension[medication-usage-context].extension[CareType]', p),
  };
  p.throwIfAny();
  return values;
}

function typeOf(extension: Extension | undefined, p: Problems): string | null {
  const code = extension?.valueCodeableConcept?.coding?.[0]?.code;
  if (!code) {
    p.add('Medication.extension[medication-type]', `is required: ${itemType.fhirCodes().join(' or ')}`, 'required');
    return null;
  }
  if (!itemType.fhirCodes().includes(code)) {
    p.add('Medication.extension[medication-type]', `unknown code "${code}"; expected ${itemType.fhirCodes().join(' or ')}`, 'code-invalid');
    return null;
  }
  return String(itemType.toLegacy(code));
}

/** The codings of a usage-context part (Gender, Age, CareType); undefined when the part is absent. */
function subCodings(parts: Extension[] | undefined, name: string): Coding[] | undefined {
  const part = parts?.find((e) => e.url?.toLowerCase() === name.toLowerCase());
  if (!part) return undefined;
  return part.valueUsageContext?.valueCodeableConcept?.coding ?? [];
}
