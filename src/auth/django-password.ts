/**
 * Django password hashes, as core_TechnicalUser.password holds them (Django's hasher format
 * `<algorithm>$<iterations>$<salt>$<base64 hash>`). openIMIS uses Django's default, PBKDF2 with
 * HMAC-SHA256 (`pbkdf2_sha256`); `pbkdf2_sha1` (Django's second hasher) is checked too. Other hashers
 * (argon2, bcrypt, scrypt, md5...) need libraries node:crypto does not have: such a password never
 * matches, and the caller is told which algorithm it was so it can be logged.
 * Like Django: the password is used as given (no stripping), salt and password are UTF-8 bytes, and
 * the comparison is in constant time. A hash starting with '!' is Django's "unusable password".
 */
import { createHash, pbkdf2, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

/** Django 4.2's default iteration count for pbkdf2_sha256. */
export const DJANGO_PBKDF2_ITERATIONS = 600_000;
/** A stored count above this is refused rather than tying up a thread for minutes. */
const MAX_ITERATIONS = 10_000_000;

const DIGESTS: Record<string, { digest: 'sha256' | 'sha1'; length: number }> = {
  pbkdf2_sha256: { digest: 'sha256', length: 32 },
  pbkdf2_sha1: { digest: 'sha1', length: 20 },
};

export interface DjangoCheck {
  ok: boolean;
  /** Set when the hash uses an algorithm this server cannot check. */
  unsupported?: string;
}

/** Checks a password against a Django-encoded hash. */
export async function checkDjangoPassword(password: string, encoded: string | null | undefined): Promise<DjangoCheck> {
  if (typeof encoded !== 'string' || !encoded || encoded.startsWith('!')) return { ok: false };
  const parts = encoded.split('$');
  const algorithm = parts[0] ?? '';
  const hasher = DIGESTS[algorithm];
  if (!hasher) return { ok: false, unsupported: algorithm || '(none)' };
  if (parts.length !== 4) return { ok: false };
  const [, iterationText, salt, hash] = parts as [string, string, string, string];
  const iterations = Number(iterationText);
  if (!/^\d+$/.test(iterationText) || iterations < 1 || iterations > MAX_ITERATIONS || !salt || !hash) return { ok: false };
  const derived = await pbkdf2Async(Buffer.from(password, 'utf8'), Buffer.from(salt, 'utf8'), iterations, hasher.length, hasher.digest);
  return { ok: sameText(derived.toString('base64'), hash) };
}

/** Django's make_password with PBKDF2-SHA256 and a given salt (demo data and tests). */
export function makeDjangoPassword(password: string, salt: string, iterations = DJANGO_PBKDF2_ITERATIONS): string {
  const hash = pbkdf2Sync(Buffer.from(password, 'utf8'), Buffer.from(salt, 'utf8'), iterations, 32, 'sha256').toString('base64');
  return `pbkdf2_sha256$${iterations}$${salt}$${hash}`;
}

/** Constant-time string comparison (over fixed-length digests, so unequal lengths leak nothing useful). */
function sameText(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db) && a === b;
}
