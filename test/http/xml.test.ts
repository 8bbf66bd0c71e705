/** FHIR XML over HTTP: Accept and _format, XML bodies in, OperationOutcomes in XML. */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';
import { fromXml } from '../../src/fhir/xml/index.js';

const server = await startServer(t);
const head = DEMO.headInsuree;

t.test('read and search as XML, by Accept and by _format', async (t) => {
  const json = await server.fhir(`Patient/${head.uuid}`);
  for (const [path, headers] of [
    [`Patient/${head.uuid}`, { accept: 'application/fhir+xml' }],
    [`Patient/${head.uuid}?_format=xml`, {}],
    [`Patient/${head.uuid}?_format=application/fhir%2Bxml`, {}],
  ] as const) {
    const res = await server.fhir(path, { headers });
    t.equal(res.status, 200);
    t.equal(res.headers.get('content-type'), 'application/fhir+xml; charset=utf-8');
    t.match(res.body, /^<\?xml[^>]*\?>\s*<Patient xmlns="http:\/\/hl7\.org\/fhir">/);
    t.same(fromXml(res.body), json.body, 'the XML says what the JSON says');
  }
  const bundle = await server.fhir(`Patient?identifier=${head.chfid}&_format=xml`);
  t.match(bundle.body, /<Bundle xmlns="http:\/\/hl7\.org\/fhir">/);
  t.equal((fromXml(bundle.body) as any).entry[0].resource.id, head.uuid);
  const preferred = await server.fhir(`Patient/${head.uuid}`, { headers: { accept: 'application/fhir+xml;q=0.5, application/fhir+json' } });
  t.equal(preferred.headers.get('content-type'), 'application/fhir+json; charset=utf-8', 'q values decide');
});

t.test('errors in XML, XML bodies in', async (t) => {
  const missing = await server.fhir('Patient/00000000-0000-4000-8000-000000000000', { headers: { accept: 'application/fhir+xml' } });
  t.equal(missing.status, 404);
  t.match(missing.body, /<OperationOutcome xmlns="http:\/\/hl7\.org\/fhir">/);

  const current = await server.fhir(`Patient/${head.uuid}`, { headers: { accept: 'application/fhir+xml' } });
  const changed = current.body.replace(/<birthDate value="[^"]+"\/>/, '<birthDate value="1978-04-13"/>');
  const put = await server.fhir(`Patient/${head.uuid}`, { method: 'PUT', headers: { 'content-type': 'application/fhir+xml', accept: 'application/fhir+xml' }, body: changed });
  t.equal(put.status, 200, put.body);
  t.match(put.body, /<birthDate value="1978-04-13"\/>/);
  const row = await server.db.knex('tblInsuree').where('InsureeUUID', head.uuid).first();
  t.equal(row.DOB, '1978-04-13');

  for (const hostile of [
    '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><Patient xmlns="http://hl7.org/fhir"><id value="&x;"/></Patient>',
    '<Patient xmlns="http://hl7.org/fhir"><nonsense value="1"/></Patient>',
    '<Patient xmlns="http://hl7.org/fhir"><name>',
  ]) {
    const res = await server.fhir('Patient', { method: 'POST', headers: { 'content-type': 'application/fhir+xml' }, body: hostile });
    t.equal(res.status, 400, hostile.slice(0, 40));
    t.equal(res.body.resourceType, 'OperationOutcome');
  }
});
