import { DEFAULT_ORIGIN, getModel, type CustomerTable, type Localized } from '../engine';
import { LifetimeEstimationError } from '../engine/lifetime/errors';
import { rfmScores, type GroupCount } from '../engine/lifetime/rfm-scores';
import { DEFAULT_RFM_GRID, gridPosition } from '../engine/models/rfm';
import type { ResultCell } from './consultancy';
import { FunctionInputError } from './errors';
import { asColumn, readColumn, readOptionalNumber, type ExcelMatrix, type NumberColumn } from './matrix';
import { OUTCOME, requireSameLength, rowProblem } from './segments';

/**
 * The lifetime functions: SEGMENT.RFM and SEGMENT.CLV. Both score or fit the whole column, so
 * they take whole columns and spill one result per row; a single row has nothing to compare with.
 * They call the same engine code the rfm and clv models run, so a function and a model run on the
 * same data give the same result.
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
