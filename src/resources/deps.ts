/** What resource definitions are built from: reference data and settings, never the HTTP layer. */
import type { CodeTables } from './code-tables.js';

export interface ResourceDeps {
  codes: CodeTables;
  /** Base URL under which insuree photos are published. */
  photoBaseUrl: string;
  /** Tables of the modular openIMIS this database has (src/db/optional-tables.ts); none when absent. */
  optionalTables?: ReadonlySet<string>;
}
