/** BoundedMap never holds more than its bound, and replacing a key it holds keeps the rest. */
import t from 'tap';
import { BoundedMap } from '../../src/fhir/bounded-map.js';

t.test('a full map starts afresh on a new key only', async (t) => {
  const map = new BoundedMap<string, number>(3);
  for (const [i, key] of ['a', 'b', 'c'].entries()) map.set(key, i);
  t.same([...map], [['a', 0], ['b', 1], ['c', 2]]);
  map.set('b', 10);
  t.same([...map], [['a', 0], ['b', 10], ['c', 2]], 'a key it holds is replaced in place');
  map.set('d', 3);
  t.same([...map], [['d', 3]], 'a new key when full: only that key');
  for (let i = 0; i < 100; i++) {
    map.set(`k${i}`, i);
    t.ok(map.size <= 3);
  }
  t.equal(map.get('k99'), 99, 'the last key set is always there');
});
