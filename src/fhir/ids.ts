/** Logical ids: entity UUIDs, or business codes that read the same entity (Patient/<CHFID>). */
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (id: string) => UUID_RE.test(id);
/** The FHIR id grammar (http://hl7.org/fhir/R4/datatypes.html#id). */
export const isFhirId = (id: string) => /^[A-Za-z0-9\-.]{1,64}$/.test(id);
