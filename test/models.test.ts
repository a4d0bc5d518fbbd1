import { describe, expect, it } from 'vitest';
import {
  buildCustomerTable, cumulativeShares, defaultSettings, getModel, paretoCut, quantile, ranksDescending, resolveCut, segment, summarize,
  type ModelSettings, type RowMetric,
} from '../src/engine';

function tableOf(revenue: (number | string | null)[], potential?: (number | string | null)[]) {
  const headers = potential ? ['Omsætning', 'Potentiale'] : ['Omsætning'];
  const rows = revenue.map((value, i) => (potential ? [value, potential[i]] : [value]));
  return buildCustomerTable(headers, rows);
}

function numbers(metric: RowMetric): Float64Array {
  if (metric.format === 'text') throw new Error(`${metric.key} is a text metric`);
  return metric.values;
}

function segments(modelId: string, table: ReturnType<typeof tableOf>, settings?: ModelSettings) {
  const model = getModel(modelId);
  const result = model.run(table, settings ?? defaultSettings(model));
  return { labels: Array.from(result.tiers, (tier) => (tier < 0 ? '' : model.tiers[tier].id)), result };
}

describe('statistics', () => {
  it('takes the Pareto cut where the running sum first reaches the share', () => {
    // 500 + 300 = 800 = 0.8 × 1000, so the cut is 300; 950 needs 500 + 300 + 100 + 50.
    expect(paretoCut([100, 500, 50, 300, 50], 0.8)).toBe(300);
    expect(paretoCut([100, 500, 50, 300, 50], 0.95)).toBe(50);
    expect(paretoCut([100, 500, 50, 300, 50], 0.81)).toBe(100);
    expect(paretoCut([-5, 0, NaN], 0.8)).toBe(Infinity);
  });
  it('ignores zero, negative and missing values in the Pareto total', () => {
    expect(paretoCut([600, 400, -1000, 0, NaN], 0.6)).toBe(600);
  });
  it('interpolates quantiles as PERCENTILE.INC', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, NaN, 30, 20], 0.25)).toBe(15);
    expect(quantile([], 0.5)).toBeNaN();
  });
  it('ranks ties equally and shares cumulative totals', () => {
    expect(Array.from(ranksDescending([5, 9, 5, NaN, 1]))).toEqual([2, 1, 2, NaN, 4]);
    expect(Array.from(cumulativeShares([50, 30, 20, 0]))).toEqual([0.5, 0.8, 1, NaN]);
  });
  it('resolves every cut method', () => {
    expect(resolveCut([100, 500, 50, 300, 50], { method: 'pareto', level: 0.8 })).toBe(300);
    expect(resolveCut([1, 2, 3, 4, 5], { method: 'quantile', level: 0.5 })).toBe(3);
    expect(resolveCut([1, 2, 3], { method: 'value', level: 42 })).toBe(42);
  });
});

describe('pareto', () => {
  it('gives exact classes on a hand-worked fixture', () => {
    // Total 1000. A cut (80 %): 500 + 300 = 800 → 300. B cut (95 %): 800 + 100 = 900 < 950, + 50 = 950 → 50.
    const { labels, result } = segments('pareto', tableOf([100, 500, 50, 300, 50]));
    expect(labels).toEqual(['B', 'A', 'B', 'A', 'B']);
    expect(result.cuts.map((cut) => cut.value)).toEqual([300, 50]);
  });
  it('puts ties at a cut on the high side, whatever their order', () => {
    // Total 1000; A cut at 40 %: reached by the first 400, so every 400 is A; the B cut (95 %) needs
    // 400 + 400 + 100 + 100, so it is 100 and both 100s are B.
    const settings = { measure: 'revenue', aCut: { method: 'pareto', level: 0.4 }, bCut: { method: 'pareto', level: 0.95 } } as ModelSettings;
    expect(segments('pareto', tableOf([400, 100, 400, 100]), settings).labels).toEqual(['A', 'B', 'A', 'B']);
    expect(segments('pareto', tableOf([100, 400, 100, 400]), settings).labels).toEqual(['B', 'A', 'B', 'A']);
  });
  it('never puts zero or negative revenue above C, and gives missing no class', () => {
    const { labels } = segments('pareto', tableOf([900, 100, 0, -50, null, 'x']));
    // Positive total 1000: A cut 900 (90 % ≥ 80 %), B cut 100 (100 % ≥ 95 %).
    expect(labels).toEqual(['A', 'B', 'C', 'C', '', '']);
  });
  it('explains a class by the cut that decided it', () => {
    const { result } = segments('pareto', tableOf([1_250_000, 300_000, 50_000]));
    // Total 1,600,000: 1,250,000 is 78 % (< 80 %), with 300,000 it is 97 % (≥ 80 % and ≥ 95 %),
    // so both cuts are 300,000 and 50,000 is C.
    expect(result.cuts.map((cut) => cut.value)).toEqual([300_000, 300_000]);
    expect(result.explain(0).da).toBe('Omsætning 1.250.000 ≥ skæring 300.000');
    expect(result.explain(2).en).toBe('Revenue 50,000 < cut 300,000');
  });

  it('accepts quantile and absolute cuts', () => {
    const settings = { measure: 'revenue', aCut: { method: 'value', level: 250 }, bCut: { method: 'quantile', level: 0.5 } } as ModelSettings;
    // Median of 100, 200, 300, 400 is 250: 300 and 400 are A (≥ 250), nothing is B, the rest C.
    expect(segments('pareto', tableOf([100, 200, 300, 400]), settings).labels).toEqual(['C', 'C', 'A', 'A']);
  });
});

describe('abcd', () => {
  it('gives exact segments on a hand-worked fixture', () => {
    // Revenue total 1000 → cut 300 (500+300). Potential total 2000 → cut 400 (800+400+400 = 1600 = 80 %).
    const revenue = [500, 300, 100, 60, 40];
    const potential = [100, 800, 400, 300, 400];
    const { labels, result } = segments('abcd', tableOf(revenue, potential));
    expect(result.cuts.map((cut) => cut.value)).toEqual([300, 400]);
    expect(labels).toEqual(['C', 'A', 'B', 'D', 'B']);
    expect(Array.from(numbers(result.metrics[0]))).toEqual([5, 0.375, 0.25, 0.2, 0.1]);
  });
  it('handles boundary customers, potential below revenue, zero, negative and missing values', () => {
    const revenue = [300, 300, 0, -20, null, 400];
    const potential = [400, 399, 400, 500, 400, null];
    const settings = { revenueCut: { method: 'value', level: 300 }, potentialCut: { method: 'value', level: 400 } } as ModelSettings;
    const { labels, result } = segments('abcd', tableOf(revenue, potential), settings);
    expect(labels).toEqual(['A', 'C', 'B', 'B', '', '']);
    expect(numbers(result.metrics[0])[3]).toBe(-0.04);
  });
  it('explains every row against the cuts it used, in both languages', () => {
    const { result } = segments('abcd', tableOf([500, 300, null], [100, 800, 400]));
    // Revenue: 80 % of 800 (640) is reached at 300. Potential: 80 % of 1300 is 1040,
    // reached by 800 + 400, so the cut is 400.
    const reason = result.explain(0);
    expect({ en: reason.en, da: reason.da }).toEqual({
      en: 'Revenue 500 ≥ cut 300; potential 100 < cut 400',
      da: 'Omsætning 500 ≥ skæring 300; potentiale 100 < skæring 400',
    });
    expect(result.explain(2).en).toBe('Revenue is missing; potential 400 ≥ cut 400');
    expect(result.priorityWithinTier(1)).toBe(500);
  });

  it('reports which column it lacks', () => {
    expect(() => getModel('abcd').run(tableOf([1, 2]), defaultSettings(getModel('abcd')))).toThrow(/potential/);
  });
});

describe('segment and summarize', () => {
  it('adds up customers and revenue per segment, with a line for rows without one', () => {
    const table = tableOf([100, 500, 50, 300, 50, 'x']);
    const segmentation = segment(table, [{ id: 'pareto', settings: defaultSettings(getModel('pareto')) }]);
    const lines = summarize(table, getModel('pareto'), segmentation.results[0]);
    expect(lines.map((line) => [line.tierIndex, line.customers, line.revenue])).toEqual([[0, 2, 800], [1, 3, 200], [2, 0, 0], [-1, 1, 0]]);
    expect(lines[0].revenueShare).toBe(0.8);
  });
});
