/**
 * Typed configuration from environment variables (and an optional .env file).
 * This is the only module that reads process.env. Names follow the openIMIS backend
 * (seeds/002: MODE, DB_ENGINE / DB_DEFAULT, DB_HOST, ..., SITE_ROOT, SECRET_KEY, HOSTS).
 */
import { readFileSync, existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parse as parseDotenv } from 'dotenv';

export type DbEngine = 'postgresql' | 'mssql' | 'pglite';
export type Mode = 'DEV' | 'PROD';

export interface DbConfig {
  engine: DbEngine;
  host: string;
  port: number;
  name: string;
  user: string;
  password: string;
  /** Extra driver options (DB_OPTIONS, a JSON object). */
  options: Record<string, unknown>;
  /** Directory of the embedded PGlite database (engine pglite only). */
  pgliteDir: string;
  /** Load the demo dataset when the embedded database is created. */
  demoDataset: boolean;
  poolMax: number;
  /**
   * Milliseconds a query waits for a free pooled connection (DB_POOL_TIMEOUT) before it fails and
   * its request is answered 503; knex's own default, 60 s, when not given.
   */
  poolTimeoutMs?: number;
}

export interface Config {
  mode: Mode;
  port: number;
  host: string;
  /** Server processes sharing the port (WSGI_WORKERS, the openIMIS backend's name): Node runs a process on one core. */
  workers: number;
  logLevel: string;
  /** URL prefix of every endpoint, without slashes ("api" gives /api/api_fhir_r4). */
  siteRoot: string;
  /** Public base URL used in fullUrl and links; derived from the request when empty. */
  siteUrl: string;
  secretKey: string;
  /** Trusted origins for CORS / CSRF (HOSTS, CSRF_TRUSTED_ORIGINS). */
  hosts: string[];
  /** Trust X-Forwarded-* from the gateway in front (TRUST_PROXY). */
  trustProxy: boolean;
  bodyLimit: number;
  rowSecurity: boolean;
  remoteUserAuthentication: boolean;
  remoteUserHeader: string;
  rateLimit: { enabled: boolean; rate: number; windowMs: number; redisUrl: string };
  /** Security headers (helmet): on in PROD, configurable in DEV (SECURITY_HEADERS). */
  securityHeaders: boolean;
  jwt: { expiresInSeconds: number; privateKeyFile: string; publicKeyFile: string };
  loginLockout: { enabled: boolean; failureLimit: number; cooloffMinutes: number };
  currency: string;
  /** Seconds the locations and health facilities held in memory serve before a reload (0: every request). */
  locationCacheSeconds: number;
  db: DbConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const DEV_SECRET = 'dev-only-secret-key-change-me-in-production';

/** Reads .env (if present) under the real environment: real variables win. */
export function loadEnv(path = '.env', env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const fromFile = existsSync(path) ? parseDotenv(readFileSync(path)) : {};
  return { ...fromFile, ...env };
}

export function loadConfig(env: Record<string, string | undefined> = loadEnv()): Config {
  const problems: string[] = [];
  const get = (name: string) => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const int = (name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const bool = (name: string, fallback: boolean) => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    if (/^(true|1|yes|on)$/i.test(raw)) return true;
    if (/^(false|0|no|off)$/i.test(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  };
  const list = (raw: string | undefined) =>
    (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);

  const modeRaw = (get('MODE') ?? 'DEV').toUpperCase();
  if (modeRaw !== 'DEV' && modeRaw !== 'PROD') problems.push(`MODE must be DEV or PROD (got "${get('MODE')}")`);
  const mode: Mode = modeRaw === 'PROD' ? 'PROD' : 'DEV';

  const engine = parseEngine(get('DB_ENGINE') ?? get('DB_DEFAULT'), get('DB_HOST'), problems);
  let options: Record<string, unknown> = {};
  const optionsRaw = get('DB_OPTIONS');
  if (optionsRaw) {
    try {
      const parsed = JSON.parse(optionsRaw);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      options = parsed;
    } catch {
      problems.push('DB_OPTIONS must be a JSON object, e.g. {"ssl": true}');
    }
  }
  const db: DbConfig = {
    engine,
    host: get('DB_HOST') ?? '127.0.0.1',
    port: int('DB_PORT', engine === 'mssql' ? 1433 : 5432, 1, 65535),
    name: get('DB_NAME') ?? 'imis',
    user: get('DB_USER') ?? (engine === 'mssql' ? 'IMISuser' : 'postgres'),
    password: get('DB_PASSWORD') ?? '',
    options,
    pgliteDir: get('PGLITE_DIR') ?? './data/pglite',
    demoDataset: bool('DEMO_DATASET', true),
    poolMax: int('DB_POOL_MAX', 10, 1, 200),
    poolTimeoutMs: int('DB_POOL_TIMEOUT', 10_000, 100, 600_000),
  };
  if (engine === 'mssql' && !get('DB_HOST')) problems.push('DB_HOST is required when DB_ENGINE is mssql');

  const secretKey = get('SECRET_KEY') ?? (mode === 'PROD' ? '' : DEV_SECRET);
  if (mode === 'PROD' && (!secretKey || secretKey === DEV_SECRET)) {
    problems.push('SECRET_KEY must be set to a private value when MODE is PROD');
  } else if (secretKey.length < 16) {
    problems.push('SECRET_KEY must be at least 16 characters long');
  }

  const logLevel = (get('LOG_LEVEL') ?? get('DJANGO_LOG_LEVEL') ?? (mode === 'PROD' ? 'info' : 'info')).toLowerCase();
  const levels = ['fatal', 'error', 'warn', 'warning', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${levels.join(', ')} (got "${logLevel}")`);

  const rate = parseRate(get('RATELIMIT_RATE') ?? '150/m', problems);
  const siteUrl = (get('SITE_URL') ?? '').replace(/\/+$/, '');
  if (siteUrl && !/^https?:\/\/[^\s/]+/.test(siteUrl)) problems.push(`SITE_URL must be an http(s) URL (got "${siteUrl}")`);

  const config: Config = {
    mode,
    port: int('PORT', 8000, 0, 65535),
    host: get('HOST') ?? '0.0.0.0',
    workers: parseWorkers(get('WSGI_WORKERS'), db.engine, problems),
    logLevel: logLevel === 'warning' ? 'warn' : logLevel,
    siteRoot: (get('SITE_ROOT') ?? 'api').replace(/^\/+|\/+$/g, ''),
    siteUrl,
    secretKey,
    hosts: list(get('HOSTS') ?? get('CSRF_TRUSTED_ORIGINS')),
    trustProxy: bool('TRUST_PROXY', false),
    bodyLimit: int('DATA_UPLOAD_MAX_MEMORY_SIZE', 10 * 1024 * 1024, 1024),
    rowSecurity: bool('ROW_SECURITY', true),
    remoteUserAuthentication: bool('REMOTE_USER_AUTHENTICATION', false),
    remoteUserHeader: (get('REMOTE_USER_HEADER_NAME') ?? 'remote-user').replace(/^HTTP_/i, '').replace(/_/g, '-').toLowerCase(),
    rateLimit: { enabled: bool('RATELIMIT_ENABLED', mode === 'PROD'), ...rate, redisUrl: get('REDIS_URL') ?? '' },
    securityHeaders: bool('SECURITY_HEADERS', mode === 'PROD'),
    jwt: {
      expiresInSeconds: int('JWT_EXPIRATION_SECONDS', 24 * 3600, 60),
      privateKeyFile: get('JWT_PRIVATE_KEY_FILE') ?? 'keys/jwt_private_key.pem',
      publicKeyFile: get('JWT_PUBLIC_KEY_FILE') ?? 'keys/jwt_public_key.pem',
    },
    loginLockout: {
      enabled: bool('LOGIN_LOCKOUT', mode === 'PROD'),
      failureLimit: int('LOGIN_LOCKOUT_FAILURE_LIMIT', 5, 1),
      cooloffMinutes: int('LOGIN_LOCKOUT_COOLOFF_TIME', 5, 1),
    },
    currency: get('CURRENCY') ?? 'USD',
    locationCacheSeconds: int('LOCATION_CACHE_SECONDS', 60, 0, 86_400),
    db,
  };
  // Without Redis each process keeps its own counts: N processes would allow N times the login
  // failures and the rate the operator set.
  if (config.workers > 1 && mode === 'PROD' && !config.rateLimit.redisUrl && (config.loginLockout.enabled || config.rateLimit.enabled)) {
    problems.push('WSGI_WORKERS above 1 needs REDIS_URL in PROD, so that the processes share the login lock-out and the rate limit');
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** A count, or "auto" for one process per core; PGlite lives inside one process. */
function parseWorkers(raw: string | undefined, engine: DbEngine, problems: string[]): number {
  if (raw === undefined || raw.trim() === '') return 1;
  const workers = raw.trim().toLowerCase() === 'auto' ? availableParallelism() : Number(raw);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    problems.push(`WSGI_WORKERS must be an integer from 1 to 64 or "auto" (got "${raw}")`);
    return 1;
  }
  if (workers > 1 && engine === 'pglite') {
    problems.push('WSGI_WORKERS above 1 needs a database server (DB_ENGINE postgresql or mssql): the embedded PGlite belongs to one process');
    return 1;
  }
  return workers;
}

function parseEngine(raw: string | undefined, host: string | undefined, problems: string[]): DbEngine {
  if (!raw) return host ? 'postgresql' : 'pglite';
  const value = raw.toLowerCase();
  if (value.includes('pglite')) return 'pglite';
  if (value.includes('mssql') || value.includes('sql_server')) return 'mssql';
  if (value.includes('postgres')) return 'postgresql';
  problems.push(`DB_ENGINE / DB_DEFAULT must be postgresql, mssql or pglite (got "${raw}")`);
  return 'pglite';
}

function parseRate(raw: string, problems: string[]) {
  const match = /^(\d+)\s*\/\s*(\d*)\s*([smhd])$/i.exec(raw);
  if (!match) {
    problems.push(`RATELIMIT_RATE must look like 150/m (got "${raw}")`);
    return { rate: 150, windowMs: 60_000 };
  }
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[3].toLowerCase() as 's'];
  return { rate: Number(match[1]), windowMs: unit * (match[2] ? Number(match[2]) : 1) };
}
