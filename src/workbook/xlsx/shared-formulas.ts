import { columnLetter } from '../../engine';
import { rowFormulaAt, type PlannedColumn } from '../plan';
import { escapeXml } from './cell-xml';

/**
 * The `<f>` elements of one planned column's per-row formulas, written as Excel writes a formula
 * filled down: each run of consecutive formula rows is one shared formula (ECMA-376 Part 1,
 * 18.3.1.40, `t="shared"`), the formula text on the run's first cell with the range it covers, and
 * `<f t="shared" si="n"/>` on the others, which shift its relative references row by row. The
 * plan's per-row formulas differ only in the row of their relative references (cuts are names or
 * absolute), so this is the same formula in every cell; a million rows of six live columns take
 * about 0.3 GB of sheet XML instead of 2.4 GB. Rows that keep a value break the runs.
 *
 * Call `elementAt` for data rows in ascending order (the sheet patcher's order).
 */
export class SharedFormulaColumn {
  private runEnd = -1;
  private sharedIndex = -1;

  /**
   * @param column the planned column, with its row formula template
   * @param sheetColumn its 0-based sheet column
   * @param nextSharedIndex hands out the sheet's next free `si`
   */
  constructor(private readonly column: PlannedColumn, private readonly sheetColumn: number, private readonly nextSharedIndex: () => number) {}

  /** The `<f>` element of data row `index` (0-based), or undefined where the row keeps its value. */
  elementAt(index: number): string | undefined {
    const formula = rowFormulaAt(this.column, index);
    if (formula === undefined) {
      this.runEnd = -1;
      return undefined;
    }
    if (index <= this.runEnd) return `<f t="shared" si="${this.sharedIndex}"/>`;
    const end = this.lastFormulaRowFrom(index);
    if (end === index) return `<f>${escapeXml(formula)}</f>`;
    this.runEnd = end;
    this.sharedIndex = this.nextSharedIndex();
    const letter = columnLetter(this.sheetColumn);
    const firstSheetRow = this.column.rowFormula!.firstSheetRow;
    return `<f t="shared" ref="${letter}${firstSheetRow + index}:${letter}${firstSheetRow + end}" si="${this.sharedIndex}">${escapeXml(formula)}</f>`;
  }

  /** The last row of the run of formula rows that starts at `index`. */
  private lastFormulaRowFrom(index: number): number {
    const valueRows = this.column.rowFormula!.valueRows;
    let low = 0;
    let high = valueRows.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (valueRows[middle] <= index) low = middle + 1;
      else high = middle;
    }
    return (low < valueRows.length ? valueRows[low] : this.column.values.length) - 1;
  }
}
