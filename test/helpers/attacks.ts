/**
 * Hostile inputs and the database digest shared by the attack tests (test/http/attacks*.test.ts).
 */
import type { Knex } from 'knex';
import { LEGACY_TABLES } from '../../src/db/legacy-schema/index.js';

export const INJECTIONS = [
  `x' OR '1'='1`,
  `'; DROP TABLE "tblInsuree"; --`,
  `1); UPDATE "tblInsuree" SET "LastName" = 'pwned'; --`,
  `" OR ""="`,
  `%' OR 1=1 --`,
  `_%\\[]^*?`,
  `1 UNION SELECT "LoginName", "StoredPassword" FROM "tblUsers" --`,
  `\u0000\u0008\u001a`,
  `x|y' OR 'a'='a`,
  `$\{7*7}{{7*7}}<script>`,
];
export const TAUTOLOGIES = new Set([INJECTIONS[0], INJECTIONS[3], INJECTIONS[4], INJECTIONS[8]]);
/** Each parameter gets these plainly; its modifiers get the first one (the walk stays within a test's time on a busy machine). */
export const SEARCH_PAYLOADS = [INJECTIONS[0]!, INJECTIONS[5]!, INJECTIONS[1]!, INJECTIONS[6]!, INJECTIONS[7]!];
export const MODIFIERS: Record<string, string[]> = { string: ['', ':exact', ':contains'], token: ['', ':not'], reference: ['', ':missing'], date: [''], number: [''] };
export const TRAVERSALS = ['..%2F..%2Fmetadata', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '..%5C..%5Cwindows', '%252e%252e%252f', 'a%00b', 'x%27%20OR%20%271%27%3D%271'];

/** A digest per legacy table (every column of every row), so any change anywhere shows. */
export async function snapshot(db: Knex): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of LEGACY_TABLES) {
    const result = await db.raw(`SELECT count(*) AS n, md5(coalesce(string_agg(md5(x::text), ',' ORDER BY md5(x::text)), '')) AS digest FROM "${table.name}" x`);
    const row = (result as { rows: { n: number; digest: string }[] }).rows[0]!;
    out[table.name] = `${row.n}:${row.digest}`;
  }
  return out;
}

/** Runs the jobs a few at a time. */
export async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: size }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

