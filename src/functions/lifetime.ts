import { cellText, DEFAULT_ORIGIN, formatNumber, getModel, parseNumber, type CustomerTable, type Language, type Localized } from '../engine';
import { bgnbdConditionalExpected, bgnbdPAlive, fitBgNbd, type BgNbdParams } from '../engine/lifetime/bgnbd';
import { LifetimeEstimationError } from '../engine/lifetime/errors';
import { fitGammaGamma, gammaGammaExpectedSpend, type GammaGammaParams } from '../engine/lifetime/gamma-gamma';
import { rfmScores, type GroupCount } from '../engine/lifetime/rfm-scores';
import { DEFAULT_RFM_GRID, gridPosition } from '../engine/models/rfm';
import type { ResultCell } from './consultancy';
import { FunctionInputError } from './errors';
import { asColumn, capitalize, readCell, readColumn, readOptionalNumber, type ExcelMatrix, type NumberColumn } from './matrix';
import { OUTCOME, requireSameLength, rowProblem, unreadableText } from './segments';

/**
 * The lifetime functions: SEGMENT.RFM and SEGMENT.CLV, which score or fit the whole column and
 * spill one result per row (a single row has nothing to compare with), and the models behind CLV
 * one by one: SEGMENT.BGNBD and SEGMENT.GAMMAGAMMA spill their fitted parameters as one row, and
 * SEGMENT.PALIVE, SEGMENT.PURCHASES and SEGMENT.SPEND take that row and spill one prediction per
 * row. They call the same engine code the rfm and clv models run, so a function and a model run
 * on the same data give the same result.
 */

const NAMES = {
  recency: { en: 'recency', da: 'seneste køb' },
  frequency: { en: 'frequency', da: 'købshyppighed' },
  monetary: { en: 'monetary value', da: 'monetær værdi' },
  groups: { en: 'the number of score groups', da: 'antallet af scoregrupper' },
  age: { en: 'age', da: 'alder' },
  spend: { en: 'mean repeat spend', da: 'gennemsnitligt genkøbsbeløb' },
  horizon: { en: 'the horizon in months', da: 'horisonten i måneder' },
  discountRate: { en: 'the yearly discount rate', da: 'den årlige diskonteringsrente' },
  marginShare: { en: 'the margin share', da: 'dækningsgraden' },
  periods: { en: 'the horizon', da: 'horisonten' },
} satisfies Record<string, Localized>;

/** Reads equally long columns, the first naming the length the others must have. */
function readColumns(columns: [ExcelMatrix, Localized][]): NumberColumn[] {
  const read = columns.map(([matrix, name]) => readColumn(matrix, name));
  read.slice(1).forEach((column, i) => requireSameLength(read[0].values, column.values, [columns[0][1], columns[i + 1][1]]));
  return read;
}

function readGroups(argument: unknown): GroupCount {
  const groups = readOptionalNumber(argument, NAMES.groups) ?? 5;
  if (groups === 3 || groups === 4 || groups === 5) return groups;
  throw new FunctionInputError('invalidValue', {
    en: `The number of score groups must be 3, 4 or 5, not ${groups}.`,
    da: `Antallet af scoregrupper skal være 3, 4 eller 5, ikke ${groups}.`,
  });
}

/**
 * SEGMENT.RFM: recency (days since the last order), frequency (orders) and monetary value, each a
 * column; each is scored 1..groups by quantiles with equal values scored equal (min-rank shares,
 * as the rfm model scores), and the R and F scores pick the segment from the default R × F grid.
 * A row with a blank input gets "", an unreadable one a #VALUE! naming its row.
 */
export function rfmCells(recency: ExcelMatrix, frequency: ExcelMatrix, monetary: ExcelMatrix, groups: unknown): ResultCell[][] {
  const count = readGroups(groups);
  const columns = readColumns([[recency, NAMES.recency], [frequency, NAMES.frequency], [monetary, NAMES.monetary]]);
  const [r, f, m] = columns;
  const scores = rfmScores(r.values, f.values, m.values, count, 'min');
  const cells = Array.from(r.values, (_, i): ResultCell => {
    const problem = rowProblem(columns, i, OUTCOME.segment);
    if (problem) return problem;
    const [rScore, fScore] = [scores.recency.scores[i], scores.frequency.scores[i]];
    if (!(rScore > 0 && fScore > 0)) return '';
    return DEFAULT_RFM_GRID[gridPosition(rScore, count) - 1][gridPosition(fScore, count) - 1];
  });
  return asColumn(cells);
}

function requireRange(value: number | undefined, name: Localized, min: number, max: number): number | undefined {
  if (value === undefined || (value >= min && value <= max)) return value;
  throw new FunctionInputError('invalidValue', {
    en: `${name.en.charAt(0).toUpperCase()}${name.en.slice(1)} must be from ${min} to ${max}, not ${value}.`,
    da: `${name.da.charAt(0).toUpperCase()}${name.da.slice(1)} skal være fra ${min} til ${max}, ikke ${value}.`,
  });
}

/**
 * SEGMENT.CLV: fits BG/NBD on frequency (repeat purchases), recency (age at the last purchase)
 * and age, in weeks, and Gamma-Gamma on the repeat buyers' mean spend, then spills each customer's
 * CLV over the horizon, discounted monthly: the clv model's CLV column. Too few repeat buyers is a
 * #VALUE! saying "cannot be estimated from N repeat buyers"; rows the fit cannot use get "".
 */
export function clvCells(
  frequency: ExcelMatrix, recency: ExcelMatrix, age: ExcelMatrix, spend: ExcelMatrix, horizon: unknown, discountRate: unknown, marginShare: unknown,
): ResultCell[][] {
  const model = getModel('clv');
  const columns = readColumns([[frequency, NAMES.frequency], [recency, NAMES.recency], [age, NAMES.age], [spend, NAMES.spend]]);
  const settings = { ...model.defaults };
  const months = requireRange(readOptionalNumber(horizon, NAMES.horizon), NAMES.horizon, 1, 1200);
  const rate = requireRange(readOptionalNumber(discountRate, NAMES.discountRate), NAMES.discountRate, 0, 10);
  const share = requireRange(readOptionalNumber(marginShare, NAMES.marginShare), NAMES.marginShare, 0, 1);
  if (months !== undefined) settings.horizonMonths = Math.round(months);
  if (rate !== undefined) settings.discountRate = rate;
  settings.marginShare = share ?? 1;
  const [x, tx, T, zbar] = columns.map((column) => column.values);
  const table: CustomerTable = {
    rowCount: x.length, headers: [], origin: DEFAULT_ORIGIN, mapping: {}, texts: {}, problems: [], cells: [],
    numbers: { repeatPurchases: x, recencyWeeks: tx, ageWeeks: T, meanRepeatSpend: zbar },
  };
  let worth: Float64Array;
  try {
    const metric = model.run(table, settings).metrics?.find((candidate) => candidate.key === 'clv.value');
    if (!metric || !('values' in metric)) throw new Error('The clv model returned no CLV column.');
    worth = metric.values;
  } catch (error) {
    if (error instanceof LifetimeEstimationError) throw new FunctionInputError('invalidValue', error.text);
    throw error;
  }
  const cells = Array.from(worth, (value, i): ResultCell => rowProblem(columns, i, { en: 'no CLV', da: 'ingen CLV' }) ?? (Number.isNaN(value) ? '' : value));
  return asColumn(cells);
}

/**
 * The functions of the lifetime models that are no catalog model's own function (the catalog's
 * clv model writes SEGMENT.CLV): their ids in functions.ts, listed for the metadata tests.
 */
export const LIFETIME_MODEL_FUNCTIONS = ['BGNBD', 'PALIVE', 'PURCHASES', 'GAMMAGAMMA', 'SPEND'] as const;

/** What a row of a prediction goes without when its input is wrong. */
const PREDICTION = {
  pAlive: { en: 'no P(alive)', da: 'ingen P(i live)' },
  purchases: { en: 'no expected purchases', da: 'ingen forventede køb' },
  spend: { en: 'no expected spend', da: 'intet forventet beløb' },
} satisfies Record<string, Localized>;

/** A number in a message, written the way the user's Excel writes it (30,86 in Danish). */
function shown(value: number, language: Language): string {
  return formatNumber(value, language, 6);
}

/** One customer's repeat-buying history, in one time unit: x, t_x and T of BG/NBD. */
interface History {
  frequency: NumberColumn;
  recency: NumberColumn;
  age: NumberColumn;
}

function readHistory(frequency: ExcelMatrix, recency: ExcelMatrix, age: ExcelMatrix): History {
  const [x, tx, T] = readColumns([[frequency, NAMES.frequency], [recency, NAMES.recency], [age, NAMES.age]]);
  return { frequency: x, recency: tx, age: T };
}

function negativeText(column: NumberColumn, row: number): Localized {
  const value = column.values[row];
  const [en, da] = column.values.length > 1
    ? [`Row ${row + 1}, ${column.name.en}`, `Række ${row + 1}, ${column.name.da}`]
    : [capitalize(column.name.en), capitalize(column.name.da)];
  return { en: `${en}: ${shown(value, 'en')} is negative; it must be 0 or more`, da: `${da}: ${shown(value, 'da')} er negativ; den skal være 0 eller mere` };
}

function recencyAfterAgeText(history: History, row: number): Localized {
  const [tx, T] = [history.recency.values[row], history.age.values[row]];
  const en = `recency ${shown(tx, 'en')} is greater than age ${shown(T, 'en')}; recency is the age at the last purchase, so at most the age`;
  const da = `seneste køb ${shown(tx, 'da')} er større end alder ${shown(T, 'da')}; seneste køb er alderen ved det sidste køb og højst alderen`;
  if (history.age.values.length > 1) return { en: `Row ${row + 1}: ${en}`, da: `Række ${row + 1}: ${da}` };
  return { en: capitalize(en), da: capitalize(da) };
}

/**
 * How a row takes part: 'blank' when a cell is blank (the row is left out), the problem when a
 * cell cannot be read, is negative, or recency exceeds age; undefined when the row can be used.
 */
function checkRow(columns: readonly NumberColumn[], row: number, history?: History): Localized | 'blank' | undefined {
  for (const column of columns) {
    const cell = column.unreadable[row];
    if (cell !== undefined) return unreadableText(column, row, cell);
  }
  if (columns.some((column) => Number.isNaN(column.values[row]))) return 'blank';
  const negative = columns.find((column) => column.values[row] < 0);
  if (negative) return negativeText(negative, row);
  if (history && history.recency.values[row] > history.age.values[row]) return recencyAfterAgeText(history, row);
  return undefined;
}

/**
 * The rows a fit uses: every row without a blank cell. Any other problem fails the call with a
 * message naming the row, because a fit spills one row of parameters and has no row to show it in,
 * and leaving the row out quietly would change the parameters without a word.
 */
function fitRows(columns: readonly NumberColumn[], history?: History): number[] {
  const rows: number[] = [];
  for (let row = 0; row < columns[0].values.length; row++) {
    const check = checkRow(columns, row, history);
    if (check === 'blank') continue;
    if (check !== undefined) {
      throw new FunctionInputError('invalidValue', {
        en: `${check.en}. The fit leaves out blank rows only: correct or clear this one.`,
        da: `${check.da}. Estimeringen udelader kun tomme rækker: ret eller ryd denne.`,
      });
    }
    rows.push(row);
  }
  return rows;
}

/** The values of the rows a fit uses, in order. */
function pick(column: NumberColumn, rows: readonly number[]): Float64Array {
  return Float64Array.from(rows, (row) => column.values[row]);
}

/**
 * One prediction per row: "" where a cell is blank, a #VALUE! naming the row where one is wrong,
 * else `predict(row)`.
 */
function predictionCells(columns: readonly NumberColumn[], history: History | undefined, outcome: Localized, predict: (row: number) => ResultCell): ResultCell[][] {
  const cells = Array.from({ length: columns[0].values.length }, (_, row): ResultCell => {
    const check = checkRow(columns, row, history);
    if (check === 'blank') return '';
    if (check !== undefined) return { kind: 'invalidValue', text: { en: `${check.en}; this row gets ${outcome.en}.`, da: `${check.da}; rækken får ${outcome.da}.` } };
    return predict(row);
  });
  return asColumn(cells);
}

/** The parameter row a fit function spills, as its predictions read it back. */
interface ParameterRow {
  functionName: 'BGNBD' | 'GAMMAGAMMA';
  names: readonly string[];
  /** A cell the fit spills after the parameters, which the predictions accept and do not need. */
  trailing?: Localized;
}

const BGNBD_ROW: ParameterRow = { functionName: 'BGNBD', names: ['r', 'alpha', 'a', 'b'], trailing: { en: 'the log-likelihood', da: 'log-likelihood' } };
const GAMMAGAMMA_ROW: ParameterRow = { functionName: 'GAMMAGAMMA', names: ['p', 'q', 'gamma'] };

function wrongShape(expected: ParameterRow, rows: number, columns: number): FunctionInputError {
  const count = expected.names.length;
  const listed = (and: string, trailing?: string) => `${expected.names.slice(0, trailing ? count : -1).join(', ')} ${and} ${trailing ?? expected.names[count - 1]}`;
  const cells = expected.trailing ? `${count} or ${count + 1} cells` : `${count} cells`;
  const celler = expected.trailing ? `${count} eller ${count + 1} celler` : `${count} celler`;
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return new FunctionInputError('invalidValue', {
    en: `The params must be the row SEGMENT.${expected.functionName} spills, ${listed('and', expected.trailing?.en)}: 1 row of ${cells}, not ${plural(rows, 'row', 'rows')} of ${plural(columns, 'cell', 'cells')}.`,
    da: `Parametrene skal være rækken SEGMENT.${expected.functionName} giver, ${listed('og', expected.trailing?.da)}: 1 række med ${celler}, ikke ${plural(rows, 'række', 'rækker')} med ${plural(columns, 'celle', 'celler')}.`,
  });
}

function positiveParameter(raw: unknown, name: string): number {
  const cell = readCell(raw);
  const value = cell.issue ? undefined : parseNumber(cell.value, null);
  if (value !== undefined && value > 0 && Number.isFinite(value)) return value;
  const text = cellText(cell.value);
  throw new FunctionInputError('invalidValue', {
    en: `The params: ${name} must be a positive number, not ${text === '' ? 'blank' : `"${text}"`}.`,
    da: `Parametrene: ${name} skal være et positivt tal, ikke ${text === '' ? 'tom' : `"${text}"`}.`,
  });
}

/** Reads the parameter row a fit function spilled; the wrong shape or a parameter that is not positive is a #VALUE!. */
function readParameterRow(matrix: ExcelMatrix, expected: ParameterRow): number[] {
  const rows = Array.isArray(matrix) ? matrix.length : 0;
  const columns = rows > 0 && Array.isArray(matrix[0]) ? matrix[0].length : 0;
  const count = expected.names.length;
  if (rows !== 1 || !(columns === count || (expected.trailing && columns === count + 1))) throw wrongShape(expected, rows, columns);
  return expected.names.map((name, i) => positiveParameter(matrix[0][i], name));
}

function readBgNbdParams(matrix: ExcelMatrix): BgNbdParams {
  const [r, alpha, a, b] = readParameterRow(matrix, BGNBD_ROW);
  return { r, alpha, a, b };
}

function readGammaGammaParams(matrix: ExcelMatrix): GammaGammaParams {
  const [p, q, gamma] = readParameterRow(matrix, GAMMAGAMMA_ROW);
  return { p, q, gamma };
}

/** Runs a fit; too few repeat buyers becomes the #VALUE! that says how many there were. */
function estimate<T>(runFit: () => T): T {
  try {
    return runFit();
  } catch (error) {
    if (error instanceof LifetimeEstimationError) throw new FunctionInputError('invalidValue', error.text);
    throw error;
  }
}

/**
 * A fit the data drove to a boundary (a parameter at 0 or infinity, as the clv model refuses too)
 * is no estimate: a #VALUE! naming the parameters, never numbers that look like one.
 */
function requireMaximum(model: 'BG/NBD' | 'Gamma-Gamma', params: object, logLikelihood: number): void {
  const values = Object.entries(params as Record<string, number>);
  const off = values.filter(([, value]) => !(Number.isFinite(value) && value > 1e-8 && value < 1e8));
  if (off.length === 0 && Number.isFinite(logLikelihood)) return;
  const listed = (off.length ? off : values).map(([key, value]) => `${key} ${value.toPrecision(3)}`).join(', ');
  throw new FunctionInputError('invalidValue', {
    en: `${model} found no maximum of the likelihood on these rows (the parameters ran off to ${listed}), so it gives no parameters.`,
    da: `${model} fandt intet maksimum for likelihood på disse rækker (parametrene løb mod ${listed}), så der gives ingen parametre.`,
  });
}

/**
 * SEGMENT.BGNBD: fits BG/NBD (Fader, Hardie & Lee 2005) by maximum likelihood on frequency
 * (repeat purchases x), recency (t_x, age at the last purchase) and age (T), all in one time unit
 * the user chooses; α is in that unit. Returns one row: [r, α, a, b, log-likelihood]. Rows with a
 * blank cell are left out; any other bad row, or fewer than 20 repeat buyers ("cannot be estimated
 * from N repeat buyers"), is a #VALUE! for the whole call.
 */
export function bgnbdCells(frequency: ExcelMatrix, recency: ExcelMatrix, age: ExcelMatrix): number[][] {
  const history = readHistory(frequency, recency, age);
  const rows = fitRows([history.frequency, history.recency, history.age], history);
  const fit = estimate(() => fitBgNbd({ x: pick(history.frequency, rows), tx: pick(history.recency, rows), T: pick(history.age, rows) }));
  requireMaximum('BG/NBD', fit.params, fit.logLikelihood);
  const { r, alpha, a, b } = fit.params;
  return [[r, alpha, a, b, fit.logLikelihood]];
}

/**
 * SEGMENT.PALIVE: P(alive | x, t_x, T) per row (bgnbdPAlive) under the parameters SEGMENT.BGNBD
 * spilled (1 × 4 or 1 × 5); 1 for a customer with no repeat purchase, by construction of BG/NBD.
 */
export function pAliveCells(frequency: ExcelMatrix, recency: ExcelMatrix, age: ExcelMatrix, params: ExcelMatrix): ResultCell[][] {
  const history = readHistory(frequency, recency, age);
  const fitted = readBgNbdParams(params);
  const [x, tx, T] = [history.frequency.values, history.recency.values, history.age.values];
  return predictionCells([history.frequency, history.recency, history.age], history, PREDICTION.pAlive, (i) => bgnbdPAlive(fitted, x[i], tx[i], T[i]));
}

/**
 * SEGMENT.PURCHASES: E[Y(t) | x, t_x, T] per row (bgnbdConditionalExpected), the purchases
 * expected in the next `horizon` time units (the unit of recency and age) under the parameters
 * SEGMENT.BGNBD spilled. A horizon that is left out or negative is a #VALUE!.
 */
export function purchasesCells(horizon: unknown, frequency: ExcelMatrix, recency: ExcelMatrix, age: ExcelMatrix, params: ExcelMatrix): ResultCell[][] {
  const t = readOptionalNumber(horizon, NAMES.periods);
  if (t === undefined || t < 0) {
    throw new FunctionInputError('invalidValue', {
      en: `The horizon must be 0 or more time units, in the unit of recency and age${t === undefined ? '' : `, not ${shown(t, 'en')}`}.`,
      da: `Horisonten skal være 0 eller flere tidsenheder, i enheden for seneste køb og alder${t === undefined ? '' : `, ikke ${shown(t, 'da')}`}.`,
    });
  }
  const history = readHistory(frequency, recency, age);
  const fitted = readBgNbdParams(params);
  const [x, tx, T] = [history.frequency.values, history.recency.values, history.age.values];
  return predictionCells([history.frequency, history.recency, history.age], history, PREDICTION.purchases, (i) => bgnbdConditionalExpected(fitted, t, x[i], tx[i], T[i]));
}

/**
 * SEGMENT.GAMMAGAMMA: fits Gamma-Gamma spend per purchase (Fader, Hardie & Lee 2005; Hardie 2013)
 * on the repeat buyers (frequency ≥ 1 and spend > 0; spend = mean spend of the repeat purchases).
 * Returns one row: [p, q, γ]. Blank rows are left out; a bad row or fewer than 20 repeat buyers
 * is a #VALUE! for the whole call.
 */
export function gammaGammaCells(frequency: ExcelMatrix, spend: ExcelMatrix): number[][] {
  const columns = readColumns([[frequency, NAMES.frequency], [spend, NAMES.spend]]);
  const rows = fitRows(columns);
  const fit = estimate(() => fitGammaGamma(pick(columns[0], rows), pick(columns[1], rows)));
  requireMaximum('Gamma-Gamma', fit.params, fit.logLikelihood);
  const { p, q, gamma } = fit.params;
  return [[p, q, gamma]];
}

/**
 * SEGMENT.SPEND: E[M | x, z̄] per row (gammaGammaExpectedSpend) under the parameters
 * SEGMENT.GAMMAGAMMA spilled: the customer's mean spend shrunk toward the population mean, which
 * is what a customer without repeat purchases gets. That mean does not exist when q ≤ 1: then
 * such a row is a #VALUE! saying so.
 */
export function spendCells(frequency: ExcelMatrix, spend: ExcelMatrix, params: ExcelMatrix): ResultCell[][] {
  const columns = readColumns([[frequency, NAMES.frequency], [spend, NAMES.spend]]);
  const fitted = readGammaGammaParams(params);
  const [x, zbar] = [columns[0].values, columns[1].values];
  return predictionCells(columns, undefined, PREDICTION.spend, (i) => {
    const expected = gammaGammaExpectedSpend(fitted, x[i], zbar[i]);
    if (!Number.isNaN(expected)) return expected;
    return {
      kind: 'invalidValue',
      text: {
        en: `Row ${i + 1}: with no repeat spend the expected spend is the population mean, which does not exist when q is 1 or less (q is ${shown(fitted.q, 'en')}).`,
        da: `Række ${i + 1}: uden genkøbsbeløb er det forventede beløb gennemsnittet for alle, som ikke findes, når q er 1 eller mindre (q er ${shown(fitted.q, 'da')}).`,
      },
    };
  });
}
