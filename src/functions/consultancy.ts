import {
  cellText, cutSetting, DEFAULT_HOURLY_RATE, DEFAULT_ORIGIN, getModel, isHigh, marginTier, monthsBetween, numberSetting,
  minMax, parseDate, quadrantSegment, resolveCut, scoreRows, shareAsFraction, shareScale, sharesAsFractions, todaySerial, trueMargin, valueTierAfterPolicy,
  type CustomerTable, type FactorNode, type Localized, type ScoredLeaf,
} from '../engine';
import { FunctionInputError, type FunctionProblem } from './errors';
import {
  asColumn, capitalize, columnCells, readColumn, readDates, readNumbers, readOptionalNumber, toCellValue, type ExcelMatrix, type NumberColumn, type ReadColumn,
} from './matrix';
import {
  cutSpecOf, cutsRequired, OUTCOME, pairSegments, readColumnPair, requireCutOrder, requireSameLength, requireValidCuts, rowProblem, tierId, valueCut,
} from './segments';

/**
 * The consultancy functions: SEGMENT.MARGIN, QUADRANT, VALUE and SCORE. Like segments.ts, they
 * turn Excel matrices into the engine's own helpers and return plain data: a value, "" for a row
 * without one (a blank input is missing, never zero), or a problem to show as an error in that row.
 */

/** A result cell: a number or segment id, "" for a row without a result, or a problem to show as an error. */
export type ResultCell = string | number | FunctionProblem;

const NAMES = {
  revenueOrMargin: { en: 'revenue or margin', da: 'omsætning eller dækningsbidrag' },
  costOfGoods: { en: 'cost of goods', da: 'vareforbrug' },
  costToServe: { en: 'cost to serve', da: 'serviceomkostninger' },
  hours: { en: 'hours', da: 'timer' },
  hourlyRate: { en: 'the hourly rate', da: 'timeprisen' },
  shareOfWallet: { en: 'share of wallet', da: 'andel af køb' },
  satisfaction: { en: 'satisfaction', da: 'tilfredshed' },
  shareCut: { en: 'the share of wallet cut', da: 'skæringen for andel af køb' },
  satisfactionCut: { en: 'the satisfaction cut', da: 'skæringen for tilfredshed' },
  margin: { en: 'margin', da: 'dækningsbidrag' },
  since: { en: 'customer since', da: 'kunde siden' },
  daysLate: { en: 'days late', da: 'dage for sent' },
  goldCut: { en: 'the Gold cut', da: 'skæringen for guld' },
  silverCut: { en: 'the Silver cut', da: 'skæringen for sølv' },
  newMonths: { en: 'the months a customer counts as new', da: 'antal måneder, en kunde regnes som ny' },
  lateDays: { en: 'the days late allowed', da: 'antal dage for sent, der accepteres' },
  asOf: { en: 'the as-of date', da: 'datoen' },
  ratings: { en: 'the ratings', da: 'vurderingerne' },
  weights: { en: 'the weights', da: 'vægtene' },
  directions: { en: 'the directions', da: 'retningerne' },
} satisfies Record<string, Localized>;

/** A number out of range: #VALUE! rather than Excel's #NUM!, so the message saying what to change shows. */
function requireNotNegative(value: number, name: Localized): number {
  if (value >= 0) return value;
  throw new FunctionInputError('invalidValue', {
    en: `${capitalize(name.en)} must be 0 or more, not ${value}.`,
    da: `${capitalize(name.da)} skal være 0 eller mere, ikke ${value}.`,
  });
}

function isOmitted(argument: unknown): boolean {
  return argument === null || argument === undefined;
}

/** A literal typed into the formula ("" or 5) arrives as a scalar; a range as a matrix. */
function asMatrix(argument: unknown): ExcelMatrix {
  return Array.isArray(argument) ? (argument as ExcelMatrix) : [[argument]];
}

/**
 * An optional column: undefined when the argument is left out (Excel passes null), else read as
 * numbers and required to have as many rows as the main column.
 */
function optionalColumn(argument: unknown, name: Localized, main: NumberColumn, mainName: Localized): NumberColumn | undefined {
  if (isOmitted(argument)) return undefined;
  const column = readColumn(asMatrix(argument), name);
  requireSameLength(main.values, column.values, [mainName, name]);
  return column;
}

/** An optional column of dates (Excel serials), read as the engine reads a date column. */
function optionalDateColumn(argument: unknown, name: Localized, main: NumberColumn, mainName: Localized): ReadColumn | undefined {
  if (isOmitted(argument)) return undefined;
  const cells = columnCells(asMatrix(argument), name);
  requireSameLength(main.values, cells, [mainName, name]);
  return readDates(cells, name);
}

/** The one value of a scalar argument or of a one-cell range; anything larger is the caller's mistake. */
function singleValue(argument: unknown, name: Localized): unknown {
  if (!Array.isArray(argument)) return argument;
  if (argument.length === 1 && Array.isArray(argument[0]) && argument[0].length === 1) return argument[0][0];
  throw new FunctionInputError('invalidValue', { en: `Give ${name.en} as one cell or value.`, da: `Angiv ${name.da} som én celle eller værdi.` });
}

/**
 * SEGMENT.MARGIN: revenue (or a gross margin) less cost of goods, cost to serve and hours at the
 * hourly rate, row by row, with the engine's true-margin arithmetic. A blank in any column given
 * leaves that row "" (a missing cost is not a zero cost).
 */
export function marginCells(
  revenueOrMargin: ExcelMatrix, costOfGoods: unknown, costToServe: unknown, hours: unknown, hourlyRate: unknown,
): ResultCell[][] {
  const base = readColumn(revenueOrMargin, NAMES.revenueOrMargin);
  const goods = optionalColumn(costOfGoods, NAMES.costOfGoods, base, NAMES.revenueOrMargin);
  const serve = optionalColumn(costToServe, NAMES.costToServe, base, NAMES.revenueOrMargin);
  const time = optionalColumn(hours, NAMES.hours, base, NAMES.revenueOrMargin);
  const rate = requireNotNegative(readOptionalNumber(hourlyRate, NAMES.hourlyRate) ?? DEFAULT_HOURLY_RATE, NAMES.hourlyRate);
  // The columns as the engine's table would hold them: the base as revenue, so cost of goods is
  // subtracted when given (a margin column passed as the base simply comes without one).
  const table: CustomerTable = {
    rowCount: base.values.length, headers: [], origin: DEFAULT_ORIGIN, mapping: {}, texts: {}, problems: [], cells: [],
    numbers: { revenue: base.values, costOfGoods: goods?.values, costToServe: serve?.values, hours: time?.values },
  };
  const result = trueMargin(table, rate)!;
  const cells = Array.from(result.values, (value, i): ResultCell => {
    const problem = rowProblem([base, goods, serve, time], i, OUTCOME.margin);
    if (problem) return problem;
    return Number.isNaN(value) ? '' : value;
  });
  return asColumn(cells);
}

/** A share of wallet cut must be a share: 0 to 100 % (given as 0–1 or as percent points). */
function shareCutValue(given: number): number {
  const fraction = shareAsFraction(requireNotNegative(given, NAMES.shareCut));
  if (fraction <= 1) return fraction;
  throw new FunctionInputError('invalidValue', {
    en: `The share of wallet cut must be at most 100 %, not ${given}.`,
    da: `Skæringen for andel af køb må højst være 100 %, ikke ${given}.`,
  });
}

/**
 * SEGMENT.QUADRANT: share of wallet against satisfaction. Over whole columns the share is cut at
 * the model's default (50 %) or the given share, satisfaction at its median (ties kept together,
 * as the model cuts it) or the given value;
 * a single row needs both cuts. Shares written 0.35, 35 or "35 %" are all 35 %; whether bare
 * numbers are fractions or percent points is decided once for the column (80 and 1 are 80 % and 1 %).
 */
export function quadrantCells(shareOfWallet: ExcelMatrix, satisfaction: ExcelMatrix, shareCut: unknown, satisfactionCut: unknown): ResultCell[][] {
  const model = getModel('quadrant');
  const pair = readColumnPair(
    model, [shareOfWallet, NAMES.shareOfWallet], [satisfaction, NAMES.satisfaction],
    [[shareCut, NAMES.shareCut], [satisfactionCut, NAMES.satisfactionCut]],
  );
  const shares = sharesAsFractions(pair.first.values, shareScale(pair.first.values, columnCells(shareOfWallet, NAMES.shareOfWallet).map(toCellValue)));
  const shareSpec = pair.cuts[0] === undefined ? cutSetting(model.defaults, 'shareCut') : valueCut(shareCutValue(pair.cuts[0]));
  // As the model does: a share cut typed as percent points (50) means 50 %, as the column's values do.
  const shareCutAt = shareSpec.method === 'value' ? shareAsFraction(shareSpec.level) : resolveCut(shares, shareSpec);
  const satisfactionSpec = cutSpecOf(model, 'satisfactionCut', pair.cuts[1]);
  const satisfactionCutAt = resolveCut(pair.second.values, satisfactionSpec);
  return pairSegments(model, pair, shares, (share, rating) => quadrantSegment(isHigh(share, shareCutAt, shareSpec), isHigh(rating, satisfactionCutAt, satisfactionSpec)));
}

/** The as-of day: blank or 0 is today (as the model's setting), else an Excel serial or a date text. */
function asOfSerial(argument: unknown): number {
  const value = toCellValue(singleValue(argument, NAMES.asOf));
  if (value === null || value === 0 || (typeof value === 'string' && value.trim() === '')) return todaySerial();
  const parsed = parseDate(value);
  if (parsed === undefined || Number.isNaN(parsed)) {
    throw new FunctionInputError('invalidValue', {
      en: `The as-of date must be a date (an Excel date or text such as 2025-01-31), not "${cellText(value)}".`,
      da: `Datoen skal være en dato (en Excel-dato eller tekst som 31-01-2025), ikke "${cellText(value)}".`,
    });
  }
  return parsed;
}

/**
 * SEGMENT.VALUETIER: Gold / Silver / Bronze / Loss by margin, then the new-customer rule (at least
 * Silver while younger than newMonths whole months). Days late are read and checked, but the
 * late-payer rule only caps the discount, so it never changes the tier.
 */
export function valueCells(
  margin: ExcelMatrix, since: unknown, daysLate: unknown, goldCut: unknown, silverCut: unknown,
  newMonths: unknown, lateDays: unknown, asOf: unknown,
): ResultCell[][] {
  const model = getModel('value');
  const marginColumn = readColumn(margin, NAMES.margin);
  const sinceColumn = optionalDateColumn(since, NAMES.since, marginColumn, NAMES.margin);
  const lateColumn = optionalColumn(daysLate, NAMES.daysLate, marginColumn, NAMES.margin);
  const givenGoldCut = readOptionalNumber(goldCut, NAMES.goldCut);
  const givenSilverCut = readOptionalNumber(silverCut, NAMES.silverCut);
  if (marginColumn.values.length === 1 && (givenGoldCut === undefined || givenSilverCut === undefined)) {
    throw cutsRequired(model.functionName, [NAMES.goldCut, NAMES.silverCut]);
  }
  const months = requireNotNegative(readOptionalNumber(newMonths, NAMES.newMonths) ?? numberSetting(model.defaults, 'newMonths'), NAMES.newMonths);
  // Checked like every argument, though the tier does not depend on it (see above).
  requireNotNegative(readOptionalNumber(lateDays, NAMES.lateDays) ?? numberSetting(model.defaults, 'lateDays'), NAMES.lateDays);
  const day = asOfSerial(asOf);
  const goldSpec = cutSpecOf(model, 'goldCut', givenGoldCut);
  const silverSpec = cutSpecOf(model, 'silverCut', givenSilverCut);
  requireValidCuts(model, { goldCut: goldSpec, silverCut: silverSpec });
  const goldCutAt = resolveCut(marginColumn.values, goldSpec);
  const silverCutAt = resolveCut(marginColumn.values, silverSpec);
  requireCutOrder(model, [{ key: 'goldCut', value: goldCutAt }, { key: 'silverCut', value: silverCutAt }]);
  const cells = Array.from(marginColumn.values, (value, i): ResultCell => {
    const problem = rowProblem([marginColumn, lateColumn, sinceColumn], i, OUTCOME.segment);
    if (problem) return problem;
    const tier = marginTier(value, isHigh(value, goldCutAt, goldSpec), isHigh(value, silverCutAt, silverSpec));
    if (tier < 0) return '';
    const start = sinceColumn ? sinceColumn.values[i] : NaN;
    const isNew = !Number.isNaN(start) && monthsBetween(start, day) < months;
    return tierId(model, valueTierAfterPolicy(tier, isNew));
  });
  return asColumn(cells);
}

const DIRECTION_WORDS: Record<string, 'higher' | 'lower'> = {
  higher: 'higher', 'højere': 'higher', hojere: 'higher', '1': 'higher', '+1': 'higher',
  lower: 'lower', lavere: 'lower', '-1': 'lower', '−1': 'lower',
};

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The cells of a one-row (or one-column) range, for arguments with one value per rating column. */
function lineCells(argument: unknown, name: Localized): unknown[] {
  const matrix = asMatrix(argument);
  if (matrix.length === 0 || matrix.some((row) => !Array.isArray(row))) {
    throw new FunctionInputError('invalidValue', { en: `Give ${name.en} as a row of cells.`, da: `Angiv ${name.da} som en række af celler.` });
  }
  if (matrix.length > 1 && matrix[0].length > 1) {
    throw new FunctionInputError('invalidValue', {
      en: `Give ${name.en} as one row of cells (the range has ${plural(matrix.length, 'row', 'rows')} and ${plural(matrix[0].length, 'column', 'columns')}).`,
      da: `Angiv ${name.da} som én række af celler (området har ${plural(matrix.length, 'række', 'rækker')} og ${plural(matrix[0].length, 'kolonne', 'kolonner')}).`,
    });
  }
  return matrix.flat();
}

function requireOnePerColumn(cells: readonly unknown[], columns: number, name: Localized, item: Localized): void {
  if (cells.length === columns) return;
  throw new FunctionInputError('invalidValue', {
    en: `The ratings have ${plural(columns, 'column', 'columns')} but ${name.en} have ${plural(cells.length, 'cell', 'cells')}: give one ${item.en} per rating column.`,
    da: `Vurderingerne har ${plural(columns, 'kolonne', 'kolonner')}, men ${name.da} har ${plural(cells.length, 'celle', 'celler')}: angiv én ${item.da} pr. kolonne med vurderinger.`,
  });
}

/** The weights, normalized to sum 1: each a number, none negative, not all zero. */
function readWeights(argument: unknown, columns: number): number[] {
  const cells = lineCells(argument, NAMES.weights);
  requireOnePerColumn(cells, columns, NAMES.weights, { en: 'weight', da: 'vægt' });
  const read = readNumbers(cells, NAMES.weights);
  const weights = Array.from(read.values, (weight, i) => {
    if (Number.isNaN(weight)) {
      const text = read.unreadable[i]?.text ?? '';
      throw new FunctionInputError('invalidValue', {
        en: `Weight ${i + 1} must be a number, not "${text}": give a weight for every rating column.`,
        da: `Vægt ${i + 1} skal være et tal, ikke "${text}": angiv en vægt for hver kolonne med vurderinger.`,
      });
    }
    if (weight < 0) {
      throw new FunctionInputError('invalidValue', {
        en: `Weight ${i + 1} is ${weight}: weights must be 0 or more.`,
        da: `Vægt ${i + 1} er ${weight}: vægte skal være 0 eller mere.`,
      });
    }
    return weight;
  });
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (!(total > 0)) {
    throw new FunctionInputError('invalidValue', {
      en: 'The weights add up to 0: give at least one weight above 0.',
      da: 'Vægtene summer til 0: angiv mindst én vægt over 0.',
    });
  }
  return weights.map((weight) => weight / total);
}

/** "higher"/"lower" (also Danish, and 1/-1) per rating column; all higher when left out, a blank cell too. */
function readDirections(argument: unknown, columns: number): ('higher' | 'lower')[] {
  if (isOmitted(argument)) return new Array(columns).fill('higher');
  const cells = lineCells(argument, NAMES.directions);
  requireOnePerColumn(cells, columns, NAMES.directions, { en: 'direction', da: 'retning' });
  return cells.map((cell) => {
    const word = cellText(toCellValue(cell)).trim().toLocaleLowerCase('da');
    if (word === '') return 'higher';
    const found = DIRECTION_WORDS[word];
    if (found) return found;
    throw new FunctionInputError('invalidValue', {
      en: `Unknown direction "${cellText(toCellValue(cell))}": use "higher" or "lower" (or 1 and -1).`,
      da: `Ukendt retning "${cellText(toCellValue(cell))}": brug "højere" eller "lavere" (eller 1 og -1).`,
    });
  });
}

/**
 * SEGMENT.SCORE: a 0–100 score per row from rating columns. Each column is normalized over its
 * own min–max (turned round where lower is better) and weighted, as the engine scores a flat
 * factor tree. A row with a blank rating gets "" (no guess); a column of weight 0 is left out.
 */
export function scoreCells(ratings: ExcelMatrix, weights: unknown, directions: unknown): ResultCell[][] {
  const matrix = asMatrix(ratings);
  if (matrix.length === 0 || !Array.isArray(matrix[0]) || matrix[0].length === 0) {
    throw new FunctionInputError('invalidValue', {
      en: 'Give the ratings as a range: one row per customer, one column per factor.',
      da: 'Angiv vurderingerne som et område: én række pr. kunde, én kolonne pr. faktor.',
    });
  }
  const columns = matrix[0].length;
  const shares = readWeights(weights, columns);
  const turned = readDirections(directions, columns);
  if (matrix.length === 1) {
    // Min–max over one row puts every rating in the middle: a score of 50 that says nothing.
    throw new FunctionInputError('invalidValue', {
      en: 'SEGMENT.SCORE compares customers: give the ratings of all customers (one row each), not a single row.',
      da: 'SEGMENT.SCORE sammenligner kunder: angiv alle kunders vurderinger (én række hver), ikke en enkelt række.',
    });
  }
  const counted = shares.map((share, j) => ({ share, j })).filter(({ share }) => share > 0);
  const read = counted.map(({ j }) => readNumbers(matrix.map((row) => row[j]), { en: `rating column ${j + 1}`, da: `vurderingskolonne ${j + 1}` }));
  const leaves: ScoredLeaf[] = counted.map(({ share, j }, index) => {
    const values = read[index].values;
    const [low, high] = minMax(values);
    const name = `${j + 1}`;
    const node: FactorNode = { id: name, name, weight: share, source: `column:${name}`, direction: turned[j], scale: 'minmax' };
    return { node, path: [node], weight: share, values, scale: 'minmax', low, high };
  });
  const scores = scoreRows(matrix.length, leaves);
  const cells = Array.from(scores, (score, i): ResultCell => {
    const problem = rowProblem(read, i, OUTCOME.score);
    if (problem) return problem;
    return Number.isNaN(score) ? '' : score;
  });
  return asColumn(cells);
}
