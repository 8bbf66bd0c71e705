/** /health: the process answers (liveness). /ready: the database answers (readiness). */
import type { FastifyPluginAsync } from 'fastify';

export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/health', { config: { public: true }, logLevel: 'warn' }, async () => ({ status: 'ok' }));
  app.get('/ready', { config: { public: true }, logLevel: 'warn' }, async (_request, reply) => {
    try {
      await app.db.raw('select 1 as ok');
      return { status: 'ready' };
    } catch (error) {
      reply.code(503);
      return { status: 'unavailable', reason: (error as Error).message };
    }
  });
};
