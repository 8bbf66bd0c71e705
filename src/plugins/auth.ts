/**
 * Authentication for every route except those marked `config: { public: true }`:
 * - Bearer JWT (the prefix in any case). Tokens we issue are HS256 with SECRET_KEY and carry the
 *   user's password fingerprint, so a password change invalidates them. Tokens issued by openIMIS
 *   itself are HS256 signed with the user's PrivateKey and are accepted too. The algorithm is pinned.
 * - HTTP Basic with openIMIS credentials, for connected apps.
 * Users are interactive (tblUsers) or, where the modular core's tables exist, technical
 * (core_TechnicalUser with Django password hashes; tokens openIMIS issued them use the global key).
 * - the user name a trusted gateway puts in REMOTE_USER_HEADER_NAME, only when
 *   REMOTE_USER_AUTHENTICATION is on.
 * Sets request.caller; rights are checked where each interaction declares them.
 */
import fp from 'fastify-plugin';
import { existsSync, readFileSync } from 'node:fs';
import fastifyJwt from '@fastify/jwt';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { UserDirectory, type LegacyUser } from '../auth/users.js';
import { LoginGuard } from '../auth/lockout.js';
import { ScopeChanges } from '../auth/scope-changes.js';
import { unauthorized } from '../fhir/outcome.js';
import { VerifiedTokens } from '../auth/verified-tokens.js';

export const TOKEN_ISSUER = 'openimis-fhir-r4';

interface TokenPayload {
  username?: string;
  iss?: string;
  pwf?: string;
  exp?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    users: UserDirectory;
    scopeChanges: ScopeChanges;
    issueToken(user: LegacyUser): { token: string; exp: number };
    /** Checks a password, with the lock-out of repeated failures per client IP and user name. */
    verifyCredentials(username: string, password: string, ip: string): Promise<LegacyUser | null>;
  }
}

export const authPlugin = fp(
  async (app: FastifyInstance, opts: { config: Config }) => {
    const { config } = opts;
    const users = new UserDirectory(app.db, { rowSecurity: config.rowSecurity, log: app.log });
    app.decorate('users', users);
    // Writes that change what a row scope covers drop the cached users at once, on every instance.
    const scopeChanges = new ScopeChanges(users, { redisUrl: config.rateLimit.redisUrl, log: app.log });
    await scopeChanges.start();
    users.attach(scopeChanges);
    app.decorate('scopeChanges', scopeChanges);
    app.addHook('onClose', () => scopeChanges.close());
    app.decorateRequest('caller', null);

    const keys = signingKeys(config);
    await app.register(fastifyJwt, {
      secret: {
        private: keys.sign,
        // @fastify/jwt calls this with the request and the decoded (unverified) token. Each kind of
        // token has exactly one algorithm: ours the configured one, openIMIS's HS256. Anything else
        // (alg none, a public key used as an HMAC secret) is refused before any signature check.
        public: (async (_request: FastifyRequest, decoded: { header?: { alg?: string }; payload?: TokenPayload }) => {
          const payload = decoded?.payload ?? {};
          const alg = decoded?.header?.alg;
          if (payload.iss === TOKEN_ISSUER) {
            if (alg !== keys.algorithm) throw unauthorized(`Tokens of this server are signed with ${keys.algorithm}`);
            return keys.verify;
          }
          if (alg !== 'HS256') throw unauthorized('openIMIS tokens are signed with HS256');
          // openIMIS signs each user's tokens with that user's PrivateKey (global key as fallback).
          const user = payload.username ? await users.find(String(payload.username)) : null;
          if (!user) throw unauthorized('Unknown user in token');
          return user.privateKey || config.secretKey;
        }) as never,
      },
      sign: { algorithm: keys.algorithm },
      // Verified tokens are remembered by authenticate() below (VerifiedTokens), not by the library.
      verify: { algorithms: ['HS256', 'RS256'] },
      decode: { complete: true },
    });

    const guard = new LoginGuard({ ...config.loginLockout, redisUrl: config.rateLimit.redisUrl });
    app.addHook('onClose', () => guard.close());
    app.decorate('verifyCredentials', async (username: string, password: string, ip: string) => {
      await guard.check(ip, username);
      const user = await users.find(username);
      if (user && (await users.verifyPassword(user, password))) {
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

    const verified = new VerifiedTokens<TokenPayload>();
    // A client's next call with the same token finds token and user remembered: it is answered
    // without a promise (a callback hook), as most calls are.
    app.addHook('onRequest', (request, _reply, done) => {
      if (request.routeOptions.config?.public) return done();
      let caller: LegacyUser | Promise<LegacyUser>;
      try {
        caller = authenticate(app, request, config, verified);
      } catch (error) {
        return done(error as Error);
      }
      if (!(caller instanceof Promise)) {
        request.caller = caller;
        return done();
      }
      caller.then((user) => {
        request.caller = user;
        done();
      }, done);
    });
  },
  { name: 'auth', dependencies: ['db'] },
);

/**
 * HS256 with SECRET_KEY by default; RS256 when both key files exist (the openIMIS keys/ location, or
 * JWT_PRIVATE_KEY_FILE / JWT_PUBLIC_KEY_FILE).
 */
function signingKeys(config: Config): { algorithm: 'HS256' | 'RS256'; sign: string; verify: string } {
  const { privateKeyFile, publicKeyFile } = config.jwt;
  if (existsSync(privateKeyFile) && existsSync(publicKeyFile)) {
    return { algorithm: 'RS256', sign: readFileSync(privateKeyFile, 'utf8'), verify: readFileSync(publicKeyFile, 'utf8') };
  }
  return { algorithm: 'HS256', sign: config.secretKey, verify: config.secretKey };
}

/** The caller of a request: at once when its bearer token and its user are remembered, else a promise. */
function authenticate(
  app: FastifyInstance,
  request: FastifyRequest,
  config: Config,
  verified: VerifiedTokens<TokenPayload>,
): LegacyUser | Promise<LegacyUser> {
  // Behind a trusted gateway that authenticated the user already (REMOTE_USER_AUTHENTICATION=true).
  const remote = config.remoteUserAuthentication ? request.headers[config.remoteUserHeader] : undefined;
  if (typeof remote === 'string' && remote) return gatewayUser(app, remote);
  const header = request.headers.authorization ?? '';
  if (/^basic\s/i.test(header)) return basicUser(app, request, header);
  const bearer = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  if (!bearer) throw unauthorized();
  const payload = verified.get(bearer[1]);
  if (payload) {
    const user = payload.username ? app.users.cached(String(payload.username)) : null;
    if (user !== undefined) return tokenUser(payload, user);
  }
  return bearerUser(app, request, verified, bearer[1], payload);
}

async function gatewayUser(app: FastifyInstance, username: string): Promise<LegacyUser> {
  const user = await app.users.find(username);
  if (!user) throw unauthorized(`The gateway user ${username} is not an active openIMIS user`);
  return user;
}

async function basicUser(app: FastifyInstance, request: FastifyRequest, header: string): Promise<LegacyUser> {
  const decoded = Buffer.from(header.replace(/^basic\s+/i, ''), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon > 0 ? await app.verifyCredentials(decoded.slice(0, colon), decoded.slice(colon + 1), request.ip) : null;
  if (!user) throw unauthorized('Invalid username or password');
  return user;
}

/** A bearer token not verified before (`known` undefined), or whose user is not cached. */
async function bearerUser(
  app: FastifyInstance,
  request: FastifyRequest,
  verified: VerifiedTokens<TokenPayload>,
  token: string,
  known: TokenPayload | undefined,
): Promise<LegacyUser> {
  let payload = known;
  if (!payload) {
    try {
      payload = await request.jwtVerify<TokenPayload>();
    } catch (error) {
      throw unauthorized(`Invalid token: ${(error as Error).message}`);
    }
    verified.set(token, payload);
  }
  return tokenUser(payload, payload.username ? await app.users.find(String(payload.username)) : null);
}

/** The token's user, if still active and without a password change since the token was issued. */
function tokenUser(payload: TokenPayload, user: LegacyUser | null): LegacyUser {
  if (!user) throw unauthorized('The token names no active user');
  if (payload.iss === TOKEN_ISSUER && payload.pwf !== user.passwordFingerprint) {
    throw unauthorized('The token was issued before the last password change');
  }
  return user;
}
