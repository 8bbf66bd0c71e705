import t from 'tap';
import { parseSearch, splitValues, splitToken } from '../../src/fhir/search/parse.js';
import { parseDateValue } from '../../src/fhir/search/dates.js';
import { encodeCursor, decodeCursor } from '../../src/fhir/search/paging.js';
import type { AnyResourceDefinition, SearchParamDecl } from '../../src/fhir/types.js';

const declared: SearchParamDecl[] = [
  { code: 'name', type: 'string', description: 'name', columns: ['t.Name'] },
  { code: 'birthdate', type: 'date', description: 'dob', column: 't.DOB', precision: 'day' },
  { code: 'gender', type: 'token', description: 'g', tokens: [{ column: 't.G' }] },
];
const def = {
  type: 'Thing',
  table: { name: 'tblThing', pk: 'ID', uuid: 'UUID', validityFrom: 'VF', validityTo: 'VT', legacyId: 'L', auditUser: 'A' },
  searchParams: declared,
} as unknown as AnyResourceDefinition;
const params = def;
const bad = { status: 400 } as unknown as Error;
const parse = (q: Record<string, string | string[]>, strict = false) => parseSearch(q, params, () => undefined, strict);

t.test('comma lists OR, repetitions AND, escaped commas stay', async (t) => {
  const request = parse({ name: ['a,b', 'c\\,d'], gender: 'male' });
  t.same(request.params.map((p) => (p.kind === 'simple' ? p.values : [])), [['a', 'b'], ['c,d'], ['male']]);
  t.same(splitValues('x\\,y,z'), ['x,y', 'z']);
});

t.test('tokens split into system and code', async (t) => {
  t.same(splitToken('s|c'), { system: 's', code: 'c' });
  t.same(splitToken('|c'), { system: '', code: 'c' });
  t.same(splitToken('s|'), { system: 's', code: undefined });
  t.same(splitToken('c'), { code: 'c' });
});

t.test('unknown parameters are ignored, or refused under handling=strict', async (t) => {
  t.same(parse({ nonsense: 'x' }).unknown, ['nonsense']);
  t.throws(() => parse({ nonsense: 'x' }, true), bad);
  t.throws(() => parse({ 'gender:exact': 'x' }, true), bad);
});

t.test('control parameters are checked', async (t) => {
  t.equal(parse({ _count: '5000' }).count, 1000, '_count is capped');
  t.throws(() => parse({ _count: '-1' }), bad);
  t.throws(() => parse({ _count: '1e3' }), bad);
  t.throws(() => parse({ _total: 'many' }), bad);
  t.throws(() => parse({ name: '' }), bad);
  t.throws(() => parse({ 'name:missing': 'maybe' }), bad);
  t.equal(parse({ _count: '10', 'page-offset': '3' }).offset, 20, 'openIMIS page-offset is a page number');
});

t.test('dates carry their precision as a range', async (t) => {
  const day = parseDateValue('ge2020-02-29', 'birthdate');
  t.equal(day.prefix, 'ge');
  t.equal(day.start.toISOString(), '2020-02-29T00:00:00.000Z');
  t.equal(day.end.toISOString(), '2020-03-01T00:00:00.000Z');
  t.equal(parseDateValue('1999', 'x').end.toISOString(), '2000-01-01T00:00:00.000Z');
  t.equal(parseDateValue('0050-01-01', 'x').start.getUTCFullYear(), 50, 'early years are not shifted to 19xx');
  t.equal(parseDateValue('2021-03-04T10:11:12+02:00', 'x').start.toISOString(), '2021-03-04T08:11:12.000Z');
  for (const value of ['2021-02-30', '2021-13-01', '20210101', 'yesterday', '99999-01-01', "1' or '1'='1", '2021-01-01T25:00']) {
    t.throws(() => parseDateValue(value, 'birthdate'), bad, value);
  }
});

t.test('cursors round-trip and forged ones are refused', async (t) => {
  t.same(decodeCursor(encodeCursor({ direction: 'next', key: [42] })), { direction: 'next', key: [42] });
  t.throws(() => decodeCursor('not-a-cursor'), bad);
  t.throws(() => decodeCursor(Buffer.from('["x",1]').toString('base64url')), bad);
});
