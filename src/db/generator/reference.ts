/**
 * Code tables (research notes §6.7) and the other base rows (tblIMISDefaults, tblIMISDefaultsPhone,
 * tblControls), taken from the demo module so both datasets agree. Existing rows are kept; an empty
 * table is filled. The codes the generator draws from are checked against the database.
 */
import type { Knex } from 'knex';
import { CODE_ROWS } from '../demo/codes.js';

type Row = Record<string, unknown>;

/** Primary-key (code) column of each code table. */
const CODE_COLUMN: Record<string, string> = {
  tblGender: 'Code',
  tblProfessions: 'ProfessionId',
  tblEducations: 'EducationId',
  tblIdentificationTypes: 'IdentificationCode',
  tblRelations: 'RelationId',
  tblFamilyTypes: 'FamilyTypeCode',
  tblConfirmationTypes: 'ConfirmationTypeCode',
  tblHFSublevel: 'HFSublevel',
  tblLegalForms: 'LegalFormCode',
  tblPayerType: 'Code',
  tblCeilingInterpretation: 'CeilingIntCode',
  tblLanguages: 'LanguageCode',
};

/** The code values the generator uses; each one is checked against the database. */
export const USED_CODES: Record<string, (string | number)[]> = {
  tblGender: ['M', 'F', 'O'],
  tblProfessions: [1, 2, 3, 4],
  tblEducations: [1, 2, 3, 4, 5, 6, 7],
  tblIdentificationTypes: ['D', 'N', 'P', 'V'],
  tblRelations: [1, 2, 3, 4, 5, 6, 7, 8],
  tblFamilyTypes: ['C', 'G', 'H', 'O', 'P', 'S', 'T'],
  tblConfirmationTypes: ['A', 'B', 'C', 'D'],
  tblHFSublevel: ['I', 'N', 'R'],
  tblLegalForms: ['C', 'D', 'G', 'P'],
  tblPayerType: ['C', 'D', 'G', 'L', 'O', 'P'],
  tblCeilingInterpretation: ['H', 'I'],
  tblLanguages: ['en', 'fr'],
};

/** Fills every empty base-data table and checks the codes the generator uses. Returns the tables it filled. */
export async function ensureCodeTables(knex: Knex): Promise<string[]> {
  const filled: string[] = [];
  for (const [table, rows] of Object.entries(CODE_ROWS)) {
    const [{ n }] = await knex(table).count<{ n: number | string }[]>({ n: '*' });
    if (Number(n) === 0 && rows.length) {
      await knex(table).insert(rows as Row[]);
      filled.push(table);
    }
  }
  for (const [table, codes] of Object.entries(USED_CODES)) {
    const column = CODE_COLUMN[table];
    const present = new Set((await knex(table).select(column)).map((r: Row) => String(r[column]).trim()));
    const missing = codes.filter((c) => !present.has(String(c)));
    if (missing.length) throw new Error(`${table} lacks the code(s) ${missing.join(', ')} used by the generator`);
  }
  return filled;
}
