/**
 * Patient read and search over the real HTTP server and a real database, with fhir-kit-client
 * where it fits. Demo rows are looked up in the database rather than hard-coded.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';

const server = await startServer(t);
const db = server.db.knex;
const head = await db('tblInsuree').whereNull('ValidityTo').where('IsHead', true).orderBy('InsureeID').first();
const withHistory = await db('tblInsuree as t')
  .whereNull('t.ValidityTo')
  .whereExists(db('tblInsuree as h').whereRaw('h."LegacyID" = t."InsureeID"').whereNot('h.InsureeID', db.ref('t.InsureeID')))
  .first('t.*');
const deleted = await db('tblInsuree').whereNotNull('ValidityTo').whereNull('LegacyID').first();
const currentCount = Number((await db('tblInsuree').whereNull('ValidityTo').count({ n: '*' }))[0].n);

t.test('the demo database has what these tests need', async (t) => {
  t.ok(head, 'a current head of family');
  t.ok(withHistory, 'a current insuree with history rows');
  t.ok(deleted, 'a soft-deleted insuree');
  t.ok(currentCount > 5);
});

t.test('read by UUID with fhir-kit-client', async (t) => {
  const patient = (await server.client().read({ resourceType: 'Patient', id: head.InsureeUUID })) as any;
  t.equal(patient.resourceType, 'Patient');
  t.equal(patient.id, head.InsureeUUID.toLowerCase());
  t.same(
    patient.identifier.map((i: any) => [i.type.coding[0].code, i.value]),
    [['UUID', head.InsureeUUID.toLowerCase()], ['Code', head.CHFID]],
  );
  t.equal(patient.identifier[0].type.coding[0].system, 'https://openimis.github.io/openimis_fhir_r4_ig/CodeSystem/openimis-identifiers');
  t.equal(patient.name[0].family, head.LastName);
  t.same(patient.name[0].given, [head.OtherNames]);
  t.equal(patient.birthDate, head.DOB);
  t.match(patient.meta, { versionId: /^\d+$/, lastUpdated: /^\d{4}-\d\d-\d\dT/ });
  const isHead = patient.extension.find((e: any) => e.url.endsWith('/StructureDefinition/patient-is-head'));
  t.equal(isHead.valueBoolean, true);
  const group = patient.extension.find((e: any) => e.url.endsWith('/StructureDefinition/patient-group-reference'));
  t.match(group.valueReference.reference, /^Group\/[0-9a-f-]{36}$/);
  t.notMatch(JSON.stringify(patient), /_ig\/\//, 'no doubled slashes in canonical URLs');
});

t.test('read answers with ETag, Last-Modified and the FHIR content type', async (t) => {
  const res = await server.fhir(`Patient/${head.InsureeUUID}`);
  t.equal(res.status, 200);
  t.equal(res.headers.get('content-type'), 'application/fhir+json; charset=utf-8');
  t.equal(res.headers.get('etag'), `W/"${res.body.meta.versionId}"`);
  t.equal(new Date(res.headers.get('last-modified')!).getTime(), Math.floor(Date.parse(res.body.meta.lastUpdated) / 1000) * 1000);
  const again = await server.fhir(`Patient/${head.InsureeUUID}`, { headers: { 'if-none-match': res.headers.get('etag')! } });
  t.equal(again.status, 304, 'If-None-Match with the current version');
});

t.test('the photo: an attachment at <SITE_URL>/photo/<folder>/<file>', async (t) => {
  const photo = await db('tblPhotos').orderBy('PhotoID').first();
  const insuree = await db('tblInsuree').where({ PhotoID: photo.PhotoID }).whereNull('ValidityTo').first();
  const expected = {
    contentType: 'image/jpeg',
    url: `/photo/Images/Updated/${photo.PhotoFileName}`,
    title: photo.PhotoFileName,
    creation: photo.PhotoDate,
  };
  // Twice: the folder's URL segment is worked out once and then remembered.
  for (const round of [1, 2]) t.same((await server.fhir(`Patient/${insuree.InsureeUUID}`)).body.photo, [expected], `read ${round}`);

  // Another insuree's photo in another folder, written the other way round, with a name to encode.
  const other = await db('tblInsuree').whereNull('ValidityTo').whereNull('PhotoID').orderBy('InsureeID').first();
  await db('tblPhotos').insert({
    PhotoID: 900, PhotoUUID: '5e1d0b7e-0000-4000-8000-000000000900', InsureeID: other.InsureeID, CHFID: other.CHFID,
    PhotoFolder: '/Photos\\2026/', PhotoFileName: 'scan #1.PNG', OfficerID: photo.OfficerID, PhotoDate: '2026-01-02', ValidityFrom: new Date(),
  });
  await db('tblInsuree').where({ InsureeID: other.InsureeID }).update({ PhotoID: 900 });
  t.same((await server.fhir(`Patient/${other.InsureeUUID}`)).body.photo, [
    { contentType: 'image/png', url: '/photo/Photos/2026/scan%20%231.PNG', title: 'scan #1.PNG', creation: '2026-01-02' },
  ]);
  t.same((await server.fhir(`Patient/${insuree.InsureeUUID}`)).body.photo, [expected], 'the first folder unchanged');
});

t.test('read by insurance number (CHFID), and at both base paths with trailing slashes', async (t) => {
  const byCode = await server.fhir(`Patient/${head.CHFID}/`);
  t.equal(byCode.status, 200);
  t.equal(byCode.body.id, head.InsureeUUID.toLowerCase());
  const legacyBase = await server.fhir(`${server.origin}/api/api_fhir/Patient/${head.InsureeUUID}/`);
  t.equal(legacyBase.status, 200);
});

t.test('unknown, deleted and malformed ids', async (t) => {
  const unknown = await server.fhir('Patient/00000000-0000-4000-8000-000000000000');
  t.equal(unknown.status, 404);
  t.equal(unknown.body.resourceType, 'OperationOutcome');
  t.equal(unknown.body.issue[0].code, 'not-found');
  const gone = await server.fhir(`Patient/${deleted.InsureeUUID}`);
  t.equal(gone.status, 410);
  t.equal(gone.body.issue[0].code, 'deleted');
  for (const id of ["1' OR '1'='1", '..%2F..%2Fetc%2Fpasswd', 'x'.repeat(300)]) {
    const res = await server.fhir(`Patient/${id}`);
    t.ok(res.status === 404 || res.status === 400, `${id.slice(0, 20)} → ${res.status}`);
    t.equal(res.body.resourceType, 'OperationOutcome');
  }
  const type = await server.fhir('Nonsense/1');
  t.equal(type.status, 404);
  t.equal(type.body.issue[0].code, 'not-supported');
});

t.test('history and vread serve the legacy history rows', async (t) => {
  const history = await server.fhir(`Patient/${withHistory.InsureeUUID}/_history`);
  t.equal(history.status, 200);
  t.equal(history.body.type, 'history');
  const copies = await db('tblInsuree').where('LegacyID', withHistory.InsureeID).whereNot('InsureeID', withHistory.InsureeID);
  t.equal(history.body.entry.length, copies.length + 1, 'the current row and every history copy');
  const versions = history.body.entry.map((e: any) => e.resource.meta.versionId);
  t.equal(new Set(versions).size, versions.length, 'distinct version ids');
  t.ok(history.body.entry.every((e: any) => e.resource.id === withHistory.InsureeUUID.toLowerCase()), 'every version under the entity id');
  const oldest = history.body.entry.at(-1);
  const vread = await server.fhir(`Patient/${withHistory.InsureeUUID}/_history/${oldest.resource.meta.versionId}`);
  t.equal(vread.status, 200);
  t.same(vread.body.meta.versionId, oldest.resource.meta.versionId);
  t.equal((await server.fhir(`Patient/${withHistory.InsureeUUID}/_history/12345`)).status, 404);
});

t.test('search by identifier returns a searchset Bundle', async (t) => {
  const bundle = (await server.client().search({ resourceType: 'Patient', searchParams: { identifier: head.CHFID } })) as any;
  t.equal(bundle.resourceType, 'Bundle');
  t.equal(bundle.type, 'searchset');
  t.equal(bundle.total, 1);
  t.equal(bundle.entry.length, 1);
  t.equal(bundle.entry[0].search.mode, 'match');
  t.equal(bundle.entry[0].fullUrl, `${server.base}/Patient/${head.InsureeUUID.toLowerCase()}`);
  t.notOk(bundle.entry[0].response, 'no response element in a searchset');
  const byUuid = await server.fhir(`Patient?identifier=${head.InsureeUUID.toUpperCase()}`);
  t.equal(byUuid.body.entry?.length, 1, 'UUIDs match whatever their case');
});

t.test('search by name, gender, birthdate', async (t) => {
  const prefix = head.LastName.slice(0, 3).toLowerCase();
  const byName = await server.fhir(`Patient?name=${encodeURIComponent(prefix)}&_count=100`);
  t.equal(byName.status, 200);
  t.ok(byName.body.entry.length >= 1);
  t.ok(
    byName.body.entry.every((e: any) =>
      [e.resource.name[0].family, ...(e.resource.name[0].given ?? [])].some((n: string) => n.toLowerCase().startsWith(prefix)),
    ),
    'every match starts with the prefix in some name part',
  );
  const exact = await server.fhir(`Patient?family:exact=${encodeURIComponent(head.LastName)}&_count=100`);
  t.ok(exact.body.entry.every((e: any) => e.resource.name[0].family === head.LastName));
  const females = await server.fhir('Patient?gender=female&_count=1000');
  const expected = Number((await db('tblInsuree').whereNull('ValidityTo').where('Gender', 'F').count({ n: '*' }))[0].n);
  t.equal(females.body.entry?.length ?? 0, expected);
  t.ok((females.body.entry ?? []).every((e: any) => e.resource.gender === 'female'));
  const born = await server.fhir(`Patient?birthdate=${head.DOB}&_count=100`);
  t.ok(born.body.entry.some((e: any) => e.resource.id === head.InsureeUUID.toLowerCase()));
  t.ok(born.body.entry.every((e: any) => e.resource.birthDate === head.DOB));
  const range = await server.fhir(`Patient?birthdate=ge${head.DOB}&birthdate=le${head.DOB}&_count=100`);
  t.equal(range.body.entry.length, born.body.entry.length, 'AND of ge and le is the same day');
  const or = await server.fhir(`Patient?identifier=${head.CHFID},${withHistory.CHFID}`);
  t.equal(or.body.entry.length, 2, 'comma means OR');
});

t.test('POST _search gives the same results as GET', async (t) => {
  const get = await server.fhir('Patient?gender=male&_count=100');
  const post = await server.fhir('Patient/_search', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'gender=male&_count=100',
  });
  t.equal(post.status, 200);
  t.same(post.body.entry.map((e: any) => e.resource.id), get.body.entry.map((e: any) => e.resource.id));
});

t.test('paging walks every current insuree exactly once, both ways', async (t) => {
  const first = await server.fhir('Patient?_count=7&_total=accurate');
  t.equal(first.body.total, currentCount);
  const seen: string[] = [];
  let page = first.body;
  const pages = [];
  for (let i = 0; i < 100 && page; i++) {
    pages.push(page);
    seen.push(...(page.entry ?? []).map((e: any) => e.resource.id));
    const next = page.link.find((l: any) => l.relation === 'next');
    page = next ? (await server.fhir(next.url)).body : undefined;
  }
  t.equal(seen.length, currentCount);
  t.equal(new Set(seen).size, currentCount, 'no duplicates');
  const last = pages.at(-1);
  const previous = last.link.find((l: any) => l.relation === 'previous');
  t.ok(previous, 'the last page links back');
  const back = (await server.fhir(previous.url)).body;
  t.same(back.entry.map((e: any) => e.resource.id), pages.at(-2).entry.map((e: any) => e.resource.id));
  t.ok(first.body.link.some((l: any) => l.relation === 'self' && l.url.startsWith(`${server.base}/Patient?`)));
  const offset = await server.fhir('Patient?_count=7&page-offset=2');
  t.same(offset.body.entry.map((e: any) => e.resource.id), pages[1].entry.map((e: any) => e.resource.id), 'openIMIS page-offset');
  const countOnly = await server.fhir('Patient?_count=0');
  t.equal(countOnly.body.total, currentCount);
  t.notOk(countOnly.body.entry?.length);
});

t.test('unknown parameters: ignored and dropped from self, or 400 under handling=strict', async (t) => {
  const lenient = await server.fhir(`Patient?foo=bar&identifier=${head.CHFID}`);
  t.equal(lenient.status, 200);
  const self = lenient.body.link.find((l: any) => l.relation === 'self').url;
  t.notMatch(self, /foo=/);
  t.match(self, /identifier=/);
  const strict = await server.fhir('Patient?foo=bar', { headers: { prefer: 'handling=strict' } });
  t.equal(strict.status, 400);
  t.equal(strict.body.resourceType, 'OperationOutcome');
});

t.test('hostile search values are answered with 200 or 400, never 500', async (t) => {
  const values = ["' OR 1=1 --", '%', '_', '\\', '"; DROP TABLE "tblInsuree"; --', '\u0000', 'x'.repeat(5000)];
  for (const value of values) {
    for (const param of ['name', 'identifier', 'family:contains', 'gender', 'phone', 'birthdate', '_id', '_lastUpdated']) {
      const res = await server.fhir(`Patient?${param}=${encodeURIComponent(value)}`);
      t.ok(res.status === 200 || res.status === 400, `${param}=${JSON.stringify(value.slice(0, 12))} → ${res.status}`);
      if (res.status === 200) t.equal(res.body.entry?.length ?? 0, 0);
    }
  }
  const wildcard = await server.fhir('Patient?name=%25&_count=1000');
  t.equal(wildcard.body.entry?.length ?? 0, 0, 'a % in input is a literal, not a wildcard');
  for (const bad of ['_count=abc', 'birthdate=2021-02-30', '_total=lots', '_cursor=garbage', 'birthdate=gt99999']) {
    const res = await server.fhir(`Patient?${bad}`);
    t.equal(res.status, 400, bad);
  }
  t.ok(await db('tblInsuree').count({ n: '*' }), 'the table is still there');
});

t.test('resourceType, id and meta lead the JSON, read or found, and meta is the store\'s', async (t) => {
  const read = await server.fhir(`Patient/${head.InsureeUUID}`);
  const found = await server.fhir(`Patient?identifier=${head.CHFID}`);
  for (const [name, resource] of [['read', read.body], ['found', found.body.entry[0].resource]]) {
    t.same(Object.keys(resource).slice(0, 3), ['resourceType', 'id', 'meta'], name);
    t.equal(resource.meta.versionId, read.headers.get('etag')?.replace(/^W\/"|"$/g, ''), `${name}: the version of the row`);
    t.ok(Object.keys(resource).length > 6, `${name}: and the rest of the Patient after them`);
  }
});
