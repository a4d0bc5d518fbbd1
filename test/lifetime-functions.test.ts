import { afterEach, describe, expect, it } from 'vitest';
import { failure } from './support/excel-errors';
import { buildCustomerTable, DEFAULT_ORIGIN, defaultSettings, getModel, type CustomerTable } from '../src/engine';
import { simulateBgNbd } from '../src/engine/lifetime/simulate';

const { clv, rfm } = await import('../src/functions/functions');

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
