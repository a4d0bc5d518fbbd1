import type { CutSpec } from './cuts';

/**
 * Pieces of ordinary spreadsheet formulas, built from the functions Excel 2016, Excel on the web,
 * LibreOffice and Google Sheets all have (IF, AND, OR, COUNT, ISNUMBER, INT, EDATE, ROUNDUP).
 * Each mirrors one engine rule, so a model's formula decides every row as its `run` does.
 * IF evaluates only the branch it takes in all four programs, which is what keeps arithmetic on a
 * blank or text cell (a #VALUE!) out of the result: inputs are tested before they are used.
 */

/** A formula's text literal: "A", with quotes doubled. */
export function textLiteral(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * The test that every referenced cell holds a number (dates are numbers): a blank or a text cell
 * is missing, as the engine reads it. COUNT counts only numeric cells.
 */
export function allNumbers(references: readonly string[]): string {
  const unique = [...new Set(references)];
  return unique.length === 1 ? `ISNUMBER(${unique[0]})` : `COUNT(${unique.join(',')})=${unique.length}`;
}

/**
 * `isHigh` as a formula: at or above the cut (ties count as high); under a Pareto cut only a
 * positive value can be high. `value` must already be known to be a number.
 */
export function atOrAbove(value: string, cut: string, spec: CutSpec): string {
  return spec.method === 'pareto' ? `AND(${value}>0,${value}>=${cut})` : `${value}>=${cut}`;
}

/** An amount as a formula literal: the shortest text that reads back as the same double. */
export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`${value} cannot be written in a formula.`);
  return String(value);
}
