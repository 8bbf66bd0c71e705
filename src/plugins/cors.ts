/**
 * CORS (https://fetch.spec.whatwg.org/#http-cors-protocol) for the browsers of trusted origins.
 *
 * Written here rather than taken from @fastify/cors: that plugin merges its options and the route's
 * anew on every request, Origin or not, which cost 3 % of a Patient read's node time (bench/README.md,
 * ninth round). Most callers are servers and mediators that send no Origin; they pay one header.
 */
import type { FastifyInstance } from 'fastify';

export interface CorsOptions {
  /** Whether a browser page served from this origin may call the API. */
  allows(origin: string): boolean;
  methods: string[];
  allowedHeaders: string[];
  exposedHeaders: string[];
  /** How long a browser may keep a preflight's answer, in seconds. */
  maxAgeSeconds: number;
}

export function registerCors(app: FastifyInstance, opts: CorsOptions): void {
  const methods = opts.methods.join(', ');
  const allowedHeaders = opts.allowedHeaders.join(', ');
  const exposedHeaders = opts.exposedHeaders.join(', ');
  const maxAge = String(opts.maxAgeSeconds);

  app.addHook('onRequest', (request, reply, done) => {
    // Every answer depends on Origin, so a shared cache must key on it, whether or not it was sent.
    reply.header('vary', 'Origin');
    const origin = request.headers.origin;
    if (!origin || !opts.allows(origin)) return done();
    reply.header('access-control-allow-origin', origin);
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
      // A preflight is answered here, before authentication: the browser sends it without credentials.
      reply
        .code(204)
        .header('access-control-allow-methods', methods)
        .header('access-control-allow-headers', allowedHeaders)
        .header('access-control-max-age', maxAge)
        .header('content-length', '0')
        .send();
      return;
    }
    reply.header('access-control-expose-headers', exposedHeaders);
    done();
  });

  // Makes OPTIONS routable so that the hook above sees preflights; any other OPTIONS is unknown.
  app.options('*', (_request, reply) => reply.callNotFound());
}
