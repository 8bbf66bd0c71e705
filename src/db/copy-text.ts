/**
 * PostgreSQL's COPY text format: one line per row, values separated by tabs, NULL as \N. The bulk
 * loads (the data generator, the audit trail's batches) send rows this way: the server reads it
 * with no parsing beyond each column's own input function, the cheapest way in (measured).
 */
export type CopyValue = string | number | boolean | null | undefined;

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\uFFFD' };
const NEEDS_ESCAPE = /[\\\t\n\r\0]/;
const ESCAPE_ALL = /[\\\t\n\r\0]/g;

/**
 * One COPY text line (with its newline). PostgreSQL's text cannot hold U+0000, which a client can
 * send inside JSON (a user name at login): it is written as U+FFFD, the replacement character,
 * rather than fail the whole COPY.
 */
export function copyLine(values: readonly CopyValue[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) line += '\t';
    if (v === null || v === undefined) line += '\\N';
    else if (typeof v === 'string') line += NEEDS_ESCAPE.test(v) ? v.replace(ESCAPE_ALL, (c) => ESCAPES[c]) : v;
    else if (typeof v === 'boolean') line += v ? 't' : 'f';
    else line += String(v);
  }
  return line + '\n';
}

export function copyStatement(table: string, columns: readonly string[], source = 'STDIN'): string {
  return `COPY "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) FROM ${source}`;
}
