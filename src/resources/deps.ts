/** What resource definitions are built from: reference data and settings, never the HTTP layer. */
import type { CodeTables } from './code-tables.js';
import type { Places } from './places.js';

export interface ResourceDeps {
  codes: CodeTables;
  /** Base URL under which insuree photos are published. */
  photoBaseUrl: string;
  /** Locations and health facilities in memory; written through Location and Organization. */
  places: Places;
  /** Tables of the modular openIMIS this database has (src/db/optional-tables.ts); none when absent. */
  optionalTables?: ReadonlySet<string>;
}
