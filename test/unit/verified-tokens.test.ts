import t from 'tap';
import { VerifiedTokens } from '../../src/auth/verified-tokens.js';

t.test('a verified token is remembered until its exp, then forgotten', async (t) => {
  const tokens = new VerifiedTokens<{ exp?: number; username: string }>();
  tokens.set('a.b.c', { exp: 1000, username: 'Admin' });
  t.same(tokens.get('a.b.c', 999), { exp: 1000, username: 'Admin' });
  t.equal(tokens.get('a.b.c', 1000), undefined, 'refused at exp');
  t.equal(tokens.get('a.b.c', 999), undefined, 'and no longer remembered');
  t.equal(tokens.get('x.y.z', 1), undefined, 'an unknown token is not verified');
});

t.test('a token without exp is never remembered', async (t) => {
  const tokens = new VerifiedTokens<{ exp?: number }>();
  tokens.set('no.exp.here', {});
  t.equal(tokens.get('no.exp.here', 0), undefined);
});

t.test('the oldest entries make room for new ones', async (t) => {
  const tokens = new VerifiedTokens<{ exp?: number }>();
  for (let i = 0; i <= 10_000; i++) tokens.set(`t${i}`, { exp: 10 });
  t.equal(tokens.get('t0', 1), undefined, 'the first one left');
  t.ok(tokens.get('t10000', 1), 'the last one is there');
});
