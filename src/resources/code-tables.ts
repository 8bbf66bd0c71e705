/**
 * The openIMIS code tables (education, profession, relationship, ...): small, not versioned, and
 * changed only by administrators. They are read once at start-up so that mappers can show labels
 * without a join per table on every request.
 */
import type { Knex } from 'knex';

export const CODE_TABLES = {
  gender: { table: 'tblGender', code: 'Code', label: 'Gender' },
  education: { table: 'tblEducations', code: 'EducationId', label: 'Education' },
  profession: { table: 'tblProfessions', code: 'ProfessionId', label: 'Profession' },
  relation: { table: 'tblRelations', code: 'RelationId', label: 'Relation' },
  identificationType: { table: 'tblIdentificationTypes', code: 'IdentificationCode', label: 'IdentificationTypes' },
  familyType: { table: 'tblFamilyTypes', code: 'FamilyTypeCode', label: 'FamilyType' },
  confirmationType: { table: 'tblConfirmationTypes', code: 'ConfirmationTypeCode', label: 'ConfirmationType' },
  legalForm: { table: 'tblLegalForms', code: 'LegalFormCode', label: 'LegalForms' },
  hfSublevel: { table: 'tblHFSublevel', code: 'HFSublevel', label: 'HFSublevelDesc' },
} as const;

export type CodeTableName = keyof typeof CODE_TABLES;

export class CodeTables {
  private constructor(private readonly tables: Map<CodeTableName, Map<string, string>>) {}

  static async load(db: Knex): Promise<CodeTables> {
    const entries = await Promise.all(
      (Object.keys(CODE_TABLES) as CodeTableName[]).map(async (name) => {
        const spec = CODE_TABLES[name];
        const rows: Record<string, unknown>[] = await db(spec.table).select(spec.code, spec.label);
        return [name, new Map(rows.map((r) => [String(r[spec.code]).trim(), String(r[spec.label] ?? '')]))] as const;
      }),
    );
    return new CodeTables(new Map(entries));
  }

  label(table: CodeTableName, code: unknown): string | undefined {
    if (code === null || code === undefined || code === '') return undefined;
    return this.tables.get(table)?.get(String(code).trim());
  }

  has(table: CodeTableName, code: unknown): boolean {
    return this.label(table, code) !== undefined;
  }

  codes(table: CodeTableName): [string, string][] {
    return [...(this.tables.get(table) ?? new Map()).entries()];
  }
}
