/**
 * POST {base}/login/ with {username, password} → {token, exp}, as the openIMIS FHIR module does.
 * A bad payload is a 400, bad credentials a 401, both as OperationOutcome.
 */
import type { FastifyPluginAsync } from 'fastify';
import { badRequest, unauthorized } from '../fhir/outcome.js';

export const loginRoutes: FastifyPluginAsync = async (app) => {
  app.post('/login', { config: { public: true } }, async (request) => {
    const body = request.body as { username?: unknown; password?: unknown } | undefined;
    if (!body || typeof body.username !== 'string' || typeof body.password !== 'string' || !body.username) {
      throw badRequest('The login body must be {"username": "...", "password": "..."}');
    }
    const user = await app.verifyCredentials(body.username, body.password, request.ip);
    if (!user) throw unauthorized('Incorrect username or password');
    return app.issueToken(user);
  });
};
