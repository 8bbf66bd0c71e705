import t from 'tap';
import { timeOrderedUuid } from '../../src/plugins/audit.js';

t.test('audit events get version 7 UUIDs, in the order of their time', async (t) => {
  const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const at = Date.UTC(2026, 11, 5, 22, 50, 0, 123);
  const id = timeOrderedUuid(at);
  t.match(id, V7, 'RFC 9562 version 7, RFC 4122 variant');
  t.equal(parseInt(id.slice(0, 8) + id.slice(9, 13), 16), at, 'the first 48 bits are the Unix time in milliseconds');
  const ids = Array.from({ length: 50 }, (_, i) => timeOrderedUuid(at + i * 1000));
  t.same([...ids].sort(), ids, 'later events sort after earlier ones');
  t.equal(new Set(Array.from({ length: 1000 }, () => timeOrderedUuid(at))).size, 1000, 'unique within one millisecond');
});
