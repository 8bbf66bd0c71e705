/**
 * Top-level elements marked isSummary in the FHIR R4 StructureDefinitions, for the resource types
 * this server maps (http://hl7.org/fhir/R4/<type>.html, the Σ flag). Used by _summary=true.
 */
export const SUMMARY_ELEMENTS: Record<string, string[]> = {
  Patient: ['identifier', 'active', 'name', 'telecom', 'gender', 'birthDate', 'deceasedBoolean', 'deceasedDateTime', 'address', 'managingOrganization', 'link'],
};
