import { describe, expect, it } from 'vitest';
import {
  buildCustomerTable, dateToSerial, DEFAULT_TERMS, formatNumber, serialToCivil, serialToJsDate, type DataSetting, defaultSettings, getModel, metricCell, monthsBetween, shareAsFraction, shareScale, sharesAsFractions, termsFieldText,
  type CellValue, type FactorNode, type ModelResult, type ModelSettings, type RowMetric,
} from '../src/engine';

/** Builds a table from columns given by header, so each fixture names exactly the columns it has. */
function tableOf(columns: Record<string, CellValue[]>) {
  const headers = Object.keys(columns);
  const count = columns[headers[0]].length;
  const rows = Array.from({ length: count }, (_, i) => headers.map((header) => columns[header][i]));
  return buildCustomerTable(headers, rows);
}

function run(modelId: string, table: ReturnType<typeof tableOf>, changes: ModelSettings = {}) {
  const model = getModel(modelId);
  const result = model.run(table, { ...defaultSettings(model), ...changes });
  return { labels: Array.from(result.tiers, (tier) => (tier < 0 ? '' : model.tiers[tier].id)), result };
}

function metric(result: ModelResult, key: string): RowMetric {
  const found = result.metrics.find((candidate) => candidate.key === key);
  if (!found) throw new Error(`no metric ${key}`);
  return found;
}

function column(result: ModelResult, key: string, language: 'en' | 'da' = 'en') {
  return Array.from({ length: result.tiers.length }, (_, row) => metricCell(metric(result, key), row, language));
}

describe('margin: true margin after cost to serve', () => {
  it('subtracts cost of goods, cost to serve and hours at the hourly rate from revenue', () => {
    // 1000 − 600 − 100 − 0.2 × 650 = 170 (17 %); 500 − 200 − 250 − 1 × 650 = −600 (−120 %).
    const table = tableOf({ Omsætning: [1000, 500, 800], Vareforbrug: [600, 200, 300], Serviceomkostninger: [100, 250, null], Timer: [0.2, 1, 1] });
    const { labels, result } = run('margin', table);
    expect(column(result, 'trueMargin')).toEqual([170, -600, null]);
    expect(column(result, 'marginPercent')).toEqual([0.17, -1.2, null]);
    expect(labels).toEqual(['Profit', 'Loss', '']);
    expect(result.explain(0).en).toBe('Revenue 1,000 − cost of goods 600 − cost to serve 100 − 0.2 h × 650 = 170');
    expect(result.explain(2).da).toBe('Serviceomkostninger mangler');
    expect(result.notes[0].en).toBe('Hourly rate 650 kr. Customers who lose money after cost to serve: 1.');
  });
  it('starts from a margin column when the table has one, ignoring cost of goods, and takes another hourly rate', () => {
    // 400 − 100 − 2 × 500 = −700; 300 − 50 − 0 = 250.
    const table = tableOf({ Revenue: [900, 700], 'Gross profit': [400, 300], 'Cost of goods': [999, 999], 'Cost to serve': [100, 50], Hours: [2, 0] });
    const { labels, result } = run('margin', table, { hourlyRate: 500 });
    expect(column(result, 'trueMargin')).toEqual([-700, 250]);
    expect(labels).toEqual(['Loss', 'Profit']);
    // The biggest loss is called first within Loss.
    expect(result.priorityWithinTier(0)).toBe(700);
  });
});

describe('quadrant: Grow / Fix / Model / Move', () => {
  it('reads share of wallet written three ways and cuts satisfaction at its median, ties high', () => {
    // Satisfaction sorted 2, 3, 3.5, 4, 4.5, 5: 0.5 × 6 = 3 values below the median cut, so the cut
    // is the fourth value, 4. Share cut 50 %; row 6 sits on it.
    const table = tableOf({
      'Share of wallet': [0.35, 35, '35 %', 0.8, 80, 0.5],
      Tilfredshed: [4, 2, 5, 3, 4.5, 3.5],
    });
    const { labels, result } = run('quadrant', table);
    expect(labels).toEqual(['Grow', 'Move', 'Grow', 'Fix', 'Model', 'Fix']);
    expect(result.cuts.map((cut) => cut.value)).toEqual([0.5, 4]);
    expect(column(result, 'shareOfWallet')).toEqual([0.35, 0.35, 0.35, 0.8, 0.8, 0.5]);
    expect(result.explain(5).en).toBe('Share of wallet 50 % ≥ cut 50 %; satisfaction 3.5 < cut 4');
  });
  it('gives the same segments whatever the satisfaction scale', () => {
    const share = [0.2, 0.7, 0.2, 0.7];
    const scales: CellValue[][] = [[1, 2, 4, 5], [0, 3, 7, 10], [5, 40, 60, 95], [-50, 0, 30, 70]];
    for (const satisfaction of scales) {
      expect(run('quadrant', tableOf({ SoW: share, CSI: satisfaction })).labels).toEqual(['Move', 'Fix', 'Grow', 'Model']);
    }
  });
  it('computes share of wallet as revenue / potential without a share column, and orders Grow by potential gap', () => {
    // Shares 0.25, 0.75, 0.1; satisfaction median 4 → rows 0 and 2 are high.
    const table = tableOf({ Omsætning: [100, 300, 50], Potentiale: [400, 400, 500], Tilfredshed: [4, 3, 5] });
    const { labels, result } = run('quadrant', table);
    expect(labels).toEqual(['Grow', 'Fix', 'Grow']);
    expect(result.inputs.computed?.[0].en).toBe('Share of wallet computed as revenue ÷ potential.');
    expect(result.priorityWithinTier(0)).toBe(300);
    expect(result.priorityWithinTier(2)).toBe(450);
    expect(result.priorityWithinTier(1)).toBe(300);
  });
  it('takes a share cut typed as percent points and leaves rows with a blank without a segment', () => {
    const table = tableOf({ SoW: [0.3, 0.6, null], CSI: [5, 5, 5] });
    expect(run('quadrant', table, { shareCut: { method: 'value', level: 25 } }).labels).toEqual(['Model', 'Model', '']);
    expect(shareAsFraction(1)).toBe(1);
    expect(shareAsFraction(100)).toBe(1);
  });
  it('decides once per column that shares are percent points, so 80 and 1 are 80 % and 1 %', () => {
    // Percent points: 80 % ≥ 50 % (high), 1 % < 50 % (low); satisfaction median 4, both 4 (high).
    const table = tableOf({ SoW: [80, 1, null], CSI: [4, 4, 4] });
    const { labels, result } = run('quadrant', table);
    expect(column(result, 'shareOfWallet')).toEqual([0.8, 0.01, null]);
    expect(labels).toEqual(['Model', 'Grow', '']);
    expect(shareScale(Float64Array.of(80, 1))).toBe('percentPoints');
    expect(shareScale(Float64Array.of(0.8, 1, NaN))).toBe('fraction');
    // A "%" text says the column is not percent points: its bare 1 stays 100 %, its 35 is 35 %.
    expect(Array.from(sharesAsFractions(Float64Array.of(0.2, 1, 35), shareScale(Float64Array.of(0.2, 1, 35), ['20 %', 1, 35])))).toEqual([0.2, 1, 0.35]);
    expect(column(run('quadrant', tableOf({ SoW: ['20 %', 1, 35], CSI: [4, 4, 4] })).result, 'shareOfWallet')).toEqual([0.2, 1, 0.35]);
  });
  it('hands a per-row formula its share as a fraction when the column is percent points', () => {
    const references = { form: 'row' as const, roles: { shareOfWallet: 'B2', satisfaction: 'C2' }, cuts: { shareCut: 'S!D1', satisfactionCut: 'S!D2' }, settings: defaultSettings(getModel('quadrant')) };
    const percentPoints = tableOf({ SoW: [80, 1], CSI: [4, 4] });
    const fractions = tableOf({ SoW: [0.8, 1], CSI: [4, 4] });
    expect(getModel('quadrant').formula({ ...references, table: percentPoints })).toBe('SEGMENT.QUADRANT(IF(ISNUMBER(B2),B2/100,B2),C2,S!D1,S!D2)');
    expect(getModel('quadrant').formula({ ...references, table: fractions })).toBe('SEGMENT.QUADRANT(B2,C2,S!D1,S!D2)');
  });
});

/** How the Danish terms write "no meetings", the Loss tier's meetings. */
const MEETINGS_NONE_DA = termsFieldText(DEFAULT_TERMS.Loss, 'meetings', 'da');

describe('value: Gold / Silver / Bronze / Loss and terms', () => {
  const asOf = dateToSerial(2026, 10, 31);
  // Positive margin 950: Gold cut at 50 % is 500 (500 ≥ 475), Silver at 80 % is 300 (800 ≥ 760).
  const table = tableOf({
    Dækningsbidrag: [500, 300, 100, 50, 0, -20, null, 40],
    'Kunde siden': ['2015-01-01', '2018-06-01', '2025-10-31', '2026-05-31', '2020-01-01', '2026-09-15', '2026-10-01', '2025-11-01'],
    'Dage for sent': [22, 15, 0, 0, 40, 0, 0, 0],
  });

  it('tiers by margin, raises new Bronze customers to Silver (a new loss stays Loss) and caps late payers at the Bronze discount', () => {
    const { labels, result } = run('value', table, { asOf });
    expect(result.cuts.map((cut) => cut.value)).toEqual([500, 300]);
    // Row 3 is 12 months old (not raised); row 4 five months (Bronze → Silver); row 6 one month but
    // losing money (stays Loss: its terms follow the loss); row 8 eleven months (Bronze → Silver);
    // row 7 has no margin and so no segment.
    expect(labels).toEqual(['Gold', 'Silver', 'Bronze', 'Silver', 'Bronze', 'Loss', '', 'Silver']);
    // Gold's discount is 8 %, but row 1 pays 22 days late: Bronze's 0 %. Row 2 (exactly 15 days) is not late.
    expect(column(result, 'terms.discount')).toEqual([0, 0.04, 0, 0.04, 0, 0, null, 0.04]);
    expect(column(result, 'terms.paymentDays')).toEqual([30, 30, 14, 30, 14, 8, null, 30]);
    expect(column(result, 'terms.invoiceFee')).toEqual([0, 0, 29, 0, 29, 49, null, 0]);
    expect(column(result, 'terms.meetings', 'da')).toEqual(['Månedligt', 'Kvartalsvis', 'Årligt', 'Kvartalsvis', 'Årligt', MEETINGS_NONE_DA, null, 'Kvartalsvis']);
    expect(column(result, 'terms.reprice')).toEqual([null, null, null, null, null, 'Yes', null, null]);
    expect(result.explain(0).en).toBe('Margin tier Gold (Margin 500 ≥ cut 500); pays 22 days late on average: Bronze discount (0 %)');
    expect(result.explain(3).en).toBe('Margin tier Bronze (Margin 50 < cut 300); raised to Silver: customer for 5 months');
    expect(result.explain(5).da).toBe('Dækningsbidragssegment Tab (Dækningsbidrag -20 < skæring 0)'.replace('-20', (-20).toLocaleString('da-DK')));
    expect(result.notes.map((note) => note.en)).toEqual([
      'Customers younger than 12 months (as of 2026-10-31) raised from Bronze to Silver: 2; a new customer that loses money stays Loss.',
      'Late payers (more than 15 days late on average) given the Bronze discount: 2.',
      // The table has a margin column and no cost to serve or hours: the tiers say so.
      'Tiers by margin before cost to serve: cost to serve and hours are not in the table.',
    ]);
    expect(result.inputs).toEqual({ used: ['margin', 'since', 'daysLate'], absent: ['costToServe', 'hours'] });
  });
  it('keeps a Loss customer that is not new in Loss, with the reprice flag', () => {
    const old = tableOf({ DB: [100, -5], 'Customer since': ['2010-01-01', '2010-01-01'] });
    const { labels, result } = run('value', old, { asOf });
    expect(labels).toEqual(['Gold', 'Loss']);
    expect(column(result, 'terms.reprice')).toEqual([null, 'Yes']);
  });
  it('uses edited terms and settable shares', () => {
    const terms = structuredClone(DEFAULT_TERMS);
    terms.Silver.discount = 0.05;
    const { labels, result } = run('value', tableOf({ DB: [600, 300, 100] }), {
      asOf, terms: terms as unknown as DataSetting, goldCut: { method: 'pareto', level: 0.6 }, silverCut: { method: 'pareto', level: 0.9 },
    });
    // Total 1000: 60 % is reached by 600; 90 % by 600 + 300.
    expect(labels).toEqual(['Gold', 'Silver', 'Bronze']);
    expect(column(result, 'terms.discount')).toEqual([0.08, 0.05, 0]);
  });
  it('reads Excel days as calendar dates without a Date per row', () => {
    for (let serial = 1; serial < 80_000; serial += 37) {
      const date = serialToJsDate(serial);
      expect(serialToCivil(serial + 0.75), String(serial)).toEqual([date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()]);
    }
  });
  it('counts whole calendar months', () => {
    expect(monthsBetween(dateToSerial(2025, 10, 31), dateToSerial(2026, 10, 31))).toBe(12);
    expect(monthsBetween(dateToSerial(2025, 11, 1), dateToSerial(2026, 10, 31))).toBe(11);
    expect(monthsBetween(dateToSerial(2026, 1, 31), dateToSerial(2026, 2, 28))).toBe(0);
  });
});

describe('score: the deep-dive rating', () => {
  // Economy 2, Relationship 1, Time 1 → 0.5, 0.25, 0.25. Relationship holds Quality and an empty group
  // (left out), so Quality gets all of it: complaints 1/4 and satisfaction 3/4 → 0.0625 and 0.1875.
  // Every leaf on the data's min–max, so the weighting is worked by hand on simple positions.
  const tree: FactorNode = {
    id: 'root', name: 'Score', weight: 1, children: [
      { id: 'e', name: 'Economy', weight: 2, children: [{ id: 'r', name: 'Revenue', weight: 1, source: 'role:revenue', direction: 'higher', scale: 'minmax' }] },
      { id: 'rel', name: 'Relationship', weight: 1, children: [
        { id: 'q', name: 'Quality', weight: 1, children: [
          { id: 'c', name: 'Complaints', weight: 1, source: 'column:Klager', direction: 'lower', scale: 'minmax' },
          { id: 's', name: 'Satisfaction', weight: 3, source: 'role:satisfaction', direction: 'higher', scale: 'minmax' },
        ] },
        { id: 'empty', name: 'Empty', weight: 5, children: [] },
      ] },
      { id: 't', name: 'Time', weight: 1, children: [{ id: 'd', name: 'Days late', weight: 1, source: 'role:daysLate', direction: 'lower', scale: 'minmax' }] },
    ],
  };
  const table = tableOf({ Omsætning: [100, 200, 300, 250], Tilfredshed: [5, 3, 1, 2], 'Dage for sent': [0, 10, 20, 5], Klager: [2, 0, 1, null] });

  it('normalizes, weights down a three-level tree with an empty branch, ranks and tiers', () => {
    // Revenue 0, .5, 1; complaints (lower) 0, 1, .5; satisfaction 1, .5, 0; days late (lower) 1, .5, 0.
    // Row 1: .1875 + .25 = 43.75. Row 2: .25 + .0625 + .09375 + .125 = 53.125. Row 3: .5 + .03125 = 53.125.
    const { labels, result } = run('score', table, { factors: tree });
    expect(column(result, 'score').slice(0, 3)).toEqual([43.75, 53.125, 53.125]);
    // Row 4 has no complaints figure: no score, no guess.
    expect(column(result, 'score')[3]).toBeNull();
    expect(column(result, 'rank')).toEqual([3, 1, 1, null]);
    // Scores 43.75, 53.125, 53.125: the 90 % and 60 % quantiles are both 53.125, and ties count high.
    expect(labels).toEqual(['Low', 'Top', 'Top', '']);
    expect(result.notes[0].en).toBe('Relationship › Empty: empty group, left out.');
    expect(result.explain(3).en).toBe('Relationship › Quality › Complaints is missing');
    // Satisfaction and days late both at the best end: the heavier, days late, is named; likewise revenue of the two at the worst.
    expect(result.explain(0).en).toBe('Score 43.8 < cut 53.1; strongest: Days late: 0 (scale 0 to 20, lower is better); weakest: Revenue: 100 (scale 100 to 300)');
  });
  it('reports a leaf whose column the table lacks and scores on the rest; a scale clamps', () => {
    const partial: FactorNode = { id: 'root', name: 'Score', weight: 1, children: [
      { id: 'r', name: 'Revenue', weight: 1, source: 'role:revenue', direction: 'higher', min: 0, max: 200 },
      { id: 'm', name: 'Orders', weight: 1, source: 'role:orders', direction: 'higher' },
    ] };
    const { result } = run('score', table, { factors: partial });
    // Revenue on a 0–200 scale: .5, 1, 1 (300 clamps), 1.
    expect(column(result, 'score')).toEqual([50, 100, 100, 100]);
    expect(result.notes[0].en).toBe('Orders: no column for Orders, left out.');
    // A tree stored before scales had a name: a min or max means a fixed scale.
    expect(result.notes[1].en).toBe('Weights in the score, after leaving out factors without a column: Revenue 100 % (fixed scale 0 to 200).');
  });
  it('rejects a tree deeper than three levels', () => {
    const deep: FactorNode = { id: 'root', name: 'Score', weight: 1, children: [{ id: 'a', name: 'A', weight: 1, children: [
      { id: 'b', name: 'B', weight: 1, children: [{ id: 'c', name: 'C', weight: 1, children: [
        { id: 'd', name: 'D', weight: 1, source: 'role:revenue', direction: 'higher' }] }] }] }] };
    expect(() => run('score', table, { factors: deep })).toThrow(/at most 3 levels/);
  });
});

describe('numbers in explanations', () => {
  it('are written as Intl.NumberFormat writes them for da-DK and en-US, without a sign on zero', () => {
    let state = 7;
    const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296);
    const values = [0, -0, 0.005, 1.005, 2.675, -0.004, 999.995, 1234, -1234.5, 1e6, 123456789.123, 1e20, 1e22, 1e-7, -3e-9, 0.1 + 0.2, NaN, Infinity];
    for (let i = 0; i < 2000; i++) values.push((random() - 0.3) * 10 ** Math.floor(random() * 10));
    for (const value of values) {
      for (const [language, locale] of [['en', 'en-US'], ['da', 'da-DK']] as const) {
        for (const [max, min] of [[0, 0], [1, 1], [2, 0]]) {
          // Intl writes "-0" for a negative number that rounds to zero; explanations write "0".
          const intl = new Intl.NumberFormat(locale, { maximumFractionDigits: max, minimumFractionDigits: min }).format(value).replace(/^-(?=0(?:[.,]0*)?$)/, '');
          expect(formatNumber(value, language, max, min), `${value} ${locale} ${max}/${min}`).toBe(intl);
        }
      }
    }
  });
});
