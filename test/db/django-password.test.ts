/**
 * Django password hashes of core_TechnicalUser, checked against Django's own published test vectors
 * (auth_tests/test_hashers.py: "lètmein" with salt "seasalt"; passlib's django_pbkdf2_sha1 vector).
 */
import t from 'tap';
import { checkDjangoPassword, makeDjangoPassword } from '../../src/auth/django-password.js';

const DJANGO_1_5 = 'pbkdf2_sha256$10000$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=';
const DJANGO_1_6 = 'pbkdf2_sha256$12000$seasalt$Ybw8zsFxqja97tY/o6G+Fy1ksY4U/Hw3DRrGED6Up4s=';
const SHA1 = 'pbkdf2_sha1$10000$wz5B6WkasRoF$atJmJ1o+XfJxKq1+Nu1f1i57Z5I=';

t.test('Django test vectors verify', async (t) => {
  t.same(await checkDjangoPassword('lètmein', DJANGO_1_5), { ok: true }, 'pbkdf2_sha256, 10000 iterations, UTF-8 password');
  t.same(await checkDjangoPassword('lètmein', DJANGO_1_6), { ok: true }, 'pbkdf2_sha256, 12000 iterations');
  t.same(await checkDjangoPassword('not a password', SHA1), { ok: true }, 'pbkdf2_sha1');
  t.equal(makeDjangoPassword('lètmein', 'seasalt', 10000), DJANGO_1_5, 'makeDjangoPassword encodes as Django does');
});

t.test('wrong passwords and malformed hashes never match', async (t) => {
  t.notOk((await checkDjangoPassword('letmein', DJANGO_1_5)).ok, 'wrong password');
  t.notOk((await checkDjangoPassword('lètmein ', DJANGO_1_5)).ok, 'Django does not strip whitespace');
  t.notOk((await checkDjangoPassword('lètmein', DJANGO_1_5.replace('seasalt', 'seasalT'))).ok, 'other salt');
  t.notOk((await checkDjangoPassword('lètmein', DJANGO_1_5.replace('$10000$', '$10001$'))).ok, 'other iteration count');
  t.notOk((await checkDjangoPassword('lètmein', DJANGO_1_5.slice(0, -2))).ok, 'truncated hash');
  t.notOk((await checkDjangoPassword('lètmein', `!${DJANGO_1_5}`)).ok, 'unusable password marker');
  t.notOk((await checkDjangoPassword('lètmein', null)).ok, 'no hash');
  t.notOk((await checkDjangoPassword('lètmein', 'pbkdf2_sha256$abc$seasalt$x')).ok, 'non-numeric iterations');
  t.notOk((await checkDjangoPassword('lètmein', 'pbkdf2_sha256$999999999999$seasalt$x')).ok, 'absurd iteration count refused');
  t.notOk((await checkDjangoPassword('lètmein', 'pbkdf2_sha256$10000$seasalt')).ok, 'missing part');
  t.same(await checkDjangoPassword('x', 'argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdA$aGFzaA'), { ok: false, unsupported: 'argon2' }, 'unsupported hasher named');
  t.same(await checkDjangoPassword('x', 'bcrypt_sha256$$2b$12$abc'), { ok: false, unsupported: 'bcrypt_sha256' }, 'bcrypt named');
});
