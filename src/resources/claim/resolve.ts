/**
 * Resolving the references of an incoming Claim to current legacy rows: by UUID or business code,
 * as "Type/id", type + identifier, or contained — in FHIR's "#id" form or the openIMIS module's
 * "#Type/id". A contained resource only names an existing row (by its id or its identifiers); unlike
 * the openIMIS module, this server does not create or change master data from a claim.
 */
import type { FhirResource, Identifier, Reference } from 'fhir/r4.js';
import type { Knex } from 'knex';
import type { Row } from '../../fhir/types.js';
import { isUuid } from '../../fhir/store.js';
import { findCurrent, type LookupTable } from '../lookups.js';
import { identifierType, referenceId } from '../ig.js';
import type { Problems } from '../problems.js';

/** The ids (UUIDs or codes) a reference names, in the order to try them; empty when it names nothing usable. */
export function referenceCandidates(ref: Reference | undefined, type: string, contained: FhirResource[]): string[] {
  if (!ref) return [];
  if (ref.type && ref.type !== type) return [];
  const raw = ref.reference;
  if (raw?.startsWith('#')) {
    const local = raw.slice(1);
    const slash = local.indexOf('/');
    const [localType, localId] = slash >= 0 ? [local.slice(0, slash), local.slice(slash + 1)] : [undefined, local];
    if (localType && localType !== type) return [];
    const resource = contained.find((r) => r.id === localId && (!localType || r.resourceType === localType) && r.resourceType === type);
    if (!resource) return localType ? [localId] : [];
    const identifiers = ((resource as { identifier?: Identifier[] }).identifier ?? []).filter((i) => i.value);
    return unique([
      resource.id!,
      ...identifiers.filter((i) => identifierType(i) === 'UUID').map((i) => i.value!),
      ...identifiers.filter((i) => identifierType(i) !== 'UUID').map((i) => i.value!),
    ]);
  }
  const id = referenceId(ref, type);
  return id ? unique([id, ...(ref.identifier?.value && ref.identifier.value !== id ? [ref.identifier.value] : [])]) : [];
}

/** The current row a reference names, or a problem recorded against the element. */
export async function resolveOne(
  db: Knex,
  ref: Reference | undefined,
  type: string,
  spec: LookupTable,
  contained: FhirResource[],
  expression: string,
  p: Problems,
): Promise<Row | undefined> {
  if (!ref) return undefined;
  const candidates = referenceCandidates(ref, type, contained);
  if (candidates.length === 0) {
    p.add(expression, `must reference a ${type} (by id, business code or a contained ${type})`);
    return undefined;
  }
  for (const id of candidates) {
    const row = await findCurrent(db, spec, id);
    if (row) return row;
  }
  p.add(expression, `names no current ${type} (${candidates.join(', ')})`);
  return undefined;
}

/** Splits ids into UUIDs (lower case) and codes, for one batched lookup. */
export function splitIds(ids: string[]): { uuids: string[]; codes: string[] } {
  return {
    uuids: unique(ids.filter(isUuid).map((id) => id.toLowerCase())),
    codes: unique(ids.filter((id) => !isUuid(id))),
  };
}

const unique = (values: string[]) => [...new Set(values)];
