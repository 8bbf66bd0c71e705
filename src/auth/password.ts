/**
 * The openIMIS password rule for tblUsers (core InteractiveUser.check_password / set_password):
 * StoredPassword = upper-case hex SHA-256 over the UTF-8 bytes of
 * (password without trailing whitespace) + PrivateKey, where PrivateKey is the per-user salt.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Trailing whitespace exactly as Python's str.rstrip() sees it (JS trimEnd differs slightly). */
const TRAILING_WHITESPACE = /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/u;

/** Upper-case hex SHA-256 of the password (trailing whitespace removed) followed by the salt. */
export function hashPassword(password: string, privateKey: string): string {
  return createHash('sha256')
    .update(password.replace(TRAILING_WHITESPACE, '') + privateKey, 'utf8')
    .digest('hex')
    .toUpperCase();
}

/**
 * Checks a password against tblUsers.StoredPassword, comparing the hex digests without regard to
 * case and in constant time. Anything that is not a 64-character hex digest (e.g. the 'locked'
 * marker of users created without a password) never matches.
 */
export function checkPassword(password: string, privateKey: string | null | undefined, storedPassword: string | null | undefined): boolean {
  if (typeof storedPassword !== 'string' || !/^[0-9a-fA-F]{64}$/.test(storedPassword)) return false;
  const expected = Buffer.from(hashPassword(password, privateKey ?? ''), 'utf8');
  const actual = Buffer.from(storedPassword.toUpperCase(), 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A new salt as the modular backend makes it: 128 random bytes as 256 lower-case hex characters. */
export function newPrivateKey(): string {
  return randomBytes(128).toString('hex');
}
