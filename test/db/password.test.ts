import t from 'tap';
import { createHash } from 'node:crypto';
import { checkPassword, hashPassword, newPrivateKey } from '../../src/auth/password.js';

t.test('hashPassword follows the openIMIS rule', async (t) => {
  const key = 'A1B2C3';
  const expected = createHash('sha256').update('admin123A1B2C3', 'utf8').digest('hex').toUpperCase();
  t.equal(hashPassword('admin123', key), expected, 'upper-case hex SHA-256 of password + key');
  t.equal(hashPassword('admin123 \t\n', key), expected, 'trailing whitespace is ignored');
  t.not(hashPassword(' admin123', key), expected, 'leading whitespace is kept');
  t.equal(hashPassword('pässwörd', 'k'), createHash('sha256').update('pässwördk', 'utf8').digest('hex').toUpperCase(), 'UTF-8');
});

t.test('checkPassword', async (t) => {
  const key = newPrivateKey();
  const stored = hashPassword('secret', key);
  t.ok(checkPassword('secret', key, stored), 'right password');
  t.ok(checkPassword('secret', key, stored.toLowerCase()), 'case-insensitive hex');
  t.ok(checkPassword('secret  ', key, stored), 'trailing whitespace');
  t.notOk(checkPassword('Secret', key, stored), 'wrong password');
  t.notOk(checkPassword('secret', `${key}0`, stored), 'wrong key');
  t.notOk(checkPassword('secret', key, 'locked'), 'locked marker never matches');
  t.notOk(checkPassword('secret', key, null), 'no stored password');
  t.notOk(checkPassword('secret', key, `${stored}00`), 'wrong length');
});

t.test('newPrivateKey', async (t) => {
  const a = newPrivateKey();
  t.match(a, /^[0-9a-f]{256}$/, '256 lower-case hex characters');
  t.not(newPrivateKey(), a, 'random');
});
