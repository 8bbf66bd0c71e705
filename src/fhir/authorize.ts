/** Rights as data: each resource lists, per interaction, the rights of which a caller needs one. */
import type { Caller, Interaction, Rights } from './types.js';
import { FhirError, forbidden } from './outcome.js';

/** openIMIS rights: any one listed right suffices; administrators pass every check. */
export function authorize(caller: Caller, def: { type: string; source?: string; rights: Rights }, interaction: Interaction) {
  // PATCH is an update: it needs what update needs unless the resource says otherwise.
  const needed = def.rights[interaction] ?? (interaction === 'patch' ? def.rights.update : undefined);
  if (needed === undefined) {
    throw new FhirError(405, { code: 'not-supported', diagnostics: `${interaction} is not supported on ${def.type}${def.source ? ` (${def.source})` : ''}` });
  }
  if (caller.isAdmin || needed.length === 0 || needed.some((right) => caller.rights.has(right))) return;
  throw forbidden(`${interaction} on ${def.type} requires one of the openIMIS rights ${needed.join(', ')}`);
}


/** The same check as a boolean, for searches that leave out the sources a caller may not read. */
export function allowed(caller: Caller, def: { rights: Rights }, interaction: Interaction): boolean {
  const needed = def.rights[interaction] ?? (interaction === 'patch' ? def.rights.update : undefined);
  return needed !== undefined && (caller.isAdmin || needed.length === 0 || needed.some((right) => caller.rights.has(right)));
}
