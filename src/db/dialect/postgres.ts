/** PostgreSQL (and PGlite): quoted mixed-case identifiers, case-sensitive text, varchar UUIDs. */
import type { Dialect } from './index.js';

export const postgres: Dialect = {
  name: 'postgresql',
  likeInsensitive: (db, column, pattern) => db.raw(`lower(??) like lower(?) escape '\\'`, [column, pattern]),
  likeSensitive: (db, column, pattern) => db.raw(`?? like ? escape '\\'`, [column, pattern]),
  equalsInsensitive: (db, column, value) => db.raw('lower(??) = lower(?)', [column, value]),
  equalsSensitive: (db, column, value) => db.raw('?? = ?', [column, value]),
  readUuid: (value) => String(value ?? '').toLowerCase(),
};
