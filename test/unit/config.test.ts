import t from 'tap';
import { availableParallelism } from 'node:os';
import { loadConfig, ConfigError } from '../../src/config.js';

t.test('defaults run on the embedded database with the openIMIS base path', async (t) => {
  const config = loadConfig({});
  t.equal(config.db.engine, 'pglite');
  t.equal(config.port, 8000);
  t.equal(config.siteRoot, 'api');
  t.equal(config.mode, 'DEV');
  t.equal(config.bodyLimit, 10 * 1024 * 1024);
  t.same(config.rateLimit, { enabled: false, rate: 150, windowMs: 60_000, redisUrl: '' });
});

t.test('openIMIS names select the database', async (t) => {
  t.equal(loadConfig({ DB_ENGINE: 'django.db.backends.postgresql', DB_HOST: 'db' }).db.engine, 'postgresql');
  t.equal(loadConfig({ DB_DEFAULT: 'mssql', DB_HOST: 'sql' }).db.engine, 'mssql');
  t.equal(loadConfig({ DB_DEFAULT: 'mssql', DB_HOST: 'sql' }).db.port, 1433);
  t.equal(loadConfig({ DB_HOST: 'db' }).db.engine, 'postgresql', 'a host without an engine means PostgreSQL');
  t.same(loadConfig({ DB_HOST: 'db', DB_OPTIONS: '{"ssl":true}' }).db.options, { ssl: true });
});

t.test('invalid configuration is reported plainly, all problems at once', async (t) => {
  const error = t.throws(() =>
    loadConfig({ MODE: 'staging', PORT: 'eighty', DB_ENGINE: 'oracle', DB_OPTIONS: '[1]', RATELIMIT_RATE: 'fast' }),
  ) as ConfigError;
  t.ok(error instanceof ConfigError);
  t.match(error.message, /MODE must be DEV or PROD/);
  t.match(error.message, /PORT must be an integer/);
  t.match(error.message, /DB_ENGINE/);
  t.match(error.message, /DB_OPTIONS must be a JSON object/);
  t.match(error.message, /RATELIMIT_RATE/);
});

t.test('production needs a real secret key', async (t) => {
  t.throws(() => loadConfig({ MODE: 'PROD' }), /SECRET_KEY must be set/);
  t.equal(loadConfig({ MODE: 'PROD', SECRET_KEY: 'a-long-and-private-secret' }).mode, 'PROD');
});

t.test('MODE is read without regard to case (openIMIS dist sends "Prod")', async (t) => {
  t.equal(loadConfig({ MODE: 'Prod', SECRET_KEY: 'a-long-and-private-secret' }).mode, 'PROD');
});

t.test('WSGI_WORKERS: server processes on a database server, sharing counts through Redis in PROD', async (t) => {
  t.equal(loadConfig({}).workers, 1, 'one process by default');
  t.equal(loadConfig({ DB_HOST: 'db', WSGI_WORKERS: '4' }).workers, 4);
  t.equal(loadConfig({ DB_HOST: 'db', WSGI_WORKERS: 'auto' }).workers, availableParallelism(), '"auto" is one per core');
  t.throws(() => loadConfig({ WSGI_WORKERS: '2' }), /WSGI_WORKERS above 1 needs a database server/, 'PGlite belongs to one process');
  t.throws(() => loadConfig({ DB_HOST: 'db', WSGI_WORKERS: 'many' }), /WSGI_WORKERS must be an integer from 1 to 64 or "auto"/);
  const prod = { MODE: 'PROD', SECRET_KEY: 'a-private-production-secret-key', DB_HOST: 'db', WSGI_WORKERS: '2' };
  t.throws(() => loadConfig(prod), /WSGI_WORKERS above 1 needs REDIS_URL in PROD/, 'lock-out and rate limit counts must be shared');
  t.equal(loadConfig({ ...prod, REDIS_URL: 'redis://cache:6379' }).workers, 2);
  t.equal(loadConfig({ ...prod, LOGIN_LOCKOUT: 'false', RATELIMIT_ENABLED: 'false' }).workers, 2, 'nothing to share without them');
});
