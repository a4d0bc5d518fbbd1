import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { failure } from './support/excel-errors';
import { generateCustomFunctionsMetadata } from 'custom-functions-metadata';
import { buildCustomerTable, CATALOG, defaultSettings, type RoleId } from '../src/engine';


const { abcd, cut, margin, pareto, quadrant, score, value } = await import('../src/functions/functions');
const { localizeMetadata, readDanishTexts } = await import('../scripts/localize-functions.js');

type Cell = string | number | boolean | null;
const column = (...values: Cell[]): Cell[][] => values.map((value) => [value]);
const cell = (value: Cell): Cell[][] => [[value]];
const flat = (result: unknown[][]) => result.map((row) => row[0]);

/** What Excel would show: the segment text, or the error's code. */
function shown(result: unknown[][]): string[] {
  return flat(result).map((value) => (typeof value === 'string' ? value : (value as CustomFunctions.Error).code));
}


afterEach(() => {
  delete (globalThis as Record<string, unknown>).Office;
});

// Revenue 500, 300, 100, 60, 40 (total 1000).
// Pareto cut 0.8: 500 < 800, 500 + 300 = 800 ≥ 800, so the cut is 300.
// Pareto cut 0.95: 800, 900 < 950, 900 + 60 = 960 ≥ 950, so the cut is 60.
const REVENUE = column(500, 300, 100, 60, 40);
// Potential 100, 800, 50, 900, 150 (total 2000). Cut 0.8: 900 < 1600, 900 + 800 = 1700 ≥ 1600, so 800.
const POTENTIAL = column(100, 800, 50, 900, 150);

describe('SEGMENT.PARETO over a whole column', () => {
  it('spills A/B/C with the default shares 0.8 and 0.95', () => {
    // ≥ 300 is A; ≥ 60 is B; 40 is C.
    expect(shown(pareto(REVENUE))).toEqual(['A', 'A', 'B', 'B', 'C']);
  });

  it('counts ties at a cut as high, whatever the row order', () => {
    // 400, 200, 200, 100, 100 (total 1000): 400 + 200 + 200 = 800 reaches 0.8, so the A cut is 200 and
    // both 200s are A; 900 + 100 = 1000 reaches 0.95, so the B cut is 100 and both 100s are B.
    expect(shown(pareto(column(100, 200, 400, 100, 200)))).toEqual(['B', 'A', 'A', 'B', 'A']);
  });

  it('never puts zero or negative values above C and leaves blanks empty', () => {
    // Positive total 1000: 600 + 300 = 900 ≥ 800, so A ≥ 300; 900 + 100 = 1000 ≥ 950, so B ≥ 100.
    expect(shown(pareto(column(600, 0, -50, 300, 100, null, '')))).toEqual(['A', 'C', 'C', 'A', 'B', '', '']);
  });

  it('takes other shares, and Danish-style text numbers read once for the whole column', () => {
    // 0.5: 500 ≥ 500, so only 500 is A; 0.9: 500 + 300 + 100 = 900, so B ≥ 100.
    expect(shown(pareto(REVENUE, 0.5, 0.9))).toEqual(['A', 'B', 'B', 'C', 'C']);
    // "1.234,56" makes the column comma-decimal, so "1.000" is one thousand, not one.
    // Total 2734.56: 1234.56 + 1000 ≥ 2187.65 makes A ≥ 1000; B needs 500 too.
    expect(shown(pareto(column('1.234,56', '1.000', 500)))).toEqual(['A', 'A', 'B']);
    expect(shown(pareto(REVENUE, '50 %', '0,9'))).toEqual(['A', 'B', 'B', 'C', 'C']);
  });

  it('marks unreadable cells #VALUE! in their own row and segments the rest from readable values', () => {
    // Readable total 800: 500 < 640, 500 + 300 ≥ 640, so the A cut is 300.
    const result = pareto(column('abc', 500, 300, true));
    expect(shown(result)).toEqual(['#VALUE!', 'A', 'A', '#VALUE!']);
    expect((result[0][0] as CustomFunctions.Error).message).toBe('Row 1, values: "abc" is not a number; this row gets no segment.');
    expect((result[3][0] as CustomFunctions.Error).message).toBe('Row 4, values: "true" is not a number; this row gets no segment.');
  });

  it('refuses shares outside (0, 1] and an A share above the B share with #VALUE! and a message saying what to change', () => {
    const refused = (call: () => unknown) => {
      const error = failure(call);
      expect(error.code).toBe('#VALUE!');
      return error.message;
    };
    // =SEGMENT.PARETO(D2:D2001, 80): a percentage typed as a whole number.
    expect(refused(() => pareto(REVENUE, 80))).toBe('A cut: a Pareto cut takes a level above 0 and at most 1, not 80: write 0.8 for 80 %.');
    expect(refused(() => pareto(REVENUE, 0, 0.95))).toBe('A cut: a Pareto cut takes a level above 0 and at most 1, not 0: for example 0.8 for 80 %.');
    expect(refused(() => pareto(REVENUE, 0.8, 1.2))).toBe('B cut: a Pareto cut takes a level above 0 and at most 1, not 1.2: for example 0.8 for 80 %.');
    expect(refused(() => pareto(REVENUE, 0.95, 0.8))).toBe(
      'Pareto ABC: the A cut (Pareto share 0.95) must be stricter than the B cut (Pareto share 0.8), else the segment between them stays empty: give the A cut a share below 0.8.',
    );
    // One row: the cuts are values, and the A cut must not be below the B cut.
    expect(refused(() => pareto(cell(100), 60, 300))).toBe(
      'Pareto ABC: the A cut (value 60) must be stricter than the B cut (value 300), else the segment between them stays empty: give the A cut a value of at least 300.',
    );
    (globalThis as Record<string, unknown>).Office = { context: { displayLanguage: 'da-DK' } };
    expect(refused(() => pareto(REVENUE, 80))).toBe('Skæring for A: en Pareto-skæring tager et niveau over 0 og højst 1, ikke 80: skriv 0,8 for 80 %.');
    expect(refused(() => pareto(REVENUE, 0.95, 0.5))).toBe(
      'Pareto ABC: skæring for A (Pareto-andel 0,95) skal være strammere end skæring for B (Pareto-andel 0,5), ellers bliver segmentet imellem tomt: giv skæring for A en andel under 0,5.',
    );
    expect(shown(pareto(REVENUE, 0.8, 1))).toEqual(['A', 'A', 'B', 'B', 'B']);
    // Equal shares leave B empty by construction: refused, as the CLI and the pane refuse them.
    expect(refused(() => pareto(REVENUE, 0.8, 0.8))).toBe(
      'Pareto ABC: skæring for A (Pareto-andel 0,8) skal være strammere end skæring for B (Pareto-andel 0,8), ellers bliver segmentet imellem tomt: giv skæring for A en andel under 0,8.',
    );
  });
});

describe('SEGMENT.PARETO for one row (inside Excel tables)', () => {
  it('uses the two numbers as the A and B cut values, ties high', () => {
    // As the plan writes it: SEGMENT.PARETO(E5,Summary!$D$12,Summary!$D$13) with cuts 300 and 60.
    expect(shown(pareto(cell(500), 300, 60))).toEqual(['A']);
    expect(shown(pareto(cell(300), 300, 60))).toEqual(['A']);
    expect(shown(pareto(cell(100), 300, 60))).toEqual(['B']);
    expect(shown(pareto(cell('60'), 300, 60))).toEqual(['B']);
    expect(shown(pareto(cell(40), 300, 60))).toEqual(['C']);
    expect(shown(pareto(cell(-5), 300, 60))).toEqual(['C']);
    expect(shown(pareto(cell(null), 300, 60))).toEqual(['']);
  });

  it('asks for the cuts when they are missing', () => {
    const error = failure(() => pareto(cell(100), 300, null));
    expect(error.code).toBe('#VALUE!');
    expect(error.message).toContain('give the A cut and the B cut as numbers (for example from SEGMENT.CUTOFF');
  });
});

describe('SEGMENT.ABCD', () => {
  it('spills A-D over whole columns with the Pareto 0.8 cut on each', () => {
    // Revenue high: 500, 300 (cut 300). Potential high: 800, 900 (cut 800).
    // Rows: 500/100 C, 300/800 A, 100/50 D, 60/900 B, 40/150 D.
    expect(shown(abcd(REVENUE, POTENTIAL))).toEqual(['C', 'A', 'D', 'B', 'D']);
  });

  it('takes explicit cuts as absolute values, ties high', () => {
    // Revenue ≥ 100 high, potential ≥ 150 high: 500/100 C, 300/800 A, 100/50 C (tie), 60/900 B, 40/150 B (tie).
    expect(shown(abcd(REVENUE, POTENTIAL, 100, 150))).toEqual(['C', 'A', 'C', 'B', 'B']);
    // One cut given: the other axis keeps its Pareto default (800).
    expect(shown(abcd(REVENUE, POTENTIAL, 100, null))).toEqual(['C', 'A', 'C', 'B', 'D']);
  });

  it('gives one row its segment from the cut values, as per-row formulas call it', () => {
    expect(shown(abcd(cell(300), cell(800), 300, 800))).toEqual(['A']);
    expect(shown(abcd(cell(100), cell(800), 300, 800))).toEqual(['B']);
    expect(shown(abcd(cell(500), cell('799'), '300', 800))).toEqual(['C']);
    expect(shown(abcd(cell(0), cell(-1), 300, 800))).toEqual(['D']);
    expect(shown(abcd(cell(''), cell(800), 300, 800))).toEqual(['']);
  });

  it('asks for both cuts for a single row', () => {
    for (const call of [() => abcd(cell(300), cell(800)), () => abcd(cell(300), cell(800), 300)]) {
      const error = failure(call);
      expect(error.code).toBe('#VALUE!');
      expect(error.message).toBe(
        'For a single row, give the revenue cut and the potential cut as numbers (for example from SEGMENT.CUTOFF over the whole column), or give SEGMENT.ABCD the whole column.',
      );
    }
  });

  it('shows the message in Danish when Office runs in Danish', () => {
    (globalThis as Record<string, unknown>).Office = { context: { displayLanguage: 'da-DK' } };
    expect(failure(() => abcd(cell(300), cell(800))).message).toBe(
      'For en enkelt række skal skæringen for omsætning og skæringen for potentiale angives som tal (for eksempel fra SEGMENT.CUTOFF over hele kolonnen), eller giv SEGMENT.ABCD hele kolonnen.',
    );
    expect((abcd(column('x', 1), column(1, 1))[0][0] as CustomFunctions.Error).message).toBe('Række 1, omsætning: "x" er ikke et tal; rækken får intet segment.');
  });

  it('leaves blank rows empty and marks unreadable rows #VALUE!', () => {
    // Readable revenue 500, 300 → cut: 500 < 640, 800 ≥ 640, so 300; potential 100, 800 → cut 800.
    const result = abcd(column(500, null, 300, 'n/a'), column(100, 900, 800, 50));
    expect(shown(result)).toEqual(['C', '', 'A', '#VALUE!']);
    expect((result[3][0] as CustomFunctions.Error).message).toBe('Row 4, revenue: "n/a" is not a number; this row gets no segment.');
  });

  it('rejects columns of different lengths, ranges wider than one column and unreadable cuts', () => {
    const mismatch = failure(() => abcd(REVENUE, column(1, 2, 3, 4)));
    expect(mismatch.code).toBe('#VALUE!');
    expect(mismatch.message).toBe('Revenue has 5 rows and potential has 4: give ranges of the same length.');
    const wide = failure(() => abcd([[1, 2], [3, 4]], [[1], [2]]));
    expect(wide.message).toBe('Give revenue as one column (the range has 2 columns).');
    const badCut = failure(() => abcd(REVENUE, POTENTIAL, 'lots', 5));
    expect(badCut.code).toBe('#VALUE!');
    expect(badCut.message).toBe('The revenue cut must be a number, not "lots".');
  });
});

describe('the formulas the plan writes', () => {
  const FUNCTIONS: Record<string, (...args: never[]) => unknown> = {
    ABCD: abcd, PARETO: pareto, CUTOFF: cut, MARGIN: margin, QUADRANT: quadrant, VALUETIER: value, SCORE: score,
  };

  /** Evaluates one SEGMENT.* formula: references from a map, numbers and "text" as literals. */
  function evaluate(formula: string, references: Record<string, Cell[][] | number>): unknown {
    const call = /^SEGMENT\.([A-Z]+)\((.*)\)$/.exec(formula);
    if (!call) throw new Error(`not a SEGMENT formula: ${formula}`);
    const args = call[2].split(',').map((arg) => {
      if (arg in references) return references[arg];
      // An argument left empty (SEGMENT.MARGIN(F2,,G2)) reaches the function as null, as Excel passes it.
      if (arg === '') return null;
      if (/^".*"$/.test(arg)) return arg.slice(1, -1);
      if (/^-?[\d.]+$/.test(arg)) return Number(arg);
      throw new Error(`unknown argument ${arg} in ${formula}`);
    });
    return (FUNCTIONS[call[1]] as (...values: unknown[]) => unknown)(...args);
  }

  it('computes what the engine computed, for the spilled, per-row and cut formulas of every model', () => {
    const headers = ['Omsætning', 'Potentiale', 'Andel af køb', 'Tilfredshed', 'Dækningsbidrag', 'Kunde siden', 'Dage for sent'];
    const columns: Partial<Record<RoleId, Cell[]>> = {
      revenue: [1200, 0, 850, 40, 3100, 640, 640, 90],
      potential: [5000, 300, 900, 2500, 3200, 700, 4000, 100],
      shareOfWallet: [0.24, 0, 0.94, 0.016, 0.97, 0.91, 0.16, 0.9],
      satisfaction: [4, 2, 5, 3, 4, 1, 5, 3],
      margin: [300, -20, 200, 10, 900, 150, 0, 25],
      since: ['2015-02-01', '2025-01-15', 45000, null, '2024-06-15', '01-03-2023', '2025-05-31', '2010-01-01'],
      daysLate: [0, 30, 5, null, 12, 45, 2, 0],
    };
    const roles = Object.keys(columns) as RoleId[];
    const rowCount = columns.revenue!.length;
    const table = buildCustomerTable(headers, Array.from({ length: rowCount }, (_, i) => roles.map((role) => columns[role]![i])));
    const spillRoles = Object.fromEntries(roles.map((role) => [role, `COLUMN_${role}`]));
    const rowRoles = Object.fromEntries(roles.map((role) => [role, `ROW_${role}`]));
    const spillCells = Object.fromEntries(roles.map((role) => [`COLUMN_${role}`, column(...columns[role]!)]));
    const checked: string[] = [];
    // rfm, clv and churn read columns this customer table has not (last order, repeat purchases,
    // weeks, a churn label) and write values only; lifetime-functions.test.ts and
    // churn-model.test.ts check SEGMENT.RFM, SEGMENT.CLV and SEGMENT.CHURN against them.
    const lifetimeModels = ['rfm', 'clv', 'churn'];
    expect(lifetimeModels.every((id) => CATALOG.some((model) => model.id === id && model.formula({ form: 'spill', roles: spillRoles, cuts: {}, settings: defaultSettings(model) }) === null))).toBe(true);
    for (const model of CATALOG.filter((candidate) => !lifetimeModels.includes(candidate.id))) {
      const settings = defaultSettings(model);
      // A fixed day instead of TODAY(), which this evaluator does not know: 2025-06-15.
      if ('asOf' in settings) settings.asOf = 45823;
      const result = model.run(table, settings);
      const expected = Array.from(result.tiers, (tier) => (tier < 0 ? '' : model.tiers[tier].id));
      const cutCells = Object.fromEntries(result.cuts.map((used) => [used.key, `Summary!${used.key}`]));
      const cutValues = Object.fromEntries(result.cuts.map((used) => [`Summary!${used.key}`, used.value]));
      const spill = model.formula({ form: 'spill', roles: spillRoles, cuts: cutCells, settings });
      if (spill) {
        expect(shown(evaluate(spill, { ...spillCells, ...cutValues }) as unknown[][])).toEqual(expected);
        checked.push(`${model.id} spill`);
      }
      const perRow = model.formula({ form: 'row', roles: rowRoles, cuts: cutCells, settings });
      if (perRow) {
        const rows = Array.from({ length: rowCount }, (_, i) => {
          const rowCells = Object.fromEntries(roles.map((role) => [`ROW_${role}`, cell(columns[role]![i])]));
          return shown(evaluate(perRow, { ...rowCells, ...cutValues }) as unknown[][])[0];
        });
        expect(rows).toEqual(expected);
        checked.push(`${model.id} row`);
      }
      for (const metric of result.metrics) {
        if (metric.format === 'text' || !metric.formula) continue;
        const perRowMetric = metric.formula({ form: 'row', roles: rowRoles, cuts: {}, settings })!;
        const values = Array.from({ length: rowCount }, (_, i) => {
          const rowCells = Object.fromEntries(roles.map((role) => [`ROW_${role}`, cell(columns[role]![i])]));
          return (evaluate(perRowMetric, rowCells) as unknown[][])[0][0];
        });
        expect(values).toEqual(Array.from(metric.values, (value) => (Number.isNaN(value) ? '' : value)));
        checked.push(`${model.id} ${metric.key}`);
      }
      for (const used of result.cuts) {
        const setting = model.settings.find((candidate) => candidate.key === used.key);
        if (setting?.kind !== 'cut' || !setting.role) continue;
        expect(evaluate(`SEGMENT.CUTOFF(VALUES,"${used.spec.method}",${used.spec.level})`, { VALUES: column(...columns[setting.role]!) })).toBe(used.value);
      }
    }
    // Score and the margin segment write values only; SEGMENT.SCORE is checked against the engine in consultancy-functions.test.ts.
    expect(checked).toEqual(['abcd spill', 'abcd row', 'pareto spill', 'pareto row', 'quadrant spill', 'quadrant row', 'value row', 'margin trueMargin']);
  });
});

describe('SEGMENT.CUTOFF', () => {
  it('returns the cut the engine uses, for every method in English and Danish', () => {
    expect(cut(REVENUE, 'pareto', 0.8)).toBe(300);
    expect(cut(REVENUE, 'Andel', 0.95)).toBe(60);
    expect(cut(REVENUE, 'pareto', '80 %')).toBe(300);
    // Sorted 40, 60, 100, 300, 500: 0.5 × 5 = 2.5 values below; 2 and 3 are as near, and the
    // lower cut wins, so the median cut is 100. 0.25 × 5 = 1.25 → 1 below, so the cut is 60.
    expect(cut(REVENUE, 'quantile', 0.5)).toBe(100);
    expect(cut(REVENUE, ' KVANTIL ', 0.25)).toBe(60);
    expect(cut(REVENUE, 'value', 123)).toBe(123);
    expect(cut(REVENUE, 'værdi', 1.5)).toBe(1.5);
  });

  it('rejects an unknown method and a level out of range with #VALUE! and a message saying what to change', () => {
    const method = failure(() => cut(REVENUE, 'median', 0.5));
    expect(method.code).toBe('#VALUE!');
    expect(method.message).toBe('Unknown cut method "median": use "pareto", "quantile" or "value".');
    const cases: [() => unknown, string][] = [
      [() => cut(REVENUE, 'pareto', 0), 'A Pareto cut takes a level above 0 and at most 1, not 0: for example 0.8 for 80 %.'],
      [() => cut(REVENUE, 'quantile', 1.5), 'A quantile cut takes a level above 0 and at most 1, not 1.5: for example 0.5 for the median.'],
      [() => cut(REVENUE, 'quantile', 50), 'A quantile cut takes a level above 0 and at most 1, not 50: write 0.5 for 50 %.'],
      [() => cut(REVENUE, 'pareto', null), 'The cut level must be a number.'],
    ];
    for (const [call, message] of cases) {
      const error = failure(call);
      expect(error.code).toBe('#VALUE!');
      expect(error.message).toBe(message);
    }
    (globalThis as Record<string, unknown>).Office = { context: { displayLanguage: 'da-DK' } };
    expect(failure(() => cut(REVENUE, 'kvantil', 1.5)).message).toBe('En kvantil-skæring tager et niveau over 0 og højst 1, ikke 1,5: for eksempel 0,5 for medianen.');
  });

  it('keeps a run of tied values on one side of a quantile cut, as the models do', () => {
    // Revenue 0, 0, 5: the median falls among the zeros; they stay together below, 5 is the cut.
    expect(cut(column(0, 0, 5), 'quantile', 0.5)).toBe(5);
    expect(cut(column(5, 0, 0), 'quantile', 0.5)).toBe(5);
    // Satisfaction 1, 1, 1, 5, 4: the three 1s go below, 4 and 5 at or above the cut 4.
    expect(cut(column(1, 1, 1, 5, 4), 'quantile', 0.5)).toBe(4);
  });

  it('answers #N/A when no value is positive, since a Pareto cut then has nothing to cut', () => {
    const error = failure(() => cut(column(0, -3, null), 'pareto', 0.8));
    expect(error.code).toBe('#N/A');
    expect(error.message).toBe('No positive values: a Pareto cut needs some.');
  });
});

describe('functions.json and functions-da.json', () => {
  const source = fileURLToPath(new URL('../src/functions/functions.ts', import.meta.url));

  async function generated() {
    const result = await generateCustomFunctionsMetadata(source);
    expect(result.errors).toEqual([]);
    return JSON.parse(result.metadataJson) as {
      functions: {
        id: string; name: string; description?: string;
        parameters: { name: string; description?: string; optional?: boolean; dimensionality?: string; type?: string }[];
        result: { dimensionality?: string; type?: string };
      }[];
    };
  }

  it('lists every function with its parameters, matrices where ranges go', async () => {
    const metadata = await generated();
    const summary = metadata.functions.map((fn) => ({
      id: fn.id,
      parameters: fn.parameters.map((p) => `${p.name}${p.optional ? '?' : ''}:${p.dimensionality ?? 'scalar'}`),
      result: fn.result.dimensionality ?? fn.result.type,
    }));
    expect(summary).toEqual([
      { id: 'ABCD', parameters: ['revenue:matrix', 'potential:matrix', 'revenueCut?:scalar', 'potentialCut?:scalar'], result: 'matrix' },
      { id: 'PARETO', parameters: ['values:matrix', 'aShare?:scalar', 'bShare?:scalar'], result: 'matrix' },
      { id: 'CUTOFF', parameters: ['values:matrix', 'method:scalar', 'level:scalar'], result: 'number' },
      {
        id: 'MARGIN',
        parameters: ['revenueOrMargin:matrix', 'costOfGoods?:matrix', 'costToServe?:matrix', 'hours?:matrix', 'hourlyRate?:scalar'],
        result: 'matrix',
      },
      { id: 'QUADRANT', parameters: ['shareOfWallet:matrix', 'satisfaction:matrix', 'shareCut?:scalar', 'satisfactionCut?:scalar'], result: 'matrix' },
      {
        id: 'VALUETIER',
        parameters: [
          'margin:matrix', 'since?:matrix', 'daysLate?:matrix', 'goldCut?:scalar', 'silverCut?:scalar', 'newMonths?:scalar', 'lateDays?:scalar', 'asOf?:scalar',
        ],
        result: 'matrix',
      },
      { id: 'SCORE', parameters: ['ratings:matrix', 'weights:matrix', 'directions?:matrix'], result: 'matrix' },
      { id: 'RFM', parameters: ['recency:matrix', 'frequency:matrix', 'monetary:matrix', 'groups?:scalar'], result: 'matrix' },
      {
        id: 'CLV',
        parameters: ['frequency:matrix', 'recency:matrix', 'age:matrix', 'spend:matrix', 'horizon?:scalar', 'discountRate?:scalar', 'marginShare?:scalar'],
        result: 'matrix',
      },
      { id: 'BGNBD', parameters: ['frequency:matrix', 'recency:matrix', 'age:matrix'], result: 'matrix' },
      { id: 'PALIVE', parameters: ['frequency:matrix', 'recency:matrix', 'age:matrix', 'params:matrix'], result: 'matrix' },
      { id: 'PURCHASES', parameters: ['horizon:scalar', 'frequency:matrix', 'recency:matrix', 'age:matrix', 'params:matrix'], result: 'matrix' },
      { id: 'GAMMAGAMMA', parameters: ['frequency:matrix', 'spend:matrix'], result: 'matrix' },
      { id: 'SPEND', parameters: ['frequency:matrix', 'spend:matrix', 'params:matrix'], result: 'matrix' },
      { id: 'CHURN', parameters: ['features:matrix', 'labels:matrix'], result: 'matrix' },
      { id: 'TWINS', parameters: ['candidateFeatures:matrix', 'referenceFeatures:matrix'], result: 'matrix' },
      { id: 'CLUSTER', parameters: ['features:matrix', 'k?:scalar'], result: 'matrix' },
    ]);
  });

  it('has a function for every model in the catalog', async () => {
    const ids = (await generated()).functions.map((fn) => fn.id);
    for (const model of CATALOG) expect(ids).toContain(model.functionName);
  });

  it('translates every function and parameter, keeping ids and shapes', async () => {
    const metadata = await generated();
    const danish = localizeMetadata(metadata, readDanishTexts());
    const ids = ['ABCD', 'PARETO', 'CUTOFF', 'MARGIN', 'QUADRANT', 'VALUETIER', 'SCORE', 'RFM', 'CLV', 'BGNBD', 'PALIVE', 'PURCHASES', 'GAMMAGAMMA', 'SPEND', 'CHURN', 'TWINS', 'CLUSTER'];
    expect(danish.functions.map((fn: { id: string }) => fn.id)).toEqual(ids);
    // Names are not translated: a formula names a function the same way in every language.
    expect(danish.functions.map((fn: { name: string }) => fn.name)).toEqual(ids);
    expect(danish.functions[2].parameters.map((p: { name: string }) => p.name)).toEqual(['værdier', 'metode', 'niveau']);
    expect(danish.functions[3].parameters.map((p: { name: string }) => p.name))
      .toEqual(['omsætning_eller_db', 'vareforbrug', 'serviceomkostninger', 'timer', 'timepris']);
    expect(danish.functions[4].parameters.map((p: { name: string }) => p.name)).toEqual(['andel_af_køb', 'tilfredshed', 'skæring_andel', 'skæring_tilfredshed']);
    expect(danish.functions[5].parameters.map((p: { name: string }) => p.name))
      .toEqual(['dækningsbidrag', 'kunde_siden', 'dage_for_sent', 'skæring_guld', 'skæring_sølv', 'nye_måneder', 'dage_sen_betaler', 'pr_dato']);
    expect(danish.functions[6].parameters.map((p: { name: string }) => p.name)).toEqual(['vurderinger', 'vægte', 'retninger']);
    expect(danish.functions[11].parameters.map((p: { name: string }) => p.name)).toEqual(['horisont', 'genkøb', 'seneste_køb', 'alder', 'parametre']);
    // Every description is translated: none is left empty or as the English one.
    (danish.functions as { description: string; parameters: { description: string }[] }[]).forEach((fn, i) => {
      expect(fn.description).not.toBe(metadata.functions[i].description);
      expect(fn.description).toMatch(/\S/);
      fn.parameters.forEach((parameter, j) => {
        expect(parameter.description).toMatch(/\S/);
        expect(parameter.description).not.toBe(metadata.functions[i].parameters[j].description);
      });
    });
    expect(danish.functions[0].parameters[2]).toMatchObject({ optional: true, type: 'any' });
    expect(() => localizeMetadata({ functions: [...metadata.functions, { id: 'NEW', name: 'NEW', parameters: [] }] }, readDanishTexts()))
      .toThrow('Danish custom-function texts missing for: NEW');
  });

  it('keeps every id and name out of cell-address shapes', async () => {
    const metadata = await generated();
    const danish = localizeMetadata(metadata, readDanishTexts());
    const names = [...metadata.functions.flatMap((fn) => [fn.id, fn.name]), ...danish.functions.map((fn: { name: string }) => fn.name)];
    // A1 style (up to three letters, then digits) or R1C1 style would be read as a reference.
    for (const name of names) expect(name).not.toMatch(/^([A-Z]{1,3}\d+|R\d*C\d*)$/i);
  });
});

describe('error values and data types in a range', () => {
  // What Excel hands a function with allowErrorForDataTypeAny and allowCustomDataForDataTypeAny on.
  const notAvailable = () => new CustomFunctions.Error(CustomFunctions.ErrorCode.notAvailable) as unknown as Cell;
  const divisionByZero = () => new CustomFunctions.Error(CustomFunctions.ErrorCode.divisionByZero) as unknown as Cell;
  const stock = { type: 'Entity', text: 'Contoso A/S', properties: { Price: { type: 'Double', basicValue: 101 } } } as unknown as Cell;
  const formattedNumber = { type: 'FormattedNumber', basicValue: 60, numberFormat: '#,##0 kr.' } as unknown as Cell;

  it('makes an error cell that row\'s #VALUE!, named with row and argument, and segments the other rows', () => {
    // Readable 500, 300, 60, 40 (total 900): 500 < 720, 800 ≥ 720, so A ≥ 300; 860 ≥ 855, so B ≥ 60.
    const result = pareto(column(500, notAvailable(), 300, 60, 40));
    expect(shown(result)).toEqual(['A', '#VALUE!', 'A', 'B', 'C']);
    expect((result[1][0] as CustomFunctions.Error).message).toBe('Row 2, values: the cell holds the error #N/A; this row gets no segment.');
  });

  it('names an entity by its text, never "[object Object]", and reads a formatted number as its number', () => {
    // Revenue 500, (entity), 300, 60 (formatted), 100; potential all 100 except 900 in row 4.
    const result = abcd(column(500, stock, 300, formattedNumber, 100), column(100, 100, 100, 900, 100));
    const messages = flat(result).map((cell) => (typeof cell === 'string' ? cell : (cell as CustomFunctions.Error).message));
    // Readable revenue 500, 300, 60, 100 (total 960): 500 < 768, 800 ≥ 768, so the revenue cut is 300.
    // Potential 900, 100, 100, 100, 100 (total 1300): 1000 < 1040, 1100 ≥ 1040, so the cut is 100 and every row is high.
    expect(messages).toEqual(['A', 'Row 2, revenue: "Contoso A/S" is a linked data type, not a number; this row gets no segment.', 'A', 'B', 'B']);
    expect(messages.join(' ')).not.toContain('[object Object]');
  });

  it('names the argument of an error in a second column, in Danish with Danish Excel\'s error name', () => {
    globalThis.Office = { context: { displayLanguage: 'da-DK' } } as unknown as typeof Office;
    const result = abcd(column(500, 300), column(100, divisionByZero()), 300, 100);
    expect((result[1][0] as CustomFunctions.Error).message).toBe('Række 2, potentiale: cellen indeholder fejlen #DIVISION/0!; rækken får intet segment.');
    expect(shown(result)).toEqual(['A', '#VALUE!']);
  });

  it('handles errors per row in the consultancy functions too', () => {
    const margins = margin(column(1000, 800), null as unknown as Cell[][], column(100, notAvailable()));
    expect(margins[0][0]).toBe(900);
    expect((margins[1][0] as CustomFunctions.Error).code).toBe('#VALUE!');
    expect((margins[1][0] as CustomFunctions.Error).message).toBe('Row 2, cost to serve: the cell holds the error #N/A; this row gets no margin.');
    const tiers = value(column(500, 300, 100), column(notAvailable(), null, null), null as unknown as Cell[][], 500, 300, null, null, 45823);
    expect((tiers[0][0] as CustomFunctions.Error).message).toBe('Row 1, customer since: the cell holds the error #N/A; this row gets no segment.');
    expect(shown(tiers).slice(1)).toEqual(['Silver', 'Bronze']);
  });

  it('leaves error cells out of a cut, as it leaves unreadable text out', () => {
    expect(cut(column(500, notAvailable(), 300, stock, 200), 'pareto', 0.8)).toBe(300);
  });
});
