import { buildCustomerTable, cellText, isBlankRow, parseNumber, searchTwins, TwinSearchError, type CellValue, type Localized } from '../engine';
import type { ResultCell } from './consultancy';
import { FunctionInputError, type FunctionProblem } from './errors';
import { capitalize, rangeHeaders, readCell, type ExcelMatrix } from './matrix';

/**
 * SEGMENT.TWINS(candidateFeatures, referenceFeatures): how much each candidate row looks like the
 * reference rows, 0–100, by the twins model's search (learn/twin-search.ts): every column is a
 * feature as the model would read it (numbers as they are, text as categories, a column blank for
 * most candidates left out), standardised over both ranges together, and a candidate's similarity
 * is the share of reference rows farther from their 3 nearest fellow reference rows than the
 * candidate is from its 3 nearest reference rows (50: as close as a typical reference row).
 *
 * The two ranges have the same columns in the same order; numbers and text alike. Headers are
 * optional: when the first row of both ranges is the same text in every column (no blanks, no
 * numbers), it is the header row (a header such as Branche or Postnummer makes its codes
 * categories, as in the model), and the candidate's header row gets an empty cell, so the result
 * lines up with candidateFeatures row for row. An all-blank row gets an empty cell; a candidate
 * row with an error value or a linked data type gets #VALUE! naming the cell (the cell counts as
 * blank in the search), and so does a reference row's cell count as blank.
 */

const NAMES = {
  candidates: { en: 'candidateFeatures', da: 'kandidaters kendetegn' },
  references: { en: 'referenceFeatures', da: 'referencers kendetegn' },
} satisfies Record<string, Localized>;

/** The rows of a range as cells the engine reads, with the first cell per row that cannot be read (an error value, a data type). */
function readRange(matrix: ExcelMatrix, name: Localized): { rows: CellValue[][]; unreadable: (string | undefined)[] } {
  if (!Array.isArray(matrix) || matrix.length === 0 || !Array.isArray(matrix[0]) || matrix[0].length === 0) {
    throw new FunctionInputError('invalidValue', { en: `Give ${name.en} as a range of cells.`, da: `Angiv ${name.da} som et område af celler.` });
  }
  const unreadable: (string | undefined)[] = [];
  const rows = matrix.map((row) => {
    let problem: string | undefined;
    const cells = row.map((raw: unknown) => {
      const cell = readCell(raw);
      if (!cell.issue) return cell.value;
      problem ??= cellText(cell.value);
      return null;
    });
    unreadable.push(problem);
    return cells;
  });
  return { rows, unreadable };
}

/** A header row: every cell text, none blank, none a number. */
function looksLikeHeaders(row: readonly CellValue[]): boolean {
  return row.every((cell) => typeof cell === 'string' && cell.trim() !== '' && parseNumber(cell, null) === undefined);
}

function sameHeaders(a: readonly CellValue[], b: readonly CellValue[]): boolean {
  return looksLikeHeaders(a) && looksLikeHeaders(b) && a.every((cell, j) => cellText(cell).trim().toLowerCase() === cellText(b[j]).trim().toLowerCase());
}

function unreadableProblem(row: number, text: string): FunctionProblem {
  return {
    kind: 'invalidValue',
    text: {
      en: `Row ${row + 1}, ${NAMES.candidates.en}: the cell holds ${text}, which cannot be read; this row gets no similarity.`,
      da: `Række ${row + 1}, ${NAMES.candidates.da}: cellen indeholder ${text}, som ikke kan læses; rækken får ingen lighed.`,
    },
  };
}

/**
 * The similarity 0–100 of each candidate row to the reference rows, as one column the length of
 * candidateFeatures: "" on a header row and a blank row, a problem for a row with an unreadable cell.
 * @throws FunctionInputError when the ranges' widths differ, fewer than two reference rows hold
 *   values, or no column can describe the candidates
 */
export function twinsCells(candidateFeatures: ExcelMatrix, referenceFeatures: ExcelMatrix): ResultCell[][] {
  const candidates = readRange(candidateFeatures, NAMES.candidates);
  const references = readRange(referenceFeatures, NAMES.references);
  const width = candidates.rows[0].length;
  if (references.rows[0].length !== width) {
    throw new FunctionInputError('invalidValue', {
      en: `${capitalize(NAMES.candidates.en)} has ${width} columns and ${NAMES.references.en} has ${references.rows[0].length}: give both the same columns, in the same order.`,
      da: `${capitalize(NAMES.candidates.da)} har ${width} kolonner og ${NAMES.references.da} har ${references.rows[0].length}: giv begge de samme kolonner i samme rækkefølge.`,
    });
  }
  const headed = candidates.rows.length > 1 && references.rows.length > 1 && sameHeaders(candidates.rows[0], references.rows[0]);
  const skip = headed ? 1 : 0;
  const headers = rangeHeaders(headed ? candidates.rows[0] : undefined, width);
  const candidateRows = candidates.rows.slice(skip);
  const referenceRows = references.rows.slice(skip);
  // No role mapping: the function knows no customer ids or names, only features.
  const table = buildCustomerTable(headers, [...candidateRows, ...referenceRows], { mapping: {} });
  const inRange = (from: number, to: number) => Uint8Array.from({ length: table.rowCount }, (_, i) => (i >= from && i < to && !isBlankRow(table, i) ? 1 : 0));
  const candidateMask = inRange(0, candidateRows.length);
  const referenceMask = inRange(candidateRows.length, table.rowCount);
  let similarity: Float64Array;
  try {
    similarity = searchTwins(table, { reference: referenceMask, candidates: candidateMask, scored: candidateMask }).twins.similarity;
  } catch (error) {
    if (error instanceof TwinSearchError) throw new FunctionInputError('invalidValue', { en: `${capitalize(error.text.en)}.`, da: `${capitalize(error.text.da)}.` });
    throw error;
  }
  const cells: ResultCell[] = candidates.rows.map((_, r) => {
    const i = r - skip;
    if (i < 0 || !candidateMask[i]) return '';
    const unreadable = candidates.unreadable[r];
    if (unreadable !== undefined) return unreadableProblem(r, unreadable);
    return Number.isNaN(similarity[i]) ? '' : similarity[i];
  });
  return cells.map((cell) => [cell]);
}
