import { describe, expect, it } from 'vitest';
import {
  buildCustomerTable, DEFAULT_FACTORS, defaultSettings, factorIssues, factorTreeProblems, getModel, leafScale, percentileRanks,
  type CellValue, type FactorNode, type ModelResult, type ModelSettings,
} from '../src/engine';
import { isNumericColumn, newChildWeight, sourceOptions, suggestedFactor, treeProblems } from '../src/taskpane/state/factorTree';

/** A table from columns given by header. */
function tableOf(columns: Record<string, CellValue[]>) {
  const headers = Object.keys(columns);
  const count = columns[headers[0]].length;
  return buildCustomerTable(headers, Array.from({ length: count }, (_, i) => headers.map((header) => columns[header][i])));
}

function runScore(table: ReturnType<typeof tableOf>, changes: ModelSettings = {}): ModelResult {
  const model = getModel('score');
  return model.run(table, { ...defaultSettings(model), ...changes });
}

function scores(result: ModelResult): number[] {
  const metric = result.metrics.find((candidate) => candidate.key === 'score')!;
  if (metric.format === 'text') throw new Error('the score is a number');
  return Array.from(metric.values);
}

function tree(...children: FactorNode[]): FactorNode {
  return { id: 'root', name: 'Score', weight: 1, children };
}

function leaf(id: string, name: string, weight: number, source: string, direction: 'higher' | 'lower', more: Partial<FactorNode> = {}): FactorNode {
  return { id, name, weight, source, direction, ...more };
}

describe('percentile rank: (values below + ½ × values equal) / n', () => {
  it('gives ties one mid-rank and leaves missing values out of n', () => {
    // Present: 10, 20, 20, 20, 30 (n = 5). 10: (0 + ½) / 5; 20: (1 + 1½) / 5; 30: (4 + ½) / 5.
    const ranks = Array.from(percentileRanks(Float64Array.from([20, 10, NaN, 30, 20, 20])));
    expect(ranks).toEqual([0.5, 0.1, NaN, 0.9, 0.5, 0.5]);
    // A column of one value says nothing about who is better: the middle for all.
    expect(Array.from(percentileRanks([7, 7, 7]))).toEqual([0.5, 0.5, 0.5]);
  });

  it('does not depend on row order', () => {
    let state = 11;
    const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296);
    // Few distinct values, so most rows are tied.
    const values = Float64Array.from({ length: 5000 }, () => (random() < 0.05 ? NaN : Math.floor(random() * 40)));
    const order = Array.from({ length: values.length }, (_, i) => i).sort(() => random() - 0.5);
    const shuffled = Float64Array.from(order, (i) => values[i]);
    const ranks = percentileRanks(values);
    const shuffledRanks = percentileRanks(shuffled);
    order.forEach((from, to) => expect(Object.is(shuffledRanks[to], ranks[from]) || shuffledRanks[to] === ranks[from]).toBe(true));
    // Brute force on the definition, row by row.
    const present = Array.from(values).filter((value) => !Number.isNaN(value));
    for (let i = 0; i < 200; i++) {
      if (Number.isNaN(values[i])) continue;
      const below = present.filter((value) => value < values[i]).length;
      const equal = present.filter((value) => value === values[i]).length;
      expect(ranks[i]).toBeCloseTo((below + 0.5 * equal) / present.length, 14);
    }
  });
});

describe('the deep-dive rating on each scale, worked by hand', () => {
  // Revenue weight 3 (0.75), days late weight 1 (0.25), lower is better.
  const table = tableOf({ Kunde: ['A', 'B', 'C', 'D'], Omsætning: [100, 200, 200, 1000], 'Dage for sent': [0, 10, 5, 20] });
  const on = (revenue: Partial<FactorNode>, late: Partial<FactorNode>) => tree(
    leaf('revenue', 'Revenue', 3, 'role:revenue', 'higher', revenue),
    leaf('daysLate', 'Days late', 1, 'role:daysLate', 'lower', late),
  );

  it('rank (the default): revenue ranks .125, .5, .5, .875; days late turned round .875, .375, .625, .125', () => {
    // 75 × .125 + 25 × .875 = 31.25; 75 × .5 + 25 × .375 = 46.875; 75 × .5 + 25 × .625 = 53.125; 75 × .875 + 25 × .125 = 68.75.
    const result = runScore(table, { factors: on({}, {}) });
    expect(scores(result)).toEqual([31.25, 46.875, 53.125, 68.75]);
    // The 90 % quantile of four scores keeps 3.6 below it: the nearest split that leaves a side
    // is 3 below, so the cut is the top score, 68.75. The 60 % quantile: 2 below, cut 53.125.
    expect(result.explain(3).en).toBe('Score 68.8 ≥ cut 68.8; strongest: Revenue: top 13 %; weakest: Days late: bottom 13 %');
    expect(result.explain(3).da).toBe('Score 68,8 ≥ skæring 68,8; stærkest: Omsætning: blandt de bedste 13 %; svagest: Dage for sent: blandt de dårligste 13 %');
    expect(result.explain(0).en).toBe('Score 31.3 < cut 53.1; strongest: Days late: top 13 %; weakest: Revenue: bottom 13 %');
  });

  it('min–max: revenue 0, 1/9, 1/9, 1 on 100 to 1,000; days late 1, .5, .75, 0 on 0 to 20', () => {
    const result = runScore(table, { factors: on({ scale: 'minmax' }, { scale: 'minmax' }) });
    const expected = [25, 75 / 9 + 12.5, 75 / 9 + 18.75, 75];
    scores(result).forEach((value, i) => expect(value).toBeCloseTo(expected[i], 12));
    // Sorted 20.8, 25, 27.1, 75: the 60 % cut keeps 2 below it, so it is 27.1.
    expect(result.explain(1).en).toBe('Score 20.8 < cut 27.1; strongest: Days late: 10 (scale 0 to 20, lower is better); weakest: Revenue: 200 (scale 100 to 1,000)');
    expect(result.explain(1).da).toBe('Score 20,8 < skæring 27,1; stærkest: Dage for sent: 10 (skala 0 til 20, lavere er bedre); svagest: Omsætning: 200 (skala 100 til 1.000)');
  });

  it('fixed: revenue on 0 to 500 (1,000 clamps to the top), days late on 0 to 10 (20 clamps to the worst)', () => {
    // Revenue .2, .4, .4, 1; days late turned round 1, 0, .5, 0: 15 + 25, 30 + 0, 30 + 12.5, 75 + 0.
    const result = runScore(table, { factors: on({ scale: 'fixed', min: 0, max: 500 }, { scale: 'fixed', min: 0, max: 10 }) });
    expect(scores(result)).toEqual([40, 30, 42.5, 75]);
    expect(result.explain(3).en).toBe('Score 75.0 ≥ cut 75.0; strongest: Revenue: 1,000 (scale 0 to 500); weakest: Days late: 20 (scale 0 to 10, lower is better)');
  });

  it('reads a tree stored without scales as before: min or max means fixed, neither means the new default', () => {
    expect(leafScale(leaf('a', 'A', 1, 'role:revenue', 'higher', { min: 0, max: null }))).toBe('fixed');
    expect(leafScale(leaf('a', 'A', 1, 'role:revenue', 'higher', { min: null, max: null }))).toBe('rank');
    expect(leafScale(leaf('a', 'A', 1, 'role:revenue', 'higher'))).toBe('rank');
    expect(leafScale(leaf('a', 'A', 1, 'role:revenue', 'higher', { scale: 'minmax', min: 0, max: 9 }))).toBe('minmax');
    // A stored fixed scale of 0 to 500 scores as the explicit one above.
    const legacy = runScore(table, { factors: on({ min: 0, max: 500 }, { min: 0, max: 10 }) });
    expect(scores(legacy)).toEqual([40, 30, 42.5, 75]);
    // A range kept while another scale is chosen is no problem; an unknown scale is.
    expect(factorIssues(on({ scale: 'rank', min: 9, max: 1 }, {}))).toEqual([]);
    expect(factorIssues(on({ scale: 'fixed', min: 9, max: 1 }, {})).map((issue) => issue.kind)).toEqual(['scaleOrder']);
    const unknown = on({ scale: 'log' as never }, {});
    expect(factorTreeProblems(unknown)).toEqual(['Revenue: the scale must be "rank", "minmax", "fixed".']);
    expect(treeProblems(unknown, 'da').map((problem) => problem.message)).toEqual(['Revenue: vælg en skala: rang, min–maks eller fast.']);
  });
});

describe('the deep-dive rating says its factors in the run\'s language and how much each counts', () => {
  const table = tableOf({
    Kunde: ['A', 'B', 'C', 'D'], Omsætning: [100, 400, 300, 200], Tilfredshed: [5, 1, 3, 4], 'Antal ordrer': [1, 9, 3, 3],
  });

  it('names the default factors in Danish in a Danish run, and a factor the user renamed by the user\'s name', () => {
    // The engine's default tree has English names. The margin factor is left out (no margin and no
    // costs), so revenue weighs .5, satisfaction .3, orders .2. B: revenue and orders rank .875,
    // satisfaction .125 → 65.0, the top score of four and so the 90 % cut.
    const result = runScore(table);
    expect(result.explain(1).da).toBe('Score 65,0 ≥ skæring 65,0; stærkest: Omsætning: blandt de bedste 13 %; svagest: Tilfredshed: blandt de dårligste 13 %');
    expect(result.explain(1).en).toBe('Score 65.0 ≥ cut 65.0; strongest: Revenue: top 13 %; weakest: Satisfaction: bottom 13 %');
    expect(result.notes.map((note) => note.da).slice(0, 3)).toEqual([
      'Økonomi › Dækningsbidrag: ingen kolonne med dækningsbidrag eller omkostninger at beregne det ud fra, udeladt.',
      'Relation › Andel af køb: ingen kolonne til Andel af køb, udeladt.',
      'Adfærd › Dage for sent: ingen kolonne til Dage for sent, udeladt.',
    ]);
    const renamed = structuredClone(DEFAULT_FACTORS);
    renamed.children![0].children![0].name = 'Salg';
    const own = runScore(table, { factors: renamed });
    expect(own.explain(1).da).toContain('stærkest: Salg: blandt de bedste 13 %');
    expect(own.explain(1).en).toContain('strongest: Salg: top 13 %');
  });

  it('states each counting factor\'s share of the score and its scale, after leaving out the absent ones', () => {
    // Economy 50 of 100: Revenue alone (share of wallet absent). Behaviour 50: Orders and Days late 1 : 1.
    const factors = tree(
      { id: 'economy', name: 'Economy', weight: 50, children: [
        leaf('revenue', 'Revenue', 50, 'role:revenue', 'higher'),
        leaf('share', 'Share of wallet', 50, 'role:shareOfWallet', 'higher'),
      ] },
      { id: 'behaviour', name: 'Behaviour', weight: 50, children: [
        leaf('orders', 'Orders', 1, 'role:orders', 'higher', { scale: 'minmax' }),
        leaf('late', 'Punctuality', 1, 'role:satisfaction', 'higher', { scale: 'fixed', min: 1, max: 5 }),
      ] },
    );
    const result = runScore(table, { factors });
    expect(result.notes.map((note) => note.en)).toEqual([
      'Economy › Share of wallet: no column for Share of wallet, left out.',
      'Weights in the score, after leaving out factors without a column: Economy › Revenue 50 % (percentile rank); '
        + 'Behaviour › Orders 25 % (min–max of the data); Behaviour › Punctuality 25 % (fixed scale 1 to 5).',
    ]);
    expect(result.notes[1].da).toBe('Vægte i scoren, efter at faktorer uden kolonne er udeladt: Økonomi › Omsætning 50 % (percentilrang); '
      + 'Adfærd › Antal ordrer 25 % (dataenes min–maks); Adfærd › Punctuality 25 % (fast skala 1 til 5).');
  });
});

describe('who gets no score', () => {
  it('names a leaf that leaves most customers without a number, with the count', () => {
    const table = tableOf({
      Kunde: ['A', 'B', 'C', 'D', 'E', null, 'F'],
      Omsætning: [100, 200, 300, 400, 500, null, 600],
      Tilfredshed: [4, null, null, null, 2, null, 'n/a'],
    });
    const factors = tree(leaf('revenue', 'Revenue', 1, 'role:revenue', 'higher'), leaf('satisfaction', 'Satisfaction', 1, 'role:satisfaction', 'higher'));
    const result = runScore(table, { factors });
    // Six customers (the blank line is not one); four have no satisfaction.
    expect(result.notes.slice(1).map((note) => note.en)).toEqual(['Satisfaction: 4 of 6 customers have no number; they get no score.']);
    expect(result.notes[1].da).toBe('Tilfredshed: 4 af 6 kunder har intet tal; de får ingen score.');
    expect(result.explain(1).en).toBe('Satisfaction is missing');
    expect(result.explain(1).da).toBe('Tilfredshed mangler');
    expect(Array.from(result.tiers)).toEqual([2, -1, -1, -1, 0, -1, -1]);
  });

  it('says so when no customer gets a score, and why', () => {
    const telco = tableOf({ customerID: ['7590-VHVEG', '5575-GNVDE'], gender: ['Female', 'Male'], tenure: [1, 34], Churn: ['No', 'Yes'] });
    const none = runScore(telco);
    expect(Array.from(none.tiers)).toEqual([-1, -1]);
    expect(none.notes.at(-1)!.en).toBe('No customer gets a score: no factor of the tree has a column in this table. '
      + 'Map a column to a role the tree reads, or add factors on numeric columns.');
    expect(none.explain(0).en).toBe('no factor of the tree has a column in this table; map a column to a role the tree reads, or add factors on numeric columns');
    // A leaf on the text column gender holds no number at all: it is left out and named as text,
    // and beside it a numeric leaf (tenure) rates everyone.
    const onGender = runScore(telco, { factors: tree(leaf('g', 'gender', 1, 'column:gender', 'higher')) });
    expect(onGender.notes.map((note) => note.en)).toEqual([
      'gender: the column gender holds no numbers (text only), left out.',
      'No customer gets a score: no factor of the tree has a column in this table. Map a column to a role the tree reads, or add factors on numeric columns.',
    ]);
    const withTenure = runScore(telco, { factors: tree(leaf('g', 'gender', 1, 'column:gender', 'higher'), leaf('t', 'tenure', 1, 'column:tenure', 'higher')) });
    expect(Array.from(withTenure.tiers).every((tier) => tier >= 0)).toBe(true);
    // A numeric leaf most customers lack still leaves them without a score, and says how many.
    const sparse = tableOf({ customerID: ['a', 'b', 'c'], tenure: [1, null, null] });
    expect(runScore(sparse, { factors: tree(leaf('t', 'tenure', 1, 'column:tenure', 'higher')) }).notes.map((note) => note.en)).toContain('tenure: 2 of 3 customers have no number; they get no score.');
  });
});

describe('the factor editor offers numbers only', () => {
  const telco = tableOf({
    customerID: ['7590-VHVEG', '5575-GNVDE', '3668-QPYBK', '7795-CFOCW'],
    gender: ['Female', 'Male', 'Male', 'Male'],
    SeniorCitizen: [0, 0, 1, 0],
    tenure: [1, 34, 2, 45],
    Contract: ['Month-to-month', 'One year', 'Month-to-month', 'One year'],
    MonthlyCharges: ['29.85', '56.95', '53.85', '42.3'],
    // One blank, as in the IBM file: still a column of numbers.
    TotalCharges: ['29.85', '1889.5', ' ', '1840.75'],
    Churn: ['No', 'No', 'Yes', 'No'],
  });

  it('lists columns of numbers only, each once, and a tree\'s text column as unusable', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((column) => isNumericColumn(telco, column))).toEqual([false, false, true, true, false, true, true, false]);
    const options = sourceOptions(telco, 'en', ['column:gender']);
    expect(options.map((option) => [option.value, option.available, option.unavailable])).toEqual([
      ['computed:trueMargin', false, undefined],
      ['column:SeniorCitizen', true, undefined],
      ['column:tenure', true, undefined],
      ['column:MonthlyCharges', true, undefined],
      ['column:TotalCharges', true, undefined],
      ['column:gender', false, 'notNumeric'],
    ]);
  });

  it('adds a factor on a column of numbers the tree does not read, with its siblings\' mean weight', () => {
    const start = tree(
      { id: 'economy', name: 'Economy', weight: 50, children: [leaf('t', 'tenure', 50, 'column:tenure', 'higher'), leaf('s', 'Senior', 30, 'column:SeniorCitizen', 'higher')] },
    );
    expect(newChildWeight(start, 'economy')).toBe(40);
    expect(newChildWeight(start, 'root')).toBe(50);
    const added = suggestedFactor(start, 'economy', sourceOptions(telco, 'en'));
    expect(added).toEqual({ id: 'f1', name: 'MonthlyCharges', weight: 40, source: 'column:MonthlyCharges', direction: 'higher', scale: 'rank', min: null, max: null });
    // A table without a column of numbers offers no factor to add.
    expect(suggestedFactor(start, 'economy', sourceOptions(tableOf({ Name: ['A'], Region: ['Nord'] }), 'en'))).toBeNull();
  });
});
