/**
 * Tables of the modular openIMIS (its Django modules) that the server uses where they exist. They are
 * not among the 65 base tables: an older openIMIS database lacks them, so the server detects them at
 * start (src/db/optional-tables.ts) and keeps working without them. Our embedded database creates
 * them (initialiseDatabase); the data generator does not.
 *
 * claim_ClaimAttachment: the claim module's attachments (openIMIS FHIR module reference §1.3, §3.6;
 * columns as in openIMIS's database_postgresql `01_modular_base.sql`): one row per document, keyed by
 * a UUID, history by validity (LegacyID names the attachment a copy was made of), the document as
 * base64 text.
 */
import { table, type LegacyTable } from './types.js';

export const OPTIONAL_TABLES: readonly LegacyTable[] = Object.freeze([
  table('claim_ClaimAttachment', { pk: 'id' }, [
    'id uuid NN',
    'ValidityFrom timestamptz NN',
    'ValidityTo timestamptz',
    'LegacyID uuid',
    'type text',
    'title text',
    'date date',
    'filename text',
    'mime text',
    'url text',
    'document text',
    'claim_id integer NN -> tblClaim.ClaimID',
  ]),
]);
