/**
 * Starts the real server on a random loopback port over a private test database, for tests that
 * speak HTTP to it (with fetch or fhir-kit-client). Closed when the test ends.
 */
import type { Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { Client } from 'fhir-kit-client';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openTestDatabase, type TestDatabase } from './databases.js';
import type { AnyResourceDefinition } from '../../src/fhir/types.js';

export interface TestServer {
  app: FastifyInstance;
  db: TestDatabase;
  config: Config;
  /** Origin, e.g. http://127.0.0.1:41234 */
  origin: string;
  /** FHIR base, e.g. http://127.0.0.1:41234/api/api_fhir_r4 */
  base: string;
  login(username: string, password: string): Promise<string>;
  /** fetch against the FHIR base (a path like "Patient?name=x"), authenticated unless token is null. */
  fhir(path: string, init?: RequestInit & { token?: string | null }): Promise<{ status: number; headers: Headers; body: any }>;
  client(token?: string): Client;
  adminToken: string;
}

export async function startServer(
  t: Test,
  env: Record<string, string> = {},
  opts: {
    extraResources?: AnyResourceDefinition[];
    beforeStart?: (db: TestDatabase) => Promise<void>;
    /** Another database than the demo copy (e.g. openGeneratedDatabase); dropped when the test ends. */
    database?: () => Promise<TestDatabase>;
  } = {},
): Promise<TestServer> {
  const db = await (opts.database ?? openTestDatabase)();
  await opts.beforeStart?.(db);
  const config = loadConfig({ SECRET_KEY: 'test-secret-key-0123456789', LOG_LEVEL: 'silent', ...env });
  const app = await buildApp({ config, db: db.knex, ownsDb: false, logger: false, extraResources: opts.extraResources });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const origin = `http://127.0.0.1:${port}`;
  const base = `${origin}/api/api_fhir_r4`;
  t.teardown(async () => {
    await app.close();
    await db.drop();
  });

  const login = async (username: string, password: string) => {
    const response = await fetch(`${base}/login/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const body = (await response.json()) as { token?: string };
    if (!body.token) throw new Error(`login of ${username} failed: ${JSON.stringify(body)}`);
    return body.token;
  };
  const adminToken = await login('Admin', 'admin123');

  const fhir: TestServer['fhir'] = async (path, init = {}) => {
    const { token = adminToken, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    if (rest.body && !headers.has('content-type')) headers.set('content-type', 'application/fhir+json');
    const response = await fetch(path.startsWith('http') ? path : `${base}/${path}`, { ...rest, headers });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // keep text
    }
    return { status: response.status, headers: response.headers, body };
  };

  const client = (token = adminToken) =>
    new Client({ baseUrl: base, customHeaders: { authorization: `Bearer ${token}` } });

  return { app, db, config, origin, base, login, fhir, client, adminToken };
}
