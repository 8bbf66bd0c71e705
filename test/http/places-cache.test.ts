/**
 * Addresses and facility references come from locations and facilities held in memory
 * (src/resources/places.ts). What the cache promises: changes written through this server show at
 * once, changes made elsewhere within LOCATION_CACHE_SECONDS, and rows it does not hold (new, or
 * written in the request's own transaction) are read from the database.
 */
import t from 'tap';
import { startServer } from '../helpers/app.js';
import { DEMO } from '../../src/db/demo/facts.js';
import { Places } from '../../src/resources/places.js';

const IG = 'https://openimis.github.io/openimis_fhir_r4_ig';
const L = DEMO.locations;
const head = DEMO.headInsuree;

const village = (name: string) => ({
  resourceType: 'Location',
  id: L.village.uuid,
  identifier: [{ type: { coding: [{ system: `${IG}/CodeSystem/openimis-identifiers`, code: 'Code' }] }, value: L.village.code }],
  name,
  status: 'active',
  mode: 'instance',
  physicalType: { coding: [{ system: `${IG}/CodeSystem/location-type`, code: 'V' }] },
  partOf: { reference: `Location/${L.ward.uuid}` },
});

t.test('a long cache: changes made elsewhere wait, changes made through the server show at once', async (t) => {
  const server = await startServer(t, { LOCATION_CACHE_SECONDS: '3600' });
  const db = server.db.knex;
  const city = async () => (await server.fhir(`Patient/${head.uuid}`)).body.address?.[0]?.city;
  t.equal(await city(), L.village.name, 'the address from the places');

  await db('tblLocations').where('LocationId', L.village.id).update({ LocationName: 'Renamed Elsewhere' });
  t.equal(await city(), L.village.name, 'a change made outside the server is not seen before the cache ages');

  const put = await server.fhir(`Location/${L.village.uuid}`, { method: 'PUT', body: JSON.stringify(village('Renamed Here')) });
  t.equal(put.status, 200, 'the rename is accepted');
  t.equal(await city(), 'Renamed Here', 'a change written through the server shows at once');

  // In a transaction the rename is read through the transaction itself (PGlite has one connection).
  const bundle = await server.fhir('', {
    method: 'POST',
    body: JSON.stringify({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: village('Renamed In Bundle'), request: { method: 'PUT', url: `Location/${L.village.uuid}` } },
        { request: { method: 'GET', url: `Patient/${head.uuid}` } },
      ],
    }),
  });
  t.equal(bundle.status, 200, 'the transaction is accepted');
  t.equal(bundle.body.entry[1].resource.address[0].city, 'Renamed In Bundle', 'the GET of the transaction sees its own rename');
  t.equal(await city(), 'Renamed In Bundle', 'and so does the next request');

  // A village the snapshot cannot hold yet: inserted behind the server's back, then used.
  const [{ LocationId: newId }] = await db('tblLocations')
    .insert({ LocationUUID: '0e9ad1a4-7d0c-4c43-9f7e-5a8a1ccf0b01', LocationCode: 'R1D1M1V9', LocationName: 'Kijiji Kipya', LocationType: 'V', ParentLocationId: L.ward.id, ValidityFrom: new Date(), AuditUserId: 1 })
    .returning('LocationId');
  await db('tblInsuree').where('InsureeID', head.id).update({ CurrentVillage: newId });
  const read = await server.fhir(`Patient/${head.uuid}`);
  t.equal(read.body.address[0].city, 'Kijiji Kipya', 'a location missing from the snapshot is read from the database');
  t.equal(read.body.address[0].district, L.district.name, 'with its ancestors');
});

t.test('LOCATION_CACHE_SECONDS=0: every request sees the database', async (t) => {
  const server = await startServer(t, { LOCATION_CACHE_SECONDS: '0' });
  const db = server.db.knex;
  await db('tblLocations').where('LocationId', L.district.id).update({ LocationName: 'Amani Mpya' });
  const read = await server.fhir(`Patient/${head.uuid}`);
  t.equal(read.body.address[0].district, 'Amani Mpya');
});

t.test('Places: reloaded when older than its age, not before; invalidation wins over a load in flight', async (t) => {
  const server = await startServer(t);
  const db = server.db.knex;
  let clock = 1_000_000;
  const places = new Places(db, 60_000, () => clock);
  const name = async () => (await places.lookup(db, { locations: [L.region.id] })).location(L.region.id)?.name;
  t.equal(await name(), L.region.name);
  await db('tblLocations').where('LocationId', L.region.id).update({ LocationName: 'Kilima Kuu' });
  clock += 59_000;
  t.equal(await name(), L.region.name, 'still fresh');
  clock += 2_000;
  t.equal(await name(), 'Kilima Kuu', 'reloaded once older than the age');

  await db('tblLocations').where('LocationId', L.region.id).update({ LocationName: 'Kilima' });
  const inFlight = name();
  places.invalidate();
  await inFlight;
  t.equal(await name(), 'Kilima', 'a load that began before an invalidation is not kept');

  const facility = (await places.lookup(db, { facilities: [DEMO.healthFacility.id] })).facility(DEMO.healthFacility.id);
  t.match(facility, { uuid: DEMO.healthFacility.uuid, code: DEMO.healthFacility.code });
});
