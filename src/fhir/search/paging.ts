/**
 * Keyset paging: a page link carries the key of the last (next) or first (previous) row seen, so
 * the last page of a million rows costs the same index seek as the first. Cursors are opaque to
 * clients (base64url JSON) and checked when they come back.
 */
import { badRequest } from '../outcome.js';

export interface Cursor {
  direction: 'next' | 'previous';
  /** Values of the sort key of the boundary row. */
  key: (string | number)[];
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.direction === 'next' ? 'n' : 'p', ...cursor.key])).toString('base64url');
}

export function decodeCursor(raw: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      (parsed[0] === 'n' || parsed[0] === 'p') &&
      parsed.length >= 2 &&
      parsed.slice(1).every((v) => (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string')
    ) {
      return { direction: parsed[0] === 'n' ? 'next' : 'previous', key: parsed.slice(1) };
    }
  } catch {
    // fall through
  }
  throw badRequest('_cursor is not a cursor issued by this server');
}
