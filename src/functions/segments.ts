import {
  CUTOFF_FUNCTION, cutOrderProblems, cutSetting, FUNCTION_NAMESPACE, getModel, isHigh, resolveCut, settingsProblems, validateCut,
  type CutMethod, type CutSpec, type Localized, type ModelDefinition, type SettingProblem, type UsedCut,
} from '../engine';
import { abcdSegment } from '../engine/models/abcd';
import { paretoSegment } from '../engine/models/pareto';
import { FunctionInputError, type FunctionProblem } from './errors';
import {
  allCells, asColumn, capitalize, readColumn, readNumbers, readOptionalNumber, type ExcelMatrix, type NumberColumn, type ReadColumn, type UnreadableCell,
} from './matrix';

/** A result cell: a segment id, "" for a row without a segment, or a problem to show as an error. */
export type SegmentCell = string | FunctionProblem;

const NAMES = {
  revenue: { en: 'revenue', da: 'omsætning' },
  potential: { en: 'potential', da: 'potentiale' },
  values: { en: 'values', da: 'værdier' },
  revenueCut: { en: 'the revenue cut', da: 'skæringen for omsætning' },
  potentialCut: { en: 'the potential cut', da: 'skæringen for potentiale' },
  aCut: { en: 'the A cut', da: 'skæringen for A' },
  bCut: { en: 'the B cut', da: 'skæringen for B' },
  level: { en: 'the level', da: 'niveauet' },
} satisfies Record<string, Localized>;

/** A cut given as a number in a cell: an absolute value, used as it stands. */
export function valueCut(level: number): CutSpec {
  return { method: 'value', level };
}

/** What a row without a readable input goes without, in each function's own words. */
export const OUTCOME = {
  margin: { en: 'no margin', da: 'intet dækningsbidrag' },
  segment: { en: 'no segment', da: 'intet segment' },
  score: { en: 'no score', da: 'ingen score' },
} satisfies Record<string, Localized>;

/** Danish Excel's names of the error values (Excel hands the function the English code). */
const DANISH_ERROR_CODES: Record<string, string> = {
  '#N/A': '#I/T', '#VALUE!': '#VÆRDI!', '#DIV/0!': '#DIVISION/0!', '#NUM!': '#NUMMER!', '#NAME?': '#NAVN?', '#REF!': '#REFERENCE!', '#NULL!': '#NUL!',
};

const EXPECTED = {
  number: { en: 'a number', da: 'et tal' },
  date: { en: 'a date', da: 'en dato' },
} satisfies Record<ReadColumn['expected'], Localized>;

/** Where a cell is: the argument, and its row within the range when the range has more than one. */
function cellPlace(column: ReadColumn, row: number): Localized {
  if (column.values.length <= 1) return { en: capitalize(column.name.en), da: capitalize(column.name.da) };
  return { en: `Row ${row + 1}, ${column.name.en}`, da: `Række ${row + 1}, ${column.name.da}` };
}

/**
 * What is wrong with a cell that cannot be read, without a full stop: the row and the argument,
 * and what the cell holds (text, an error value, a linked data type).
 */
export function unreadableText(column: ReadColumn, row: number, cell: UnreadableCell): Localized {
  const place = cellPlace(column, row);
  const expected = EXPECTED[column.expected];
  const what: Localized = cell.kind === 'error'
    ? { en: `the cell holds the error ${cell.text}`, da: `cellen indeholder fejlen ${DANISH_ERROR_CODES[cell.text] ?? cell.text}` }
    : cell.kind === 'entity'
      ? { en: `"${cell.text}" is a linked data type, not ${expected.en}`, da: `"${cell.text}" er en sammenkædet datatype, ikke ${expected.da}` }
      : { en: `"${cell.text}" is not ${expected.en}`, da: `"${cell.text}" er ikke ${expected.da}` };
  return { en: `${place.en}: ${what.en}`, da: `${place.da}: ${what.da}` };
}

/**
 * A cell that cannot be read: an error in that row only, naming the row and the argument, what
 * the cell holds (text, an error value, a linked data type) and what the row goes without.
 */
export function unreadableProblem(column: ReadColumn, row: number, cell: UnreadableCell, outcome: Localized): FunctionProblem {
  const what = unreadableText(column, row, cell);
  return {
    kind: 'invalidValue',
    text: { en: `${what.en}; this row gets ${outcome.en}.`, da: `${what.da}; rækken får ${outcome.da}.` },
  };
}

/** The problem of a row: its first unreadable cell over the columns given (left out ones skipped), or undefined. */
export function rowProblem(columns: readonly (ReadColumn | undefined)[], row: number, outcome: Localized): FunctionProblem | undefined {
  for (const column of columns) {
    const cell = column?.unreadable[row];
    if (cell !== undefined) return unreadableProblem(column!, row, cell, outcome);
  }
  return undefined;
}

export function requireSameLength(first: { length: number }, second: { length: number }, names: [Localized, Localized]): void {
  if (first.length === second.length) return;
  const [a, b] = [first.length, second.length];
  throw new FunctionInputError('invalidValue', {
    en: `${capitalize(names[0].en)} has ${a} rows and ${names[1].en} has ${b}: give ranges of the same length.`,
    da: `${capitalize(names[0].da)} har ${a} rækker og ${names[1].da} har ${b}: angiv områder af samme længde.`,
  });
}

/** A single row cannot make a cut of its own: the per-row form needs the cuts from the column. */
export function cutsRequired(functionName: string, cuts: Localized[]): FunctionInputError {
  const list = (language: 'en' | 'da') => cuts.map((cut) => cut[language]).join(language === 'en' ? ' and ' : ' og ');
  const cutoff = `${FUNCTION_NAMESPACE}.${CUTOFF_FUNCTION}`;
  return new FunctionInputError('invalidValue', {
    en: `For a single row, give ${list('en')} as numbers (for example from ${cutoff} over the whole column), or give ${FUNCTION_NAMESPACE}.${functionName} the whole column.`,
    da: `For en enkelt række skal ${list('da')} angives som tal (for eksempel fra ${cutoff} over hele kolonnen), eller giv ${FUNCTION_NAMESPACE}.${functionName} hele kolonnen.`,
  });
}

export function tierId(model: ModelDefinition, tierIndex: number): string {
  return tierIndex < 0 ? '' : model.tiers[tierIndex].id;
}

/** Two columns read together: the same length, and both cuts given when there is a single row. */
export interface ColumnPair {
  first: NumberColumn;
  second: NumberColumn;
  /** The cut values given, in order; undefined where left out (a whole column then uses the model's default). */
  cuts: (number | undefined)[];
}

export function readColumnPair(
  model: ModelDefinition, first: [ExcelMatrix, Localized], second: [ExcelMatrix, Localized], cuts: [unknown, Localized][],
): ColumnPair {
  const firstColumn = readColumn(first[0], first[1]);
  const secondColumn = readColumn(second[0], second[1]);
  requireSameLength(firstColumn.values, secondColumn.values, [first[1], second[1]]);
  const given = cuts.map(([argument, name]) => readOptionalNumber(argument, name));
  if (firstColumn.values.length === 1 && given.some((cut) => cut === undefined)) throw cutsRequired(model.functionName, cuts.map(([, name]) => name));
  return { first: firstColumn, second: secondColumn, cuts: given };
}

/** The cut a function uses: the value given, else the model's default for a whole column. */
export function cutSpecOf(model: ModelDefinition, key: string, given: number | undefined): CutSpec {
  return given === undefined ? cutSetting(model.defaults, key) : valueCut(given);
}

/**
 * One segment per row from two columns read together: an unreadable cell is an error in its row,
 * a blank in either column leaves the row empty, the rest get `segmentOf` of their two values.
 */
export function pairSegments(
  model: ModelDefinition, pair: ColumnPair, firstValues: Float64Array, segmentOf: (first: number, second: number) => number,
): SegmentCell[][] {
  const cells = Array.from(firstValues, (first, i): SegmentCell => {
    const problem = rowProblem([pair.first, pair.second], i, OUTCOME.segment);
    if (problem) return problem;
    const second = pair.second.values[i];
    if (Number.isNaN(first) || Number.isNaN(second)) return '';
    return tierId(model, segmentOf(first, second));
  });
  return asColumn(cells);
}

/**
 * SEGMENT.ABCD: a whole column gets the model's default cuts (or absolute cuts when given); a
 * single row needs both cuts. Rows with a blank input get "", unreadable text an error cell.
 */
export function abcdCells(revenue: ExcelMatrix, potential: ExcelMatrix, revenueCut: unknown, potentialCut: unknown): SegmentCell[][] {
  const model = getModel('abcd');
  const pair = readColumnPair(
    model, [revenue, NAMES.revenue], [potential, NAMES.potential], [[revenueCut, NAMES.revenueCut], [potentialCut, NAMES.potentialCut]],
  );
  const revenueSpec = cutSpecOf(model, 'revenueCut', pair.cuts[0]);
  const potentialSpec = cutSpecOf(model, 'potentialCut', pair.cuts[1]);
  const revenueCutValue = resolveCut(pair.first.values, revenueSpec);
  const potentialCutValue = resolveCut(pair.second.values, potentialSpec);
  return pairSegments(model, pair, pair.first.values, (r, p) => abcdSegment(isHigh(r, revenueCutValue, revenueSpec), isHigh(p, potentialCutValue, potentialSpec)));
}

/** The engine's problems as one #VALUE! error, whose message Excel shows. */
function refused(problems: readonly SettingProblem[]): FunctionInputError {
  return new FunctionInputError('invalidValue', {
    en: problems.map((problem) => problem.text.en).join(' '),
    da: problems.map((problem) => problem.text.da).join(' '),
  });
}

/**
 * Refuses cuts as the engine refuses them for every surface (settingsProblems): each in range and
 * the model's cuts in their order. `cuts` by setting key; the model's defaults fill the rest.
 */
export function requireValidCuts(model: ModelDefinition, cuts: Record<string, CutSpec>): void {
  const problems = settingsProblems(model, { ...model.defaults, ...cuts });
  if (problems.length > 0) throw refused(problems);
}

/** Refuses cut values in the wrong order on the data, as segment() does (cutOrderProblems). */
export function requireCutOrder(model: ModelDefinition, cuts: readonly Pick<UsedCut, 'key' | 'value'>[]): void {
  const problems = cutOrderProblems(model, cuts);
  if (problems.length > 0) throw refused(problems);
}

/** The Pareto shares of the whole-column form, checked by the engine: each in (0, 1] and A's within B's. */
function paretoShares(aShare: number | undefined, bShare: number | undefined, model: ModelDefinition): [CutSpec, CutSpec] {
  const a: CutSpec = { method: 'pareto', level: aShare ?? cutSetting(model.defaults, 'aCut').level };
  const b: CutSpec = { method: 'pareto', level: bShare ?? cutSetting(model.defaults, 'bCut').level };
  requireValidCuts(model, { aCut: a, bCut: b });
  return [a, b];
}

/**
 * SEGMENT.PARETO: over a whole column the two numbers are Pareto shares (default 0.8 and 0.95);
 * for a single row they are the cut values themselves, as the per-row formulas pass them.
 */
export function paretoCells(values: ExcelMatrix, aArgument: unknown, bArgument: unknown): SegmentCell[][] {
  const model = getModel('pareto');
  const column = readColumn(values, NAMES.values);
  const a = readOptionalNumber(aArgument, NAMES.aCut);
  const b = readOptionalNumber(bArgument, NAMES.bCut);
  let specs: [CutSpec, CutSpec];
  if (column.values.length === 1) {
    if (a === undefined || b === undefined) throw cutsRequired(model.functionName, [NAMES.aCut, NAMES.bCut]);
    specs = [valueCut(a), valueCut(b)];
    requireValidCuts(model, { aCut: specs[0], bCut: specs[1] });
  } else {
    specs = paretoShares(a, b, model);
  }
  const [aSpec, bSpec] = specs;
  const aCut = resolveCut(column.values, aSpec);
  const bCut = resolveCut(column.values, bSpec);
  const cells = Array.from(column.values, (value, i): SegmentCell => {
    const problem = rowProblem([column], i, OUTCOME.segment);
    if (problem) return problem;
    return tierId(model, paretoSegment(value, isHigh(value, aCut, aSpec), isHigh(value, bCut, bSpec)));
  });
  return asColumn(cells);
}

/** Method names a user may type, in English and Danish. */
const METHOD_WORDS: Record<string, CutMethod> = {
  pareto: 'pareto', andel: 'pareto',
  quantile: 'quantile', kvantil: 'quantile',
  value: 'value', 'værdi': 'value', vaerdi: 'value',
};

function readMethod(method: unknown): CutMethod {
  const word = typeof method === 'string' ? method.trim().toLocaleLowerCase('da') : '';
  const found = METHOD_WORDS[word];
  if (found) return found;
  throw new FunctionInputError('invalidValue', {
    en: `Unknown cut method "${String(method ?? '')}": use "pareto", "quantile" or "value".`,
    da: `Ukendt skæringsmetode "${String(method ?? '')}": brug "andel", "kvantil" eller "værdi" (eller pareto, quantile, value).`,
  });
}

/**
 * SEGMENT.CUTOFF: the cut value the engine uses for these values. Unreadable cells (text, error
 * values, data types) are left out,
 * as a model run leaves those rows without a segment.
 */
export function cutOf(values: ExcelMatrix, method: unknown, level: unknown): number {
  const spec: CutSpec = { method: readMethod(method), level: readOptionalNumber(level, NAMES.level) ?? NaN };
  // #VALUE!, not #NUM!: only #VALUE! and #N/A show the message that says what to change.
  const problem = validateCut(spec);
  if (problem) throw new FunctionInputError('invalidValue', problem);
  const cut = resolveCut(readNumbers(allCells(values), NAMES.values).values, spec);
  if (!Number.isFinite(cut)) {
    throw new FunctionInputError('notAvailable', spec.method === 'pareto'
      ? { en: 'No positive values: a Pareto cut needs some.', da: 'Ingen positive værdier: en Pareto-skæring kræver nogle.' }
      : { en: 'No numbers to cut.', da: 'Ingen tal at skære i.' });
  }
  return cut;
}
