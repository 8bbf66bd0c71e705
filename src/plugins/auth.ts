/**
 * Authentication for every route except those marked `config: { public: true }`:
 * - Bearer JWT (the prefix in any case). Tokens we issue are HS256 with SECRET_KEY and carry the
 *   user's password fingerprint, so a password change invalidates them. Tokens issued by openIMIS
 *   itself are HS256 signed with the user's PrivateKey and are accepted too. The algorithm is pinned.
 * - HTTP Basic with openIMIS credentials, for connected apps.
 * Sets request.caller; rights are checked where each interaction declares them.
 */
import fp from 'fastify-plugin';
import fastifyJwt from '@fastify/jwt';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { UserDirectory, type LegacyUser } from '../auth/users.js';
import { checkPassword } from '../auth/password.js';
import { LoginGuard } from '../auth/lockout.js';
import { unauthorized } from '../fhir/outcome.js';

export const TOKEN_ISSUER = 'openimis-fhir-r4';

interface TokenPayload {
  username?: string;
  iss?: string;
  pwf?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    users: UserDirectory;
    issueToken(user: LegacyUser): { token: string; exp: number };
    /** Checks a password, with the lock-out of repeated failures per client IP and user name. */
    verifyCredentials(username: string, password: string, ip: string): Promise<LegacyUser | null>;
  }
}

export const authPlugin = fp(
  async (app: FastifyInstance, opts: { config: Config }) => {
    const { config } = opts;
    const users = new UserDirectory(app.db, { rowSecurity: config.rowSecurity });
    app.decorate('users', users);
    app.decorateRequest('caller', null);

    await app.register(fastifyJwt, {
      secret: {
        private: config.secretKey,
        // @fastify/jwt calls this with the request and the decoded (unverified) token.
        public: (async (_request: FastifyRequest, decoded: { payload?: TokenPayload }) => {
          const payload = decoded?.payload ?? {};
          if (payload.iss === TOKEN_ISSUER) return config.secretKey;
          // openIMIS signs each user's tokens with that user's PrivateKey (global key as fallback).
          const user = payload.username ? await users.find(String(payload.username)) : null;
          if (!user) throw unauthorized('Unknown user in token');
          return user.privateKey || config.secretKey;
        }) as never,
      },
      sign: { algorithm: 'HS256' },
      verify: { algorithms: ['HS256'] },
      decode: { complete: true },
    });

    const guard = new LoginGuard({ ...config.loginLockout, redisUrl: config.rateLimit.redisUrl });
    app.addHook('onClose', () => guard.close());
    app.decorate('verifyCredentials', async (username: string, password: string, ip: string) => {
      await guard.check(ip, username);
      const user = await users.find(username);
      if (user && checkPassword(password, user.privateKey, user.storedPassword)) {
        await guard.succeeded(ip, username);
        return user;
      }
      await guard.failed(ip, username);
      return null;
    });

    app.decorate('issueToken', (user: LegacyUser) => {
      const now = Math.floor(Date.now() / 1000);
      const exp = now + config.jwt.expiresInSeconds;
      const token = app.jwt.sign({
        username: user.username,
        iss: TOKEN_ISSUER,
        origIat: now,
        nbf: now,
        exp,
        jti: randomUUID(),
        pwf: user.passwordFingerprint,
      });
      return { token, exp };
    });

    app.addHook('onRequest', async (request) => {
      if (request.routeOptions.config?.public) return;
      request.caller = await authenticate(app, request);
    });
  },
  { name: 'auth', dependencies: ['db'] },
);

async function authenticate(app: FastifyInstance, request: FastifyRequest): Promise<LegacyUser> {
  const header = request.headers.authorization ?? '';
  if (/^basic\s/i.test(header)) {
    const decoded = Buffer.from(header.replace(/^basic\s+/i, ''), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon > 0 ? await app.verifyCredentials(decoded.slice(0, colon), decoded.slice(colon + 1), request.ip) : null;
    if (!user) throw unauthorized('Invalid username or password');
    return user;
  }
  if (!/^bearer\s+\S+$/i.test(header.trim())) throw unauthorized();
  let payload: TokenPayload;
  try {
    payload = await request.jwtVerify<TokenPayload>();
  } catch (error) {
    throw unauthorized(`Invalid token: ${(error as Error).message}`);
  }
  const user = payload.username ? await app.users.find(String(payload.username)) : null;
  if (!user) throw unauthorized('The token names no active user');
  if (payload.iss === TOKEN_ISSUER && payload.pwf !== user.passwordFingerprint) {
    throw unauthorized('The token was issued before the last password change');
  }
  return user;
}
