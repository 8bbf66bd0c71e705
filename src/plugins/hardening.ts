/**
 * Production hardening (seeds/002, security-and-services.md §3), on in MODE=PROD and switchable in DEV:
 * security headers, CORS and CSRF from the trusted origins (HOSTS / CSRF_TRUSTED_ORIGINS), and a rate
 * limit per client IP, shared through Redis when REDIS_URL is set so that several instances agree.
 */
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { forbidden, FhirError } from '../fhir/outcome.js';
import { registerCors } from './cors.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const hardeningPlugin = fp(
  async (app, opts: { config: Config }) => {
    const { config } = opts;
    if (config.securityHeaders) {
      await app.register(helmet, {
        hsts: { maxAge: 63072000, includeSubDomains: true },
        contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'self'"] } },
        frameguard: { action: 'deny' },
        noSniff: true,
        referrerPolicy: { policy: 'no-referrer' },
        crossOriginEmbedderPolicy: false,
      });
      app.addHook('onSend', (_request, reply, payload, done) => {
        reply.header('permissions-policy', 'geolocation=(), microphone=()');
        done(null, payload);
      });
    }

    const trusted = new Set(config.hosts.map((h) => h.replace(/\/+$/, '')));
    // Without trusted origins, DEV lets any browser origin call the API and PROD none.
    const anyOrigin = !trusted.size && config.mode === 'DEV';
    registerCors(app, {
      allows: (origin) => anyOrigin || trusted.has(origin),
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Accept', 'Prefer', 'If-Match', 'If-None-Match', 'If-None-Exist', 'If-Modified-Since', 'X-Request-Id'],
      exposedHeaders: ['Location', 'ETag', 'Last-Modified', 'Content-Location', 'X-Request-Id'],
      maxAgeSeconds: 600,
    });
    // CSRF: a browser sends Origin on cross-site writes; refuse writes from origins we do not trust.
    if (config.mode === 'PROD' || trusted.size) {
      app.addHook('onRequest', async (request) => {
        const origin = request.headers.origin;
        if (origin && UNSAFE.has(request.method) && !trusted.has(origin)) throw forbidden(`Origin ${origin} is not trusted`);
      });
    }

    if (config.rateLimit.enabled) {
      const redis = config.rateLimit.redisUrl ? new Redis(config.rateLimit.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 }) : undefined;
      if (redis) app.addHook('onClose', async () => void (await redis.quit()));
      await app.register(rateLimit, {
        max: config.rateLimit.rate,
        timeWindow: config.rateLimit.windowMs,
        redis,
        nameSpace: 'openimis-fhir-ratelimit:',
        skipOnError: false,
        allowList: (request) => request.routeOptions.url === '/health' || request.routeOptions.url === '/ready',
        errorResponseBuilder: (_request, context) =>
          new FhirError(429, { code: 'throttled', diagnostics: `Rate limit exceeded: ${context.max} requests per ${context.after}` }, { 'retry-after': String(Math.ceil(context.ttl / 1000)) }),
      });
    }
  },
  { name: 'hardening' },
);
