import { afterEach, describe, expect, it } from 'vitest';
import { failure } from './support/excel-errors';
import { buildCustomerTable, DEFAULT_ORIGIN, defaultSettings, getModel, type CustomerTable } from '../src/engine';
import { bgnbdConditionalExpected, bgnbdPAlive, fitBgNbd } from '../src/engine/lifetime/bgnbd';
import { fitGammaGamma, gammaGammaExpectedSpend } from '../src/engine/lifetime/gamma-gamma';
import { simulateBgNbd } from '../src/engine/lifetime/simulate';
import { mulberry32 } from '../src/engine/random';
import { CDNOW_SUMMARY, cdnowSummary } from './support/cdnow';
import { nameWithData } from './support/public-data';

const { bgnbd, clv, expectedSpend, gammagamma, palive, purchases, rfm } = await import('../src/functions/functions');

type Cell = string | number | null;
const column = (values: ArrayLike<Cell>): Cell[][] => Array.from(values, (value) => [value]);
const shown = (result: unknown[][]) => result.map((row) => (typeof row[0] === 'object' && row[0] !== null ? (row[0] as CustomFunctions.Error).code : row[0]));

afterEach(() => {
  delete (globalThis as Record<string, unknown>).Office;
});

describe('SEGMENT.RFM', () => {
  // Last orders as Excel serials, analysis date 45823 (2025-06-15): recency 3, 10, 10, 40, 90, 200, 15, 365 days.
  const lastOrders = [45820, 45813, 45813, 45783, 45733, 45623, 45808, 45458];
  const orders = [12, 3, 3, 1, 6, 1, 2, 9];
  const revenue = [5000, 800, 900, 100, 2500, 60, 300, 4000];
  const recency = lastOrders.map((day) => 45823 - day);

  it('spills the segment the rfm model gives every row, for 5, 4 and 3 groups', () => {
    const table = buildCustomerTable(['Last order', 'Orders', 'Revenue'], lastOrders.map((day, i) => [day, orders[i], revenue[i]]));
    const model = getModel('rfm');
    for (const groups of [5, 4, 3]) {
      const result = model.run(table, { ...defaultSettings(model), asOf: 45823, groups: String(groups) });
      const expected = Array.from(result.tiers, (tier) => model.tiers[tier].id);
      expect(shown(rfm(column(recency), column(orders), column(revenue), groups))).toEqual(expected);
    }
    // Worked by hand with 5 groups and min-rank shares: recency 3 days scores R 5, 12 orders F 5: Champions;
    // 365 days scores R 1 with 9 orders, the second most, F 4: At risk; 200 days and one order: R 1, F 1: Lost.
    const segments = shown(rfm(column(recency), column(orders), column(revenue)));
    expect([segments[0], segments[7], segments[5]]).toEqual(['Champions', 'At risk', 'Lost']);
  });

  it('leaves a blank row empty, marks an unreadable one, and refuses other group counts', () => {
    const result = rfm(column([3, null, 10, 40]), column([2, 1, 'many', 1]), column([10, 20, 30, 40]));
    expect(shown(result).slice(1, 3)).toEqual(['', '#VALUE!']);
    expect((result[2][0] as CustomFunctions.Error).message).toBe('Row 3, frequency: "many" is not a number; this row gets no segment.');
    const error = failure(() => rfm(column([1, 2]), column([1, 2]), column([1, 2]), 6));
    expect(error.code).toBe('#VALUE!');
    expect(error.message).toBe('The number of score groups must be 3, 4 or 5, not 6.');
    expect(failure(() => rfm(column([1, 2]), column([1]), column([1, 2]))).message).toBe('Recency has 2 rows and frequency has 1: give ranges of the same length.');
  });
});

describe('SEGMENT.CLV', () => {
  // 400 customers drawn from CDNOW's published BG/NBD parameters, spend varying with the row.
  const drawn = simulateBgNbd({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 400, 7);
  const spend = Array.from(drawn.x, (x, i) => (x > 0 ? 15 + (i % 9) * 4 : 0));

  function engineClv(settings: Record<string, number>): number[] {
    const model = getModel('clv');
    const table: CustomerTable = {
      rowCount: drawn.x.length, headers: [], origin: DEFAULT_ORIGIN, mapping: {}, texts: {}, problems: [], cells: [],
      numbers: { repeatPurchases: drawn.x, recencyWeeks: drawn.tx, ageWeeks: drawn.T, meanRepeatSpend: Float64Array.from(spend) },
    };
    const result = model.run(table, { ...defaultSettings(model), ...settings });
    const metric = result.metrics!.find((candidate) => candidate.key === 'clv.value')!;
    return Array.from((metric as { values: Float64Array }).values);
  }

  it('spills the CLV the clv model computes for every row, with its defaults and with other settings', () => {
    const result = clv(column(drawn.x), column(drawn.tx), column(drawn.T), column(spend));
    expect(result.map((row) => row[0])).toEqual(engineClv({}));
    const changed = clv(column(drawn.x), column(drawn.tx), column(drawn.T), column(spend), 24, 0.05, 0.4);
    expect(changed.map((row) => row[0])).toEqual(engineClv({ horizonMonths: 24, discountRate: 0.05, marginShare: 0.4 }));
    expect((changed[0][0] as number) > 0).toBe(true);
  });

  it('says how many repeat buyers there were when there are too few to fit, in Danish too', () => {
    const few = [[0], [1], [0], [2]];
    const call = () => clv(few, [[0], [3], [0], [5]], [[10], [10], [10], [10]], [[0], [20], [0], [30]]);
    const error = failure(call);
    expect(error.code).toBe('#VALUE!');
    expect(error.message).toBe('BG/NBD cannot be estimated from 2 repeat buyers (it needs at least 20 customers with two or more purchase days).');
    (globalThis as Record<string, unknown>).Office = { context: { displayLanguage: 'da-DK' } };
    expect(failure(call).message).toBe('BG/NBD kan ikke estimeres ud fra 2 genkøbere (der skal mindst 20 kunder med køb på to eller flere dage til).');
  });

  it('refuses a margin share above 1', () => {
    expect(failure(() => clv(column(drawn.x), column(drawn.tx), column(drawn.T), column(spend), 12, 0.1, 40)).message)
      .toBe('The margin share must be from 0 to 1, not 40.');
  });
});

const round = (value: unknown, digits: number) => Math.round((value as number) * 10 ** digits) / 10 ** digits;
const message = (cell: unknown) => (cell as CustomFunctions.Error).message;

describe('SEGMENT.BGNBD, PALIVE and PURCHASES on CDNOW (Fader, Hardie & Lee 2005)', () => {
  it.skipIf(!CDNOW_SUMMARY.present)(nameWithData('spill the published fit, P(alive) and expected purchases', CDNOW_SUMMARY), () => {
    const rows = cdnowSummary();
    const [x, tx, T] = [column(rows.map((row) => row.x)), column(rows.map((row) => row.tx)), column(rows.map((row) => row.T))];
    const params = bgnbd(x, tx, T);
    expect(params.length).toBe(1);
    expect(params[0].map((value, i) => round(value, i < 4 ? 3 : 1))).toEqual([0.243, 4.414, 0.793, 2.426, -9582.4]);
    // Customer 1516 and the customer of the paper's worked example, each as single cells.
    expect(round(palive([[26]], [[30.86]], [[31.0]], params)[0][0], 4)).toBe(0.9689);
    expect(round(purchases(39, [[2]], [[30.43]], [[38.86]], params)[0][0], 3)).toBe(1.226);
    expect(round(purchases(52, [[26]], [[30.86]], [[31.0]], params)[0][0], 2)).toBe(25.76);
    // Over the whole column, and with the 1 × 4 row without the log-likelihood: the engine's values, row by row.
    const fitted = { r: params[0][0], alpha: params[0][1], a: params[0][2], b: params[0][3] };
    const rByRow = palive(x, tx, T, [params[0].slice(0, 4)]);
    expect(rByRow.map((row) => row[0])).toEqual(rows.map((row) => bgnbdPAlive(fitted, row.x, row.tx, row.T)));
    expect(purchases(39, x, tx, T, params).map((row) => row[0])).toEqual(rows.map((row) => bgnbdConditionalExpected(fitted, 39, row.x, row.tx, row.T)));
  });
});

describe('SEGMENT.GAMMAGAMMA and SPEND on CDNOW (Fader, Hardie & Lee 2005; Hardie 2013)', () => {
  it.skipIf(!CDNOW_SUMMARY.present)(nameWithData('spill p 6.25, q 3.74, γ 15.44 from the 946 repeat buyers and the expected spend of every row', CDNOW_SUMMARY), () => {
    const rows = cdnowSummary();
    const [x, zbar] = [column(rows.map((row) => row.x)), column(rows.map((row) => row.zbar))];
    const params = gammagamma(x, zbar);
    expect(params.length).toBe(1);
    expect(params[0].length).toBe(3);
    expect([round(params[0][0], 2), round(params[0][1], 2)]).toEqual([6.25, 3.74]);
    // Hardie's spreadsheet prints 15.44; the maximum is at 15.448: within 0.01.
    expect(Math.abs(params[0][2] - 15.44)).toBeLessThan(0.01);
    const fitted = { p: params[0][0], q: params[0][1], gamma: params[0][2] };
    expect(expectedSpend(x, zbar, params).map((row) => row[0])).toEqual(rows.map((row) => gammaGammaExpectedSpend(fitted, row.x, row.zbar)));
  });
});

describe('SEGMENT.BGNBD, PALIVE, PURCHASES, GAMMAGAMMA and SPEND on drawn customers', () => {
  // 600 customers drawn from CDNOW's published BG/NBD parameters; repeat buyers' mean spend drawn between 10 and 60.
  const drawn = simulateBgNbd({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 600, 11);
  const uniform = mulberry32(5);
  const spend = Array.from(drawn.x, (x) => (x > 0 ? Math.round((10 + 50 * uniform()) * 100) / 100 : 0));
  const [x, tx, T, zbar] = [column(drawn.x), column(drawn.tx), column(drawn.T), column(spend)];
  const withBlank = (cells: Cell[][]) => [...cells.slice(0, 3), [null], ...cells.slice(3)];

  it('spill the engine\'s fits as one row, leaving blank rows out', () => {
    const fit = fitBgNbd(drawn);
    const { r, alpha, a, b } = fit.params;
    expect(bgnbd(x, tx, T)).toEqual([[r, alpha, a, b, fit.logLikelihood]]);
    expect(bgnbd(withBlank(x), withBlank(tx), withBlank(T))).toEqual([[r, alpha, a, b, fit.logLikelihood]]);
    const spendFit = fitGammaGamma(drawn.x, spend);
    expect(spendFit.repeatBuyers).toBe(drawn.x.filter((count) => count > 0).length);
    expect(gammagamma(x, zbar)).toEqual([[spendFit.params.p, spendFit.params.q, spendFit.params.gamma]]);
    expect(gammagamma(withBlank(x), withBlank(zbar))).toEqual([[spendFit.params.p, spendFit.params.q, spendFit.params.gamma]]);
  });

  it('spill the engine\'s predictions row by row from the spilled parameters, empty where a cell is blank', () => {
    const params = bgnbd(x, tx, T);
    const fitted = { r: params[0][0], alpha: params[0][1], a: params[0][2], b: params[0][3] };
    const alive = palive(withBlank(x), withBlank(tx), withBlank(T), params).map((row) => row[0]);
    expect(alive[3]).toBe('');
    expect(alive.filter((_, i) => i !== 3)).toEqual(Array.from(drawn.x, (count, i) => bgnbdPAlive(fitted, count, drawn.tx[i], drawn.T[i])));
    expect(alive.filter((_, i) => i !== 3 && drawn.x[i > 3 ? i - 1 : i] === 0).every((value) => value === 1)).toBe(true);
    const ahead = purchases(26, x, tx, T, params).map((row) => row[0]);
    expect(ahead).toEqual(Array.from(drawn.x, (count, i) => bgnbdConditionalExpected(fitted, 26, count, drawn.tx[i], drawn.T[i])));
    expect(purchases(0, x, tx, T, params).every((row) => row[0] === 0)).toBe(true);
    const spendParams = gammagamma(x, zbar);
    const spendFitted = { p: spendParams[0][0], q: spendParams[0][1], gamma: spendParams[0][2] };
    const expected = expectedSpend(x, zbar, spendParams).map((row) => row[0]);
    expect(expected).toEqual(spend.map((mean, i) => gammaGammaExpectedSpend(spendFitted, drawn.x[i], mean)));
    // A one-time buyer gets the population mean pγ/(q − 1).
    const oneTime = spend.findIndex((_, i) => drawn.x[i] === 0);
    expect(expected[oneTime]).toBeCloseTo((spendFitted.p * spendFitted.gamma) / (spendFitted.q - 1), 12);
  });

  it('says how many repeat buyers there were when there are too few to fit, in English and Danish', () => {
    const few = { x: [[0], [1], [0], [2]], tx: [[0], [3], [0], [5]], T: [[10], [10], [10], [10]], zbar: [[0], [20], [0], [30]] };
    expect(failure(() => bgnbd(few.x, few.tx, few.T)).message)
      .toBe('BG/NBD cannot be estimated from 2 repeat buyers (it needs at least 20 customers with two or more purchase days).');
    expect(failure(() => gammagamma(few.x, few.zbar)).message)
      .toBe('Gamma-Gamma cannot be estimated from 2 repeat buyers (it needs at least 20 customers with two or more purchase days).');
    (globalThis as Record<string, unknown>).Office = { context: { displayLanguage: 'da-DK' } };
    const error = failure(() => bgnbd(few.x, few.tx, few.T));
    expect(error.code).toBe('#VALUE!');
    expect(error.message).toBe('BG/NBD kan ikke estimeres ud fra 2 genkøbere (der skal mindst 20 kunder med køb på to eller flere dage til).');
    expect(failure(() => gammagamma(few.x, few.zbar)).message)
      .toBe('Gamma-Gamma kan ikke estimeres ud fra 2 genkøbere (der skal mindst 20 kunder med køb på to eller flere dage til).');
  });

  it('refuses params of the wrong shape or with a parameter that is not positive', () => {
    const params = bgnbd(x, tx, T);
    expect(failure(() => palive(x, tx, T, [params[0].slice(0, 3)])).message)
      .toBe('The params must be the row SEGMENT.BGNBD spills, r, alpha, a, b and the log-likelihood: 1 row of 4 or 5 cells, not 1 row of 3 cells.');
    expect(failure(() => purchases(39, x, tx, T, params[0].map((value) => [value]))).message)
      .toBe('The params must be the row SEGMENT.BGNBD spills, r, alpha, a, b and the log-likelihood: 1 row of 4 or 5 cells, not 5 rows of 1 cell.');
    expect(failure(() => expectedSpend(x, zbar, [[6.25, 3.74, 15.44, 1]])).message)
      .toBe('The params must be the row SEGMENT.GAMMAGAMMA spills, p, q and gamma: 1 row of 3 cells, not 1 row of 4 cells.');
    expect(failure(() => palive(x, tx, T, [[0.243, -4.414, 0.793, 2.426]])).message).toBe('The params: alpha must be a positive number, not "-4.414".');
    expect(failure(() => palive(x, tx, T, [[0.243, 4.414, null, 2.426]])).message).toBe('The params: a must be a positive number, not blank.');
    (globalThis as Record<string, unknown>).Office = { context: { displayLanguage: 'da-DK' } };
    expect(failure(() => expectedSpend(x, zbar, [[6.25], [3.74], [15.44]])).message)
      .toBe('Parametrene skal være rækken SEGMENT.GAMMAGAMMA giver, p, q og gamma: 1 række med 3 celler, ikke 3 rækker med 1 celle.');
  });

  it('refuses ranges of different lengths and a horizon that is left out or negative', () => {
    const params = bgnbd(x, tx, T);
    expect(failure(() => bgnbd(x, tx.slice(1), T)).message).toBe('Frequency has 600 rows and recency has 599: give ranges of the same length.');
    expect(failure(() => palive(x, tx, T.slice(2), params)).message).toBe('Frequency has 600 rows and age has 598: give ranges of the same length.');
    expect(failure(() => expectedSpend(x, zbar.slice(1), [[6.25, 3.74, 15.44]])).message)
      .toBe('Frequency has 600 rows and mean repeat spend has 599: give ranges of the same length.');
    expect(failure(() => purchases(-3, x, tx, T, params)).message).toBe('The horizon must be 0 or more time units, in the unit of recency and age, not -3.');
    expect(failure(() => purchases(null, x, tx, T, params)).message).toBe('The horizon must be 0 or more time units, in the unit of recency and age.');
  });

  it('marks a negative value or recency after age in its row, and refuses it in a fit, naming the row', () => {
    const params = [[0.243, 4.414, 0.793, 2.426]];
    const rows = { x: [[2], [-1], [3], [1]], tx: [[5], [4], [12.5], [2]], T: [[10], [10], [10], [10]] };
    const alive = palive(rows.x, rows.tx, rows.T, params);
    expect(typeof alive[0][0]).toBe('number');
    expect(message(alive[1][0])).toBe('Row 2, frequency: -1 is negative; it must be 0 or more; this row gets no P(alive).');
    expect(message(alive[2][0])).toBe('Row 3: recency 12.5 is greater than age 10; recency is the age at the last purchase, so at most the age; this row gets no P(alive).');
    expect(alive[3][0]).toBe(bgnbdPAlive({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 1, 2, 10));
    expect(message(purchases(39, [[26]], [[31.5]], [[31]], params)[0][0]))
      .toBe('Recency 31.5 is greater than age 31; recency is the age at the last purchase, so at most the age; this row gets no expected purchases.');
    expect(message(expectedSpend([[2], [3]], [[20], [-5]], [[6.25, 3.74, 15.44]])[1][0]))
      .toBe('Row 2, mean repeat spend: -5 is negative; it must be 0 or more; this row gets no expected spend.');
    expect(failure(() => bgnbd(rows.x, rows.tx, rows.T)).message)
      .toBe('Row 2, frequency: -1 is negative; it must be 0 or more. The fit leaves out blank rows only: correct or clear this one.');
    expect(failure(() => bgnbd([[2], [3]], [[5], [12.5]], [[10], [10]])).message)
      .toBe('Row 2: recency 12.5 is greater than age 10; recency is the age at the last purchase, so at most the age. The fit leaves out blank rows only: correct or clear this one.');
    expect(failure(() => gammagamma([[2], [3]], [[20], ['mange']])).message)
      .toBe('Row 2, mean repeat spend: "mange" is not a number. The fit leaves out blank rows only: correct or clear this one.');
    (globalThis as Record<string, unknown>).Office = { context: { displayLanguage: 'da-DK' } };
    expect(message(palive(rows.x, rows.tx, rows.T, params)[2][0]))
      .toBe('Række 3: seneste køb 12,5 er større end alder 10; seneste køb er alderen ved det sidste køb og højst alderen; rækken får ingen P(i live).');
    expect(failure(() => bgnbd(rows.x, rows.tx, rows.T)).message)
      .toBe('Række 2, købshyppighed: -1 er negativ; den skal være 0 eller mere. Estimeringen udelader kun tomme rækker: ret eller ryd denne.');
  });

  it('gives no parameters when the likelihood has no maximum: every repeat buyer spending the same', () => {
    const error = failure(() => gammagamma(column(Array(40).fill(2)), column(Array(40).fill(25))));
    expect(error.code).toBe('#VALUE!');
    expect(error.message).toMatch(/^Gamma-Gamma found no maximum of the likelihood on these rows \(the parameters ran off to p \d\.\d\de\+\d+, q \d\.\d\de\+\d+\), so it gives no parameters\.$/);
  });
});
