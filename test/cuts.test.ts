import { describe, expect, it } from 'vitest';
import {
  buildCustomerTable, CATALOG, cutAt, cutOrderProblems, defaultSettings, getModel, InvalidSettingsError, localizedErrorText, NoModelCanRunError,
  quantileSplit, resolveCut, segment, settingsProblems, type CellValue, type CutSpec, type ModelSettings,
} from '../src/engine';
import { buildPlan } from '../src/workbook/plan';
import type { TableSnapshot } from '../src/workbook/port';
import { previewModels, settingProblems } from '../src/taskpane/state/session';

/** A customer table from columns by header (the headers choose the roles, as in a workbook). */
function tableOf(columns: Record<string, CellValue[]>) {
  const headers = Object.keys(columns);
  const rows = columns[headers[0]].map((_, i) => headers.map((header) => columns[header][i]));
  return buildCustomerTable(headers, rows);
}

function labels(modelId: string, table: ReturnType<typeof tableOf>, settings: Partial<ModelSettings> = {}) {
  const model = getModel(modelId);
  const [result] = segment(table, [{ id: modelId, settings: { ...defaultSettings(model), ...settings } as ModelSettings }]).results;
  return { labels: Array.from(result.tiers, (tier) => (tier < 0 ? '' : model.tiers[tier].id)), result };
}

const quantile = (level: number): CutSpec => ({ method: 'quantile', level });

/** Thrown by `call`, with its sentence in both languages. */
function refusal(call: () => unknown): { error: unknown; en?: string; da?: string } {
  try {
    call();
  } catch (error) {
    return { error, en: localizedErrorText(error, 'en'), da: localizedErrorText(error, 'da') };
  }
  throw new Error('expected a refusal');
}

describe('quantile cuts with ties kept together', () => {
  it('keeps the zeros of Revenue 0, 0, 5 below the median cut: zeros low, 5 high', () => {
    // 0.5 × 3 = 1.5 values below; the only split between two distinct values has 2 below.
    const { labels: abcd, result } = labels('abcd', tableOf({ Omsætning: [0, 0, 5], Potentiale: [10, 20, 30] }), { revenueCut: quantile(0.5) });
    // Potential cut at Pareto 80 %: 30 + 20 = 50 ≥ 48, so 20.
    expect(abcd).toEqual(['D', 'B', 'A']);
    expect(result.cuts[0]).toEqual({
      key: 'revenueCut', label: { en: 'Revenue cut', da: 'Skæring for omsætning' }, spec: quantile(0.5), value: 5,
      tie: {
        en: 'The median falls inside 2 tied values of 0; they are kept together, so 2 of 3 customers (66.7 %) are below the cut, not 50 %.',
        da: 'Medianen falder inden for 2 ens værdier på 0; de holdes samlet, så 2 af 3 kunder (66,7 %) er under skæringen, ikke 50 %.',
      },
    });
    expect(result.explain(0).en).toBe('Revenue 0 < cut 5 (the median falls inside 2 tied values of 0; they are kept together, so 2 of 3 customers (66.7 %) are below the cut, not 50 %); potential 10 < cut 20');
    expect(result.explain(2).en).toBe('Revenue 5 ≥ cut 5; potential 30 ≥ cut 20');
    expect(result.explain(1).da).toBe('Omsætning 0 < skæring 5 (medianen falder inden for 2 ens værdier på 0; de holdes samlet, så 2 af 3 kunder (66,7 %) er under skæringen, ikke 50 %); potentiale 20 ≥ skæring 20');
  });

  it('puts the 1s of Satisfaction 1, 1, 1, 5, 4 below the default median cut, so Fix and Move have customers', () => {
    // 0.5 × 5 = 2.5 below: inside the three 1s; kept together, 3 below (0.5 from 2.5) beats none.
    const table = tableOf({ 'Share of wallet': [0.8, 0.2, 0.6, 0.7, 0.3], Tilfredshed: [1, 1, 1, 5, 4] });
    const { labels: quadrant, result } = labels('quadrant', table);
    expect(quadrant).toEqual(['Fix', 'Move', 'Fix', 'Model', 'Grow']);
    expect(result.cuts[1].value).toBe(4);
    expect(result.cuts[1].tie).toEqual({
      en: 'The median falls inside 3 tied values of 1; they are kept together, so 3 of 5 customers (60 %) are below the cut, not 50 %.',
      da: 'Medianen falder inden for 3 ens værdier på 1; de holdes samlet, så 3 af 5 kunder (60 %) er under skæringen, ikke 50 %.',
    });
    expect(result.explain(1).en).toBe('Share of wallet 20 % < cut 50 %; satisfaction 1 < cut 4 (the median falls inside 3 tied values of 1; they are kept together, so 3 of 5 customers (60 %) are below the cut, not 50 %)');
    // A row outside the tie has no note.
    expect(result.explain(4).en).toBe('Share of wallet 30 % < cut 50 %; satisfaction 4 ≥ cut 4');
    // The share cut is a value cut: never a tie note.
    expect(result.cuts[0].tie).toBeUndefined();
  });

  it('takes the split nearest q × n; of two as near, the lower cut (the middle value of an odd count is high)', () => {
    // 1…5 at the median: 2 or 3 below are as near 2.5; 2 below, so the cut is 3, as PERCENTILE.INC's median.
    expect(quantileSplit([5, 1, 4, 2, 3], 0.5)).toEqual({ value: 3, count: 5, below: 2 });
    // 1…4 at the median: exactly 2 below, cut 3 (the smallest high value, not PERCENTILE.INC's 2.5).
    expect(resolveCut([1, 2, 3, 4], quantile(0.5))).toBe(3);
    // 10 values at 0.9: 9 below, cut 10; at 0.25: 2.5 below, 2 wins, cut 3.
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(resolveCut(ten, quantile(0.9))).toBe(10);
    expect(resolveCut(ten, quantile(0.25))).toBe(3);
    // Level 1 still leaves the largest values high; missing values do not count.
    expect(quantileSplit([3, NaN, 1, 2, 3], 1)).toEqual({ value: 3, count: 4, below: 2, tie: { value: 3, count: 2 } });
    expect(quantileSplit([NaN], 0.5)).toEqual({ value: NaN, count: 0, below: 0 });
  });

  it('moves the split to the end of a tie that is nearer the share asked for', () => {
    // Sorted 1, 2, 2, 2, 2, 2, 3, 9 at 0.6: 4.8 below falls among the 2s (positions 2–6); 1 below
    // is 3.8 away, 6 below 1.2: the 2s go low, the cut is 3.
    const resolved = cutAt([2, 9, 2, 1, 2, 3, 2, 2], quantile(0.6));
    expect(resolved.value).toBe(3);
    expect(resolved.tie?.value).toBe(2);
    expect(resolved.tie?.count).toBe(5);
    expect(resolved.tie?.note.en).toBe('The 60 % quantile falls inside 5 tied values of 2; they are kept together, so 6 of 8 customers (75 %) are below the cut, not 60 %.');
    expect(resolved.tie?.note.da).toBe('60 %-kvantilen falder inden for 5 ens værdier på 2; de holdes samlet, så 6 af 8 kunder (75 %) er under skæringen, ikke 60 %.');
    // Counts are written with the language's digit grouping.
    const big = cutAt(Float64Array.from({ length: 2000 }, (_, i) => (i < 1500 ? 1 : 2)), quantile(0.5));
    expect([big.value, big.tie?.note.en, big.tie?.note.da]).toEqual([2,
      'The median falls inside 1,500 tied values of 1; they are kept together, so 1,500 of 2,000 customers (75 %) are below the cut, not 50 %.',
      'Medianen falder inden for 1.500 ens værdier på 1; de holdes samlet, så 1.500 af 2.000 kunder (75 %) er under skæringen, ikke 50 %.']);
    // No tie in the way: no note, even where the split is not exactly the share (2 of 5 = 40 %).
    expect(cutAt([1, 2, 3, 4, 5], quantile(0.5)).tie).toBeUndefined();
  });

  it('gives an all-equal column no split: all at or above the cut, and says so', () => {
    const resolved = cutAt([4, 4, 4, 4], quantile(0.5));
    expect(resolved.value).toBe(4);
    expect(resolved.tie?.note).toEqual({
      en: 'All 4 values are 4, so there is no split: all 4 customers are at or above the cut, none below (not 50 %).',
      da: 'Alle 4 værdier er 4, så der er intet skel: alle 4 kunder er på eller over skæringen, ingen under (ikke 50 %).',
    });
    expect(labels('quadrant', tableOf({ SoW: [0.2, 0.8, 0.6], CSI: [3, 3, 3] })).labels).toEqual(['Grow', 'Model', 'Model']);
  });

  it('splits two distinct values between them at every level, however lopsided the counts', () => {
    for (const level of [0.01, 0.1, 0.5, 0.9, 1]) {
      expect(resolveCut([1, 2], quantile(level)), `${level}`).toBe(2);
      expect(resolveCut([1, 1, 1, 1, 1, 1, 1, 1, 1, 2], quantile(level)), `${level}`).toBe(2);
      expect(resolveCut([1, 2, 2, 2, 2, 2, 2, 2, 2, 2], quantile(level)), `${level}`).toBe(2);
    }
  });

  it('is the nearest allowed split on any column, whatever the row order', () => {
    // A small deterministic generator: columns of 1–30 values from 1–6, so ties are everywhere.
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 400; trial++) {
      const values = Array.from({ length: 1 + Math.floor(next() * 30) }, () => 1 + Math.floor(next() * 6));
      const level = [0.1, 0.25, 0.5, 0.6, 0.75, 0.9, 1][trial % 7];
      const cut = resolveCut(values, quantile(level));
      const sorted = [...values].sort((a, b) => a - b);
      const below = sorted.filter((value) => value < cut).length;
      const distinct = new Set(values).size;
      // The cut is a value of the column, the smallest of the high side.
      expect(values).toContain(cut);
      if (distinct >= 2) {
        expect(below, `${values} at ${level}`).toBeGreaterThan(0);
        expect(below).toBeLessThan(values.length);
        // Nearest among the splits between two distinct values; of two as near, the fewer below.
        const allowed = sorted.map((_, k) => k).filter((k) => k >= 1 && sorted[k - 1] < sorted[k]);
        const distance = (k: number) => Math.abs(k - level * values.length);
        const best = allowed.reduce((a, b) => (distance(b) < distance(a) - 1e-9 ? b : a));
        expect(below, `${values} at ${level}`).toBe(best);
      } else {
        expect(below).toBe(0);
      }
      // The same cut for the values in reverse and rotated order.
      expect(resolveCut([...values].reverse(), quantile(level))).toBe(cut);
      expect(resolveCut([...values.slice(3), ...values.slice(0, 3)], quantile(level))).toBe(cut);
    }
  });

  it('keeps ties high at Pareto and value cuts, the documented rule', () => {
    expect(labels('pareto', tableOf({ Omsætning: [400, 100, 400, 100] }), {
      aCut: { method: 'pareto', level: 0.4 }, bCut: { method: 'value', level: 100 },
    }).labels).toEqual(['A', 'B', 'A', 'B']);
  });
});

describe('the cut order, checked once in the engine', () => {
  const sample = tableOf({ Omsætning: [100, 300, 600, 50, 20], Dækningsbidrag: [40, 90, 300, 10, -5] });

  it('finds nothing wrong with any model\'s defaults', () => {
    for (const model of CATALOG) expect(settingsProblems(model, defaultSettings(model)), model.id).toEqual([]);
  });

  it('refuses a Pareto A cut looser than the B cut in segment(), in both languages', () => {
    const settings = { ...defaultSettings(getModel('pareto')), aCut: { method: 'pareto', level: 0.95 }, bCut: { method: 'pareto', level: 0.5 } } as ModelSettings;
    const refused = refusal(() => segment(sample, [{ id: 'pareto', settings }]));
    expect(refused.error).toBeInstanceOf(InvalidSettingsError);
    expect(refused.en).toBe('Pareto ABC: the A cut (Pareto share 0.95) must be stricter than the B cut (Pareto share 0.5), else the segment between them stays empty: give the A cut a share below 0.5.');
    expect(refused.da).toBe('Pareto ABC: skæring for A (Pareto-andel 0,95) skal være strammere end skæring for B (Pareto-andel 0,5), ellers bliver segmentet imellem tomt: giv skæring for A en andel under 0,5.');
  });

  it('refuses a Gold cut below the Silver cut and a Top cut below the Middle cut', () => {
    const value = { ...defaultSettings(getModel('value')), goldCut: { method: 'value', level: 100 }, silverCut: { method: 'value', level: 300 } } as ModelSettings;
    expect(refusal(() => segment(sample, [{ id: 'value', settings: value }])).en).toBe(
      'Value tiers and terms: the Gold cut (value 100) must be stricter than the Silver cut (value 300), else the segment between them stays empty: give the Gold cut a value of at least 300.',
    );
    const score = { ...defaultSettings(getModel('score')), topCut: quantile(0.6), middleCut: quantile(0.9) };
    expect(settingsProblems(getModel('score'), score)).toEqual([{
      key: 'topCut', kind: 'order', text: {
        en: 'Deep-dive rating: the Top cut (score) (quantile 0.6) must be stricter than the Middle cut (score) (quantile 0.9), else the segment between them stays empty: give the Top cut (score) a quantile above 0.9.',
        da: 'Dybdegående kundevurdering: skæring for top (score) (kvantil 0,6) skal være strammere end skæring for midte (score) (kvantil 0,9), ellers bliver segmentet imellem tomt: giv skæring for top (score) en kvantil over 0,9.',
      },
    }]);
    // Equal quantile (or Pareto) levels leave the tier between empty: refused too. Equal values are
    // let through, since a formula hands the functions cuts a run resolved, which data can make equal.
    expect(settingsProblems(getModel('score'), { ...score, topCut: quantile(0.9) }).map((problem) => problem.key)).toEqual(['topCut']);
    expect(settingsProblems(getModel('value'), { ...value, goldCut: { method: 'value', level: 300 } })).toEqual([]);
    // Mixed methods that resolve to one value on the data are refused: B at Pareto 95 % is 50 here.
    const mixed = { ...defaultSettings(getModel('pareto')), aCut: { method: 'value', level: 50 } } as ModelSettings;
    expect(refusal(() => segment(sample, [{ id: 'pareto', settings: mixed }])).en).toBe(
      'Pareto ABC: on this data the A cut (50) is at the B cut (50), so the segment between them stays empty: set the A cut above the B cut.',
    );
  });

  it('compares cuts of two methods on the values they resolve to', () => {
    // B at Pareto 95 % of 600, 300, 100, 50, 20 (total 1070; 1016.5 needs 600 + 300 + 100 + 50): 50.
    const settings = { ...defaultSettings(getModel('pareto')), aCut: { method: 'value', level: 40 } } as ModelSettings;
    expect(refusal(() => segment(sample, [{ id: 'pareto', settings }])).en).toBe(
      'Pareto ABC: on this data the A cut (40) is below the B cut (50), so the segment between them stays empty: set the A cut above the B cut.',
    );
    expect(cutOrderProblems(getModel('pareto'), [{ key: 'aCut', value: 50 }, { key: 'bCut', value: 50 }])).toEqual([]);
  });

  it('names a cut out of range with what to write instead', () => {
    const settings = { ...defaultSettings(getModel('pareto')), aCut: { method: 'pareto', level: 80 } } as ModelSettings;
    expect(refusal(() => segment(sample, [{ id: 'pareto', settings }])).en).toBe('A cut: a Pareto cut takes a level above 0 and at most 1, not 80: write 0.8 for 80 %.');
  });

  it('shows the order problem in the pane, under the stricter cut', () => {
    const settings = { ...defaultSettings(getModel('pareto')), aCut: { method: 'pareto', level: 0.95 }, bCut: { method: 'pareto', level: 0.5 } } as ModelSettings;
    expect(settingProblems(getModel('pareto'), settings, 'da')).toEqual({
      aCut: 'Pareto ABC: skæring for A (Pareto-andel 0,95) skal være strammere end skæring for B (Pareto-andel 0,5), ellers bliver segmentet imellem tomt: giv skæring for A en andel under 0,5.',
    });
  });
});

describe('a run in which a model gives no customer a segment', () => {
  const noSatisfaction = tableOf({ Kunde: ['K1', 'K2', 'K3'], 'Share of wallet': [0.8, 0.2, 0.6], Tilfredshed: [null, null, null] });

  it('is an error naming the model and why its first customer got none', () => {
    const refused = refusal(() => segment(noSatisfaction, [{ id: 'quadrant', settings: defaultSettings(getModel('quadrant')) }]));
    expect(refused.error).toBeInstanceOf(NoModelCanRunError);
    expect(refused.en).toBe('Grow / Fix / Model / Move cannot run on this table: it gives none of the 3 customers a segment (the first one, row 2: Share of wallet 80 % ≥ cut 50 %; satisfaction is missing).');
    expect(refused.da).toBe('Grow / Fix / Model / Move kan ikke køre på denne tabel: den giver ingen af de 3 kunder et segment (den første, række 2: Andel af køb 80 % ≥ skæring 50 %; tilfredshed mangler).');
    // Beside a model that segments the customers, it is left out with why, and cannot block the other.
    const both = segment(tableOf({ Kunde: ['K1', 'K2', 'K3'], Omsætning: [100, 300, 600], 'Share of wallet': [0.8, 0.2, 0.6], Tilfredshed: [null, null, null] }),
      ['quadrant', 'pareto'].map((id) => ({ id, settings: defaultSettings(getModel(id)) })));
    expect(both.results.map((result) => result.modelId)).toEqual(['pareto']);
    expect(both.leftOut?.map(({ modelId, why }) => [modelId, why.en])).toEqual([
      ['quadrant', 'it gives none of the 3 customers a segment (the first one, row 2: Share of wallet 80 % ≥ cut 50 %; satisfaction is missing)'],
    ]);
  });

  it('shows in the pane\'s preview for that model only', () => {
    const table = tableOf({ Kunde: ['K1', 'K2', 'K3'], Omsætning: [100, 300, 600], 'Share of wallet': [0.8, 0.2, 0.6], Tilfredshed: [null, null, null] });
    const previews = previewModels(table, ['quadrant', 'pareto'].map((id) => ({ id, settings: defaultSettings(getModel(id)) })), 'en');
    expect(previews[0].error).toBe('Grow / Fix / Model / Move cannot run on this table: it gives none of the 3 customers a segment (the first one, row 2: Share of wallet 80 % ≥ cut 50 %; satisfaction is missing).');
    expect(previews[0].result).toBeUndefined();
    expect(previews[1].error).toBeUndefined();
    // Pareto on 100, 300, 600 (total 1000): A cut 300 (600 + 300 ≥ 800), B cut 100.
    expect(previews[1].lines.map((line) => line.customers)).toEqual([2, 1, 0]);
  });

  it('is no error for a table without customers', () => {
    const empty = buildCustomerTable(['Omsætning'], []);
    expect(segment(empty, [{ id: 'pareto', settings: defaultSettings(getModel('pareto')) }]).results[0].tiers.length).toBe(0);
  });
});

describe('the Summary sheet', () => {
  it('shows the tie note beside a cut a tie moved, under a "Ties" heading', () => {
    const headers = ['Kunde', 'Share of wallet', 'Tilfredshed'];
    const rows: CellValue[][] = [['K1', 0.8, 1], ['K2', 0.2, 1], ['K3', 0.6, 1], ['K4', 0.7, 5], ['K5', 0.3, 4]];
    const table = buildCustomerTable(headers, rows);
    const snapshot: TableSnapshot = { sheetName: 'Kunder', headers, rows, origin: table.origin, marker: null, sheetNames: ['Kunder'] };
    for (const language of ['en', 'da'] as const) {
      const plan = buildPlan(snapshot, segment(table, [{ id: 'quadrant', settings: defaultSettings(getModel('quadrant')) }]), { mode: 'values', language, runDate: 46000 });
      const summary = plan.sheets.find((sheet) => sheet.purpose === 'summary')!;
      const cutRows = summary.rows.filter((row) => row[0] === getModel('quadrant').settings[1].label[language]);
      expect(cutRows).toHaveLength(1);
      const heading = summary.rows[summary.rows.indexOf(cutRows[0]) - 2];
      expect(language === 'en'
        ? [heading, cutRows[0]]
        : [heading[5], cutRows[0][5]]).toEqual(language === 'en'
        ? [['Cut', 'Method', 'Level', 'Value', 'Computed on', 'Ties'], ['Satisfaction cut', 'Quantile', 0.5, 4, 46000,
          'The median falls inside 3 tied values of 1; they are kept together, so 3 of 5 customers (60 %) are below the cut, not 50 %.']]
        : ['Ens værdier', 'Medianen falder inden for 3 ens værdier på 1; de holdes samlet, så 3 af 5 kunder (60 %) er under skæringen, ikke 50 %.']);
      // The share cut row (a value cut) has no tie cell.
      expect(summary.rows[summary.rows.indexOf(cutRows[0]) - 1]).toHaveLength(5);
    }
  });
});
