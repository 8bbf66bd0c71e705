/**
 * What a search returns or reveals of other types (_include, _revinclude, _has) needs the caller's
 * search right on them; a chain does not (src/fhir/search/rights.ts). The demo Clerk may search insurees,
 * families and policies, not claims nor health facilities.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';

const server = await startServer(t);
const { clerk, admin } = DEMO.users;
const clerkToken = await server.login(clerk.login, clerk.password);
const adminToken = await server.login(admin.login, admin.password);

const types = (bundle: any, mode: string) => (bundle.entry ?? []).filter((e: any) => e.search?.mode === mode).map((e: any) => e.resource.resourceType);
const ids = (bundle: any) => (bundle.entry ?? []).filter((e: any) => e.search?.mode === 'match').map((e: any) => e.resource.id);

const clerkPatients = ids((await server.fhir('Patient?_count=100', { token: clerkToken })).body);
const patientQuery = `Patient?_id=${clerkPatients.join(',')}&_count=100`;

t.test('_revinclude and _include leave out what the caller may not search', async (t) => {
  t.ok(clerkPatients.length > 0, 'the clerk sees insurees');
  const asAdmin = await server.fhir(`${patientQuery}&_revinclude=Claim:patient&_include=Patient:general-practitioner`, { token: adminToken });
  t.ok(types(asAdmin.body, 'include').includes('Claim'), 'the same insurees have claims (seen by the administrator)');
  t.ok(types(asAdmin.body, 'include').includes('Organization'), 'and facilities');
  const asClerk = await server.fhir(`${patientQuery}&_revinclude=Claim:patient&_include=Patient:general-practitioner`, { token: clerkToken });
  t.equal(asClerk.status, 200);
  t.same(ids(asClerk.body).sort(), [...clerkPatients].sort(), 'the matches are the same');
  t.same(types(asClerk.body, 'include'), [], 'no claim, no facility included');
});

t.test('_has into a type the caller may not search is a 403', async (t) => {
  const claim = DEMO.claims.enteredElsewhere;
  for (const query of [`Patient?_has:Claim:patient:identifier=${claim.code}`, 'Patient?_has:Claim:patient:status=active']) {
    const asAdmin = await server.fhir(query, { token: adminToken });
    t.equal(asAdmin.status, 200, `${query} is a valid search`);
    const asClerk = await server.fhir(query, { token: clerkToken });
    t.equal(asClerk.status, 403, `${query} as the clerk`);
    t.equal(asClerk.body.resourceType, 'OperationOutcome');
    t.match(asClerk.body.issue[0].diagnostics, /requires one of the openIMIS rights/);
  }
});

t.test('a chain filters on what the caller reads: no right on the target needed, its row security applies', async (t) => {
  const query = `Patient?general-practitioner:identifier=${DEMO.healthFacility.code}&_count=100`;
  const asAdmin = ids((await server.fhir(query, { token: adminToken })).body);
  const asClerk = await server.fhir(query, { token: clerkToken });
  t.equal(asClerk.status, 200);
  t.ok(ids(asClerk.body).every((id: string) => asAdmin.includes(id) && clerkPatients.includes(id)), 'only her insurees that chose the facility');
});
