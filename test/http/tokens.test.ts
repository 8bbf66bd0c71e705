/**
 * Tokens: ours (HS256 with SECRET_KEY, or RS256 with key files), openIMIS's own (HS256 with the user's
 * PrivateKey), and the attacks on them: forged, expired, not yet valid, alg none, a public key used as
 * an HMAC secret, a token outliving a password change. Plus the trusted gateway header.
 */
import t from 'tap';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../helpers/app.js';
import { hashPassword, newPrivateKey } from '../../src/auth/password.js';

const b64 = (value: object | string) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
function hs256(payload: object, secret: string | Buffer, header: object = { alg: 'HS256', typ: 'JWT' }) {
  const head = `${b64(header)}.${b64(payload)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}
const now = () => Math.floor(Date.now() / 1000);

t.test('HS256: openIMIS tokens, expiry, nbf, forgery, alg none, password change', async (t) => {
  const server = await startServer(t);
  const db = server.db.knex;
  const admin = await db('tblUsers').where('LoginName', 'Admin').whereNull('ValidityTo').first();
  const get = (token: string) => server.fhir('Patient?_count=1', { token });

  const openimis = hs256({ username: 'Admin', exp: now() + 600, origIat: now(), nbf: now() - 5 }, admin.PrivateKey);
  t.equal((await get(openimis)).status, 200, 'a token openIMIS issued (signed with the PrivateKey) is accepted');
  t.equal((await get(hs256({ username: 'Admin', exp: now() + 600 }, 'not-the-key'))).status, 401, 'forged signature');
  t.equal((await get(hs256({ username: 'Admin', exp: now() - 10 }, admin.PrivateKey))).status, 401, 'expired');
  t.equal((await get(hs256({ username: 'Admin', exp: now() + 600, nbf: now() + 300 }, admin.PrivateKey))).status, 401, 'not yet valid');
  t.equal((await get(`${b64({ alg: 'none', typ: 'JWT' })}.${b64({ username: 'Admin', exp: now() + 600 })}.`)).status, 401, 'alg none');
  t.equal((await get(hs256({ username: 'Admin', exp: now() + 600, iss: 'openimis-fhir-r4' }, 'test-secret-key-0123456789-wrong'))).status, 401, 'our issuer, wrong key');
  t.equal((await get(hs256({ username: 'Nobody', exp: now() + 600 }, 'x'))).status, 401, 'unknown user');
  t.equal((await get('Bearer garbage')).status, 401, 'garbage');
  t.equal((await server.fhir('Patient', { token: null, headers: { authorization: 'Token abc' } })).status, 401, 'other schemes');

  const ours = await server.login('Clerk', 'clerk123');
  t.equal((await get(ours)).status, 200);
  const salt = newPrivateKey();
  await db('tblUsers').where('LoginName', 'Clerk').whereNull('ValidityTo').update({ PrivateKey: salt, StoredPassword: hashPassword('n3w-Passw0rd', salt) });
  server.app.users.forget('Clerk');
  const after = await get(ours);
  t.equal(after.status, 401, 'a password change invalidates the older tokens');
  t.match(after.body.issue[0].diagnostics, /password change/);
  t.equal((await get(await server.login('Clerk', 'n3w-Passw0rd'))).status, 200, 'the new password works');
});

t.test('RS256 with key files: our tokens verify with the public key; the public key as HMAC secret is refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'jwt-keys-'));
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const priv = join(dir, 'jwt_private_key.pem');
  const pub = join(dir, 'jwt_public_key.pem');
  writeFileSync(priv, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }));
  const server = await startServer(t, { JWT_PRIVATE_KEY_FILE: priv, JWT_PUBLIC_KEY_FILE: pub });
  const token = server.adminToken;
  t.equal(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).alg, 'RS256');
  t.equal((await server.fhir('Patient?_count=1', { token })).status, 200);
  const confused = hs256({ username: 'Admin', exp: now() + 600, iss: 'openimis-fhir-r4' }, publicKey.export({ type: 'spki', format: 'pem' }) as string);
  t.equal((await server.fhir('Patient?_count=1', { token: confused })).status, 401, 'RS/HS confusion');
});

t.test('a trusted gateway user header is honoured only when configured', async (t) => {
  const off = await startServer(t);
  t.equal((await off.fhir('Patient?_count=1', { token: null, headers: { 'remote-user': 'Admin' } })).status, 401, 'ignored by default');
  const on = await startServer(t, { REMOTE_USER_AUTHENTICATION: 'true' });
  t.equal((await on.fhir('Patient?_count=1', { token: null, headers: { 'remote-user': 'Admin' } })).status, 200, 'honoured when on');
  t.equal((await on.fhir('Patient?_count=1', { token: null, headers: { 'remote-user': 'Ghost' } })).status, 401, 'unknown gateway user');
});

t.test('request ids: sane ones are kept, others replaced', async (t) => {
  const server = await startServer(t);
  const kept = await fetch(`${server.origin}/health`, { headers: { 'x-request-id': 'abc-123' } });
  t.equal(kept.headers.get('x-request-id'), 'abc-123');
  const replaced = await fetch(`${server.origin}/health`, { headers: { 'x-request-id': 'evil value; with spaces' } });
  t.match(replaced.headers.get('x-request-id'), /^[0-9a-f-]{36}$/);
  // Refusals and errors carry it too: they are what a support request quotes.
  const answers = {
    unauthenticated: await server.fhir('Patient', { token: null, headers: { 'x-request-id': 'trace-401' } }),
    unknown: await server.fhir('Patient/00000000-0000-4000-8000-000000000000', { headers: { 'x-request-id': 'trace-404' } }),
    malformed: await server.fhir('Patient', { method: 'POST', body: '{"resourceType":', headers: { 'x-request-id': 'trace-400' } }),
    invalid: await server.fhir('Patient', { method: 'POST', body: '{"resourceType":"Patient","bad":1}', headers: { 'x-request-id': 'trace-422' } }),
  };
  t.same(
    Object.values(answers).map((a) => [a.status, a.headers.get('x-request-id')]),
    [[401, 'trace-401'], [404, 'trace-404'], [400, 'trace-400'], [422, 'trace-422']],
  );
});
