/**
 * JSON → XML → JSON on the official R4 examples: every example of a broad set of resource types must
 * come back deep-equal (types included: booleans, integers, decimals), and the XML must follow the
 * StructureDefinition element order (strictOrder refuses anything out of order).
 */
import t from 'tap';
import { fromXml, toXml } from '../../src/fhir/xml/index.js';
import { examplesOf, readExample } from './examples.js';

const TYPES = [
  'Patient', 'Claim', 'ClaimResponse', 'Coverage', 'Contract', 'InsurancePlan', 'Organization', 'Location',
  'Group', 'Practitioner', 'PractitionerRole', 'Medication', 'ActivityDefinition', 'Communication',
  'CommunicationRequest', 'CoverageEligibilityRequest', 'CoverageEligibilityResponse', 'Bundle',
  'CapabilityStatement', 'OperationOutcome', 'Observation', 'Questionnaire', 'QuestionnaireResponse',
  'ExplanationOfBenefit', 'HealthcareService', 'Encounter', 'Condition', 'MedicationRequest', 'Procedure',
  'DiagnosticReport', 'Task', 'Consent', 'GuidanceResponse', 'PlanDefinition', 'Provenance', 'AuditEvent',
];
/** The definition bundles of the specification (MBs each) are left to the single large-bundle test below. */
const MAX_BYTES = 1_000_000;

let total = 0;
for (const type of TYPES) {
  t.test(type, async (t) => {
    const files = examplesOf(type, MAX_BYTES);
    t.ok(files.length > 0, `the package has ${type} examples`);
    files.forEach((file, i) => {
      const json = readExample(file);
      const xml = toXml(json, { pretty: i % 2 === 0 });
      t.ok(xml.startsWith(`<?xml version="1.0" encoding="UTF-8"?>`), `${file}: XML declaration`);
      t.match(xml, new RegExp(`^<\\?xml [^>]*\\?>\\n?<${type} xmlns="http://hl7.org/fhir"[ >/]`), `${file}: root in the FHIR namespace`);
      t.strictSame(fromXml(xml, { strictOrder: true }), json, `${file} round-trips`);
      total++;
    });
  });
}

t.test('a large definition bundle (every R4 datatype StructureDefinition)', async (t) => {
  const json = readExample('Bundle-types.json');
  const xml = toXml(json);
  t.strictSame(fromXml(xml, { strictOrder: true }), json, 'Bundle-types.json round-trips');
});

// FHIR_XML_ALL_EXAMPLES=1: every one of the ~5,300 examples of the package (a few minutes).
t.test('every example of the package', { skip: process.env.FHIR_XML_ALL_EXAMPLES ? false : 'set FHIR_XML_ALL_EXAMPLES=1' }, async (t) => {
  for (const file of examplesOf('')) {
    const json = readExample(file);
    if (typeof json.resourceType !== 'string') continue;
    const xml = toXml(json);
    t.strictSame(fromXml(xml, { strictOrder: true, maxLength: xml.length }), json, `${file} round-trips`);
  }
});

t.teardown(() => {
  console.log(`# ${total} official examples of ${TYPES.length} resource types round-tripped`);
});
