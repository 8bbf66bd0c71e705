/**
 * Indexes a FHIR server needs for its searches and joins that the legacy openIMIS schema lacks.
 * They are plain B-tree indexes prefixed "fhir_idx_" so they are easy to recognise (and drop).
 */
import type { LegacyTable } from './types.js';
import { quoteIdent } from './ddl.js';

export interface PerformanceIndex {
  name: string;
  table: string;
  /** Indexed column (plain column index). */
  column?: string;
  /** Indexed SQL expression, used instead of column (e.g. lower("LastName")). */
  expression?: string;
}

const byColumn = (table: string, column: string): PerformanceIndex => ({
  name: `fhir_idx_${table}_${column}`,
  table,
  column,
});

// text_pattern_ops: the index then serves LIKE 'abc%' prefix searches whatever the collation
// (with a non-C collation a plain index serves only equality).
const byLower = (table: string, column: string): PerformanceIndex => ({
  name: `fhir_idx_${table}_lower_${column}`,
  table,
  expression: `lower(${quoteIdent(column)}) text_pattern_ops`,
});

/** The LegacyID (history link) of every versioned table. */
function legacyIdIndexes(tables: readonly LegacyTable[]): PerformanceIndex[] {
  return tables.flatMap((t) => {
    const column = t.columns.find((c) => c.name === 'LegacyID' || c.name === 'LegacyId');
    return column && t.versioned ? [byColumn(t.name, column.name)] : [];
  });
}

export function performanceIndexes(tables: readonly LegacyTable[]): PerformanceIndex[] {
  return [
    ...legacyIdIndexes(tables),
    byColumn('tblInsuree', 'CHFID'),
    byLower('tblInsuree', 'LastName'),
    byLower('tblInsuree', 'OtherNames'),
    byColumn('tblInsuree', 'DOB'),
    byColumn('tblInsuree', 'FamilyID'),
    byColumn('tblInsuree', 'ValidityFrom'),
    byColumn('tblFamilies', 'InsureeID'),
    byColumn('tblFamilies', 'LocationId'),
    byColumn('tblHF', 'HFCode'),
    byColumn('tblLocations', 'LocationCode'),
    byColumn('tblLocations', 'ParentLocationId'),
    byColumn('tblProduct', 'ProductCode'),
    byColumn('tblItems', 'ItemCode'),
    byColumn('tblServices', 'ServCode'),
    byColumn('tblClaim', 'ClaimCode'),
    byColumn('tblClaim', 'InsureeID'),
    byColumn('tblClaim', 'HFID'),
    byColumn('tblPolicy', 'FamilyID'),
    byColumn('tblUsers', 'LoginName'),
    byColumn('tblClaimItems', 'ClaimID'),
    byColumn('tblClaimItems', 'ItemID'),
    byColumn('tblClaimItems', 'PolicyID'),
    byColumn('tblClaimItems', 'ProdID'),
    byColumn('tblClaimServices', 'ClaimID'),
    byColumn('tblClaimServices', 'ServiceID'),
    byColumn('tblClaimServices', 'PolicyID'),
    byColumn('tblClaimServices', 'ProdID'),
    byColumn('tblInsureePolicy', 'InsureeID'),
    byColumn('tblInsureePolicy', 'PolicyId'),
    byColumn('tblPremium', 'PolicyID'),
    // The product lines: Medication / ActivityDefinition?insurance-plan= hop through them by product.
    byColumn('tblProductItems', 'ProdID'),
    byColumn('tblProductServices', 'ProdID'),
    byColumn('tblPremium', 'PayerID'),
  ];
}

export function createIndexStatement(index: PerformanceIndex): string {
  const key = index.expression ?? quoteIdent(index.column ?? '');
  return `CREATE INDEX IF NOT EXISTS ${quoteIdent(index.name)} ON ${quoteIdent(index.table)} (${key})`;
}
