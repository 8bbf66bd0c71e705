/** Medication search parameters, as data over tblItems columns. */
import type { SearchParamDecl } from '../../fhir/types.js';
import { loadMapping } from '../mappings.js';

const itemType = loadMapping('medication-item-type');

/**
 * Every served row is current, so every Medication is `active`; `status=active` matches them all and
 * other codes none. (A NULL legacy value makes the token compare `ValidityTo IS NULL`.)
 */
export const ACTIVE_STATUS = { column: 't.ValidityTo', system: 'http://hl7.org/fhir/CodeSystem/medication-status', codes: { active: null as unknown as string } };

export const medicationSearchParams: SearchParamDecl[] = [
  {
    code: 'insurance-plan',
    type: 'reference',
    description: 'The products (InsurancePlan) that list the item: current tblProductItems lines',
    definition: 'https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/medication-insurance-plan',
    column: 'v.ProdID',
    target: 'InsurancePlan',
    via: { table: 'tblProductItems', from: 't.ItemID', key: 'ItemID', current: 'ValidityTo' },
  },
  {
    code: 'identifier',
    type: 'token',
    description: 'Item code or UUID',
    tokens: [{ column: 't.ItemCode' }, { column: 't.ItemUUID', lowerCase: true }],
  },
  {
    code: 'code',
    type: 'token',
    description: 'openIMIS item code (ItemCode); :text matches the item name (Medication.code.text)',
    tokens: [{ column: 't.ItemCode', display: 't.ItemName' }],
    sortColumn: 't.ItemCode',
  },
  {
    code: 'name',
    type: 'string',
    description: 'Item name (Medication.code.text)',
    definition: 'https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/medication-name',
    columns: ['t.ItemName'],
    sortColumn: 't.ItemName',
  },
  { code: 'status', type: 'token', description: 'active (every current item)', tokens: [ACTIVE_STATUS] },
  {
    code: 'type',
    type: 'token',
    description: 'Item type: D drug, M medical consumable (extension medication-type)',
    definition: 'https://openimis.github.io/openimis_fhir_r4_ig/SearchParameter/medication-type',
    tokens: [{ column: 't.ItemType', system: itemType.system, codes: itemType.searchMap(), displays: itemType.displays() }],
  },
];
