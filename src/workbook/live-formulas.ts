import {
  roleDefinition, spreadsheetNumber, type CustomerTable, type FormulaReferences, type Localized, type RoleId,
} from '../engine';

/** What builds one row's formula from its role references; null when the row cannot have one. */
export type RowFormula = (roles: FormulaReferences['roles']) => string | null;

/** A defined name the plan asks the adapters to create: workbook scope, an absolute reference. */
export interface DefinedName {
  name: string;
  /** 'Summary'!$D$14 */
  ref: string;
}

/**
 * The workbook-level name of a model's cut or parameter cell: SK_ABCD_RevenueCut. The model part
 * is its segment column's header without "Segment "; a name never looks like a cell address.
 */
export function cellName(columnHeader: string, key: string): string {
  const model = columnHeader.replace(/^Segment\s+/, '').replace(/[^A-Za-z0-9]/g, '');
  return `SK_${model}_${key.charAt(0).toUpperCase()}${key.slice(1)}`;
}

/**
 * The roles a formula reads, found by building it once over placeholder references: the model
 * decides what it uses (the value tiers read "customer since" but not "days late").
 */
export function rolesUsed(build: RowFormula, mapped: readonly RoleId[]): RoleId[] {
  const placeholders = Object.fromEntries(mapped.map((role) => [role, `⟨${role}⟩`]));
  const formula = build(placeholders) ?? '';
  return mapped.filter((role) => formula.includes(placeholders[role]));
}

/** A cell as a spreadsheet formula sees it: numbers and dates are numbers; text, booleans and blanks are not. */

/**
 * The data rows (0-based) where a formula would read a used input differently from the engine:
 * a number or a date typed as text ("1.234,50", "2024-03-01"), which the engine reads and a
 * formula does not, or a number the engine cannot use as a date. Those rows get values, so a
 * formula never disagrees with what the run computed.
 */
export function rowsReadDifferently(table: CustomerTable, roles: readonly RoleId[]): number[] {
  const rows: number[] = [];
  const columns = roles.map((role) => ({
    column: table.mapping[role]!, engine: table.numbers[role]!, date: roleDefinition(role).kind === 'date',
  })).filter((column) => column.engine !== undefined);
  const known = roles.map((role) => table.readDifferently?.[role]).filter((flags): flags is Uint8Array => flags !== undefined);
  if (known.length === roles.filter((role) => table.numbers[role]).length) {
    // Worked out with the table: no cells needed (they may have been released).
    for (let i = 0; i < table.rowCount; i++) if (known.some((flags) => flags[i] === 1)) rows.push(i);
    return rows;
  }
  for (let i = 0; i < table.rowCount; i++) {
    const cells = table.cells[i];
    for (const { column, engine, date } of columns) {
      const seen = spreadsheetNumber(cells[column]);
      const read = date ? Math.floor(seen) : seen;
      if (!(read === engine[i] || (Number.isNaN(read) && Number.isNaN(engine[i])))) {
        rows.push(i);
        break;
      }
    }
  }
  return rows;
}

/** The note for rows that got values instead of formulas, naming the first few sheet rows. */
export function valueRowsNote(sheetRows: readonly number[]): Localized {
  const shown = sheetRows.slice(0, 5).join(', ') + (sheetRows.length > 5 ? ', …' : '');
  return {
    en: `${sheetRows.length} row(s) hold a number or date as text (sheet rows ${shown}): their cells are written as values, not formulas. Enter those cells as numbers or dates to make the rows live.`,
    da: `${sheetRows.length} række(r) har et tal eller en dato som tekst (arkrækker ${shown}): deres celler er skrevet som værdier, ikke formler. Indtast cellerne som tal eller datoer for at gøre rækkerne levende.`,
  };
}
