import { afterEach, describe, expect, it } from 'vitest';
import { failure } from './support/excel-errors';
import { buildCustomerTable, defaultSettings, flattenTree, getModel, type FactorNode } from '../src/engine';


const { cut, margin, quadrant, score, value } = await import('../src/functions/functions');

type Cell = string | number | boolean | null;
const column = (...values: Cell[]): Cell[][] => values.map((entry) => [entry]);
const cell = (entry: Cell): Cell[][] => [[entry]];
const row = (...values: Cell[]): Cell[][] => [values];
/**
 * What Excel passes for a left-out argument. The optional ranges are declared `x?: unknown[][]`
 * (a `| null` would cost them their matrix shape in functions.json), so the null is cast here.
 */
const LEFT_OUT = null as unknown as undefined;

/** What Excel would show: the number or text, or the error's code. */
function shown(result: unknown[][]): (string | number)[] {
  return result.map(([entry]) => (typeof entry === 'string' || typeof entry === 'number' ? entry : (entry as CustomFunctions.Error).code));
}


function inDanish(): void {
  (globalThis as Record<string, unknown>).Office = { context: { displayLanguage: 'da-DK' } };
}

afterEach(() => {
  delete (globalThis as Record<string, unknown>).Office;
});

describe('SEGMENT.MARGIN', () => {
  const REVENUE = column(1000, 2000, 500);
  const GOODS = column(400, 1200, 300);
  const SERVE = column(100, 300, 250);
  const HOURS = column(0.5, 1, 0);

  it('subtracts each optional column only when it is given', () => {
    expect(shown(margin(REVENUE))).toEqual([1000, 2000, 500]);
    // 1000 − 400, 2000 − 1200, 500 − 300.
    expect(shown(margin(REVENUE, GOODS))).toEqual([600, 800, 200]);
    // … − 100, − 300, − 250.
    expect(shown(margin(REVENUE, GOODS, SERVE))).toEqual([500, 500, -50]);
    // Cost to serve alone: 1000 − 100, 2000 − 300, 500 − 250.
    expect(shown(margin(REVENUE, LEFT_OUT, SERVE))).toEqual([900, 1700, 250]);
  });

  it('prices hours at 650 by default and at the rate given', () => {
    // 500 − 0.5 × 650 = 175; 500 − 1 × 650 = −150; −50 − 0 = −50.
    expect(shown(margin(REVENUE, GOODS, SERVE, HOURS))).toEqual([175, -150, -50]);
    // At 100 an hour: 500 − 50 = 450; 500 − 100 = 400; −50.
    expect(shown(margin(REVENUE, GOODS, SERVE, HOURS, 100))).toEqual([450, 400, -50]);
    // Hours alone: 1000 − 325 = 675; 2000 − 650 = 1350; 500 − 0 = 500.
    expect(shown(margin(REVENUE, LEFT_OUT, LEFT_OUT, HOURS))).toEqual([675, 1350, 500]);
    expect(shown(margin(REVENUE, LEFT_OUT, LEFT_OUT, HOURS, '200'))).toEqual([900, 1800, 500]);
  });

  it('takes a gross-margin column as the base, with the other costs after it', () => {
    // Margin 600, 800, 200 less cost to serve 100, 300, 250 and hours at 650: 600 − 100 − 325 = 175; 800 − 300 − 650 = −150; −50.
    expect(shown(margin(column(600, 800, 200), LEFT_OUT, SERVE, HOURS))).toEqual([175, -150, -50]);
  });

  it('gives one value for single cells, as per-row formulas in a table call it', () => {
    // 1000 − 400 − 100 − 2 × 500 = −500.
    expect(shown(margin(cell(1000), cell(400), cell(100), cell(2), 500))).toEqual([-500]);
    // Text numbers: "kr. 1.250" is 1250; 1250 − 250 = 1000.
    expect(shown(margin(cell('kr. 1.250'), cell('250')))).toEqual([1000]);
  });

  it('leaves a row empty where any given input is blank, never reading blank as zero', () => {
    expect(shown(margin(REVENUE, GOODS, column(100, null, '')))).toEqual([500, '', '']);
    expect(shown(margin(column(1000, null, 500), GOODS))).toEqual([600, '', 200]);
    expect(shown(margin(REVENUE, LEFT_OUT, LEFT_OUT, column(0.5, null, 0)))).toEqual([675, '', 500]);
    expect(shown(margin(cell(1000), cell(''), cell(100)))).toEqual(['']);
  });

  it('marks unreadable cells #VALUE! in their own row only', () => {
    const result = margin(column(1000, 'abc', 500), LEFT_OUT, column(100, 100, 'n/a'));
    expect(shown(result)).toEqual([900, '#VALUE!', '#VALUE!']);
    expect((result[1][0] as CustomFunctions.Error).message).toBe('Row 2, revenue or margin: "abc" is not a number; this row gets no margin.');
    expect((result[2][0] as CustomFunctions.Error).message).toBe('Row 3, cost to serve: "n/a" is not a number; this row gets no margin.');
    inDanish();
    expect((margin(column(1000, 'abc'))[1][0] as CustomFunctions.Error).message).toBe('Række 2, omsætning eller dækningsbidrag: "abc" er ikke et tal; rækken får intet dækningsbidrag.');
  });

  it('rejects columns of other lengths, a wide range and a negative or unreadable hourly rate', () => {
    const mismatch = failure(() => margin(REVENUE, LEFT_OUT, column(1, 2)));
    expect(mismatch.code).toBe('#VALUE!');
    expect(mismatch.message).toBe('Revenue or margin has 3 rows and cost to serve has 2: give ranges of the same length.');
    expect(failure(() => margin([[1, 2]])).message).toBe('Give revenue or margin as one column (the range has 2 columns).');
    const negative = failure(() => margin(REVENUE, LEFT_OUT, LEFT_OUT, HOURS, -1));
    expect(negative.code).toBe('#VALUE!');
    expect(negative.message).toBe('The hourly rate must be 0 or more, not -1.');
    expect(failure(() => margin(REVENUE, LEFT_OUT, LEFT_OUT, HOURS, 'cheap')).message).toBe('The hourly rate must be a number, not "cheap".');
    inDanish();
    expect(failure(() => margin(REVENUE, GOODS, column(1, 2))).message)
      .toBe('Omsætning eller dækningsbidrag har 3 rækker og serviceomkostninger har 2: angiv områder af samme længde.');
  });
});

describe('SEGMENT.QUADRANT', () => {
  it('reads a share written 0.35, 35 or "35 %" as the same 35 %', () => {
    // All three are 35 % < the 50 % cut (low share); satisfaction 4 ≥ cut 4 (high): Grow.
    expect(shown(quadrant(column(0.35, 35, '35 %'), column(4, 4, 4), 0.5, 4))).toEqual(['Grow', 'Grow', 'Grow']);
    // At a 30 % cut (written 30, 0.3 or "30 %") all three are high: Model.
    expect(shown(quadrant(column(0.35, 35, '35 %'), column(4, 4, 4), 30, 4))).toEqual(['Model', 'Model', 'Model']);
    expect(shown(quadrant(column(0.35, 35, '35 %'), column(4, 4, 4), '30 %', 4))).toEqual(['Model', 'Model', 'Model']);
    for (const share of [0.35, 35, '35 %']) expect(shown(quadrant(cell(share), cell(4), 0.3, 4))).toEqual(['Model']);
  });

  it('cuts a 1–5 satisfaction scale at its median, ties high', () => {
    // Satisfaction sorted 1, 2, 3, 4, 5: median 3. Share cut 50 %.
    // 60 %/2 Fix; 20 %/5 Grow; 50 %/3 Model (both ties count as high); 80 %/4 Model; 10 %/1 Move.
    expect(shown(quadrant(column(0.6, 0.2, 0.5, 0.8, 0.1), column(2, 5, 3, 4, 1)))).toEqual(['Fix', 'Grow', 'Model', 'Model', 'Move']);
  });

  it('reads a column of whole percent points as percent points throughout: 80 and 1 are 80 % and 1 %', () => {
    // Share cut 50 %: 80 % high, 1 % low; satisfaction cut 4, both 4 (high).
    expect(shown(quadrant(column(80, 1), column(4, 4), 0.5, 4))).toEqual(['Model', 'Grow']);
    expect(shown(quadrant(column(80, 1), column(4, 4), 50, 4))).toEqual(['Model', 'Grow']);
    // With a "%" text in the column a bare 1 is still 100 %, as a lone cell's 1 is.
    expect(shown(quadrant(column('80 %', 1), column(4, 4), 0.5, 4))).toEqual(['Model', 'Model']);
    expect(shown(quadrant(cell(1), cell(4), 0.5, 4))).toEqual(['Model']);
    // What a per-row formula hands over for a percent-point column: the share already divided by 100.
    expect(shown(quadrant(cell(0.01), cell(4), 0.5, 4))).toEqual(['Grow']);
  });
  it('keeps tied answers together at the median, so a lopsided scale still has unsatisfied customers', () => {
    // Satisfaction 1, 1, 1, 5, 4: the median falls among the three 1s. Kept together below the cut,
    // they leave 4 and 5 at or above it (cut 4; 3 of 5 below, the split nearest half that exists).
    // Shares 80 %, 20 %, 60 %, 70 %, 30 % at 50 %: 80/1 Fix, 20/1 Move, 60/1 Fix, 70/5 Model, 30/4 Grow.
    const shares = column(0.8, 0.2, 0.6, 0.7, 0.3);
    expect(shown(quadrant(shares, column(1, 1, 1, 5, 4)))).toEqual(['Fix', 'Move', 'Fix', 'Model', 'Grow']);
    // Row order does not matter.
    expect(shown(quadrant(column(0.7, 0.3, 0.8, 0.2, 0.6), column(5, 4, 1, 1, 1)))).toEqual(['Model', 'Grow', 'Fix', 'Move', 'Fix']);
    // The answers of SEGMENT.CUTOFF for the same column, which the per-row formulas read.
    expect(cut(column(1, 1, 1, 5, 4), 'quantile', 0.5)).toBe(4);
  });

  it('cuts a 0–10 scale at its median, with shares in percent points', () => {
    // Sorted 3, 6, 7, 8, 9, 10: 0.5 × 6 = 3 values below the cut, so the cut is the fourth, 8.
    // 60/7 Fix; 20/9 Grow; 50/6 Fix (share tie high); 80/8 Model; 10/3 Move; 45/10 Grow.
    expect(shown(quadrant(column(60, 20, 50, 80, 10, 45), column(7, 9, 6, 8, 3, 10)))).toEqual(['Fix', 'Grow', 'Fix', 'Model', 'Move', 'Grow']);
  });

  it('cuts an NPS scale (−100 to 100) at its median, with shares as percent text', () => {
    // Sorted −50, −20, 10, 10, 40: median 10.
    // 70 %/−20 Fix; 30 %/40 Grow; 50 %/10 Model (ties); 90 %/−50 Fix; 10 %/10 Grow (tie high).
    expect(shown(quadrant(column('70 %', '30 %', '50 %', '90 %', '10 %'), column(-20, 40, 10, -50, 10)))).toEqual(['Fix', 'Grow', 'Model', 'Fix', 'Grow']);
  });

  it('takes given cuts over whole columns as values', () => {
    // Share cut 15 (= 15 %), satisfaction cut 4: 60 %/2 Fix; 20 %/5 Model; 50 %/3 Fix; 80 %/4 Model (tie); 10 %/1 Move.
    expect(shown(quadrant(column(0.6, 0.2, 0.5, 0.8, 0.1), column(2, 5, 3, 4, 1), 15, 4))).toEqual(['Fix', 'Model', 'Fix', 'Model', 'Move']);
    // Only the satisfaction cut given: the share keeps its 50 % default.
    expect(shown(quadrant(column(0.6, 0.2, 0.5, 0.8, 0.1), column(2, 5, 3, 4, 1), null, 4))).toEqual(['Fix', 'Grow', 'Fix', 'Model', 'Move']);
  });

  it('gives one row its segment from both cuts, ties high', () => {
    expect(shown(quadrant(cell(0.5), cell(3), 0.5, 3))).toEqual(['Model']);
    expect(shown(quadrant(cell(0.49), cell(3), 0.5, 3))).toEqual(['Grow']);
    expect(shown(quadrant(cell(50), cell(2.9), 50, 3))).toEqual(['Fix']);
    expect(shown(quadrant(cell('10 %'), cell(1), '50 %', 3))).toEqual(['Move']);
    expect(shown(quadrant(cell(null), cell(3), 0.5, 3))).toEqual(['']);
    expect(shown(quadrant(cell(0.7), cell(''), 0.5, 3))).toEqual(['']);
  });

  it('asks for both cuts for a single row, in English and Danish', () => {
    for (const call of [() => quadrant(cell(0.5), cell(3)), () => quadrant(cell(0.5), cell(3), 0.5)]) {
      const error = failure(call);
      expect(error.code).toBe('#VALUE!');
      expect(error.message).toBe(
        'For a single row, give the share of wallet cut and the satisfaction cut as numbers (for example from SEGMENT.CUTOFF over the whole column), or give SEGMENT.QUADRANT the whole column.',
      );
    }
    inDanish();
    expect(failure(() => quadrant(cell(0.5), cell(3))).message).toBe(
      'For en enkelt række skal skæringen for andel af køb og skæringen for tilfredshed angives som tal (for eksempel fra SEGMENT.CUTOFF over hele kolonnen), eller giv SEGMENT.QUADRANT hele kolonnen.',
    );
  });

  it('marks unreadable rows #VALUE! and rejects share cuts outside 0–100 % and columns of other lengths', () => {
    const result = quadrant(column(0.6, 'lots', 0.2), column(4, 4, 'good'), 0.5, 4);
    expect(shown(result)).toEqual(['Model', '#VALUE!', '#VALUE!']);
    expect((result[1][0] as CustomFunctions.Error).message).toBe('Row 2, share of wallet: "lots" is not a number; this row gets no segment.');
    const above = failure(() => quadrant(column(0.6, 0.2), column(4, 4), 150));
    expect([above.code, above.message]).toEqual(['#VALUE!', 'The share of wallet cut must be at most 100 %, not 150.']);
    const below = failure(() => quadrant(column(0.6, 0.2), column(4, 4), -0.1));
    expect([below.code, below.message]).toEqual(['#VALUE!', 'The share of wallet cut must be 0 or more, not -0.1.']);
    expect(failure(() => quadrant(column(0.6, 0.2), column(4, 4, 3))).message)
      .toBe('Share of wallet has 2 rows and satisfaction has 3: give ranges of the same length.');
  });
});

describe('SEGMENT.VALUETIER', () => {
  // Margins 500, 300, 100, 60, 40, 0, −20; positive total 1000.
  // Gold (Pareto 0.5): 500 ≥ 500 at once, so the Gold cut is 500.
  // Silver (Pareto 0.8): 500 < 800, 500 + 300 = 800 ≥ 800, so the Silver cut is 300.
  const MARGINS = column(500, 300, 100, 60, 40, 0, -20);
  // 2025-06-15 as an Excel serial: 2024-01-01 is 45292, + 366 (2024 is a leap year) = 45658 for
  // 2025-01-01, + 31 + 28 + 31 + 30 + 31 = 45809 for 2025-06-01, + 14 = 45823.
  const AS_OF = 45823;
  // 2025-01-15 = 45658 + 14 = 45672: five whole months before 2025-06-15.
  const FIVE_MONTHS_SERIAL = 45672;

  it('cuts at the Pareto 50 % and 80 % cuts, ties high; zero is Bronze, below zero Loss', () => {
    expect(shown(value(MARGINS))).toEqual(['Gold', 'Silver', 'Bronze', 'Bronze', 'Bronze', 'Bronze', 'Loss']);
  });

  it('puts the customer that crosses a Pareto boundary in the upper tier', () => {
    // 400, 300, 200, 100 (total 1000). Gold: 400 < 500, 700 ≥ 500, so the Gold cut is 300.
    // Silver: 700 < 800, 900 ≥ 800, so the Silver cut is 200.
    expect(shown(value(column(400, 300, 200, 100, null)))).toEqual(['Gold', 'Gold', 'Silver', 'Bronze', '']);
    // Just below each cut falls a tier: 299 is Silver, 199 Bronze (cuts given as values).
    expect(shown(value(column(300, 299, 200, 199), LEFT_OUT, LEFT_OUT, 300, 200))).toEqual(['Gold', 'Silver', 'Silver', 'Bronze']);
  });

  it('raises new Bronze customers to Silver as of the given day; a new loss stays Loss', () => {
    const since = column(
      '2019-05-01', // 500, an old customer: Gold
      null, //         300, no start date: Silver as it stands
      '2025-01-15', // 100, five months: Bronze raised to Silver
      '2024-06-15', //  60, exactly twelve months: not new, stays Bronze
      '16-06-2024', //  40, eleven months and thirty days (day first, as Danish sheets write): raised
      '2010-01-01', //   0, old: Bronze
      FIVE_MONTHS_SERIAL, // −20, five months (an Excel serial): a loss, so it stays Loss
    );
    expect(shown(value(MARGINS, since, LEFT_OUT, null, null, null, null, AS_OF)))
      .toEqual(['Gold', 'Silver', 'Silver', 'Bronze', 'Silver', 'Bronze', 'Loss']);
    // A new Gold customer stays Gold: the rule raises, never lowers.
    expect(shown(value(cell(900), cell('2025-05-01'), LEFT_OUT, 500, 300, 12, 15, AS_OF))).toEqual(['Gold']);
    // With newMonths 3, five months is no longer new: Bronze and Loss stay.
    expect(shown(value(MARGINS, since, LEFT_OUT, null, null, 3, null, AS_OF)))
      .toEqual(['Gold', 'Silver', 'Bronze', 'Bronze', 'Bronze', 'Bronze', 'Loss']);
  });

  it('counts customer age to today when no day is given', () => {
    const now = new Date();
    const pad = (n: number) => String(n).padStart(2, '0');
    const today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
    // A customer since today is zero months old: new; one since 2000 is not.
    expect(shown(value(column(100, 100, 900), column(today, '2000-01-01', null)))).toEqual(['Silver', 'Bronze', 'Gold']);
  });

  it('keeps a late payer in its tier (the late-payer rule only caps the discount)', () => {
    // 500 is 40 days late, well over the 15 allowed: still Gold. 300 is 16 days late: still Silver.
    expect(shown(value(MARGINS, LEFT_OUT, column(40, 16, 0, null, 3, 90, 100)))).toEqual(['Gold', 'Silver', 'Bronze', 'Bronze', 'Bronze', 'Bronze', 'Loss']);
    expect(shown(value(cell(500), cell(''), cell(60), 500, 300, 12, 15, AS_OF))).toEqual(['Gold']);
  });

  it('gives one row its tier from the cut values, as the plan writes it', () => {
    // As the plan writes it: SEGMENT.VALUETIER(E5,"","",Summary!$D$12,Summary!$D$13,12,15,45823) with cuts 500 and 300.
    expect(shown(value(cell(500), cell(''), cell(''), 500, 300, 12, 15, AS_OF))).toEqual(['Gold']);
    expect(shown(value(cell(300), cell(''), cell(''), 500, 300, 12, 15, AS_OF))).toEqual(['Silver']);
    expect(shown(value(cell(299.99), cell(''), cell(''), 500, 300, 12, 15, AS_OF))).toEqual(['Bronze']);
    expect(shown(value(cell(0), cell(''), cell(''), 500, 300, 12, 15, AS_OF))).toEqual(['Bronze']);
    expect(shown(value(cell(-1), cell(''), cell(''), 500, 300, 12, 15, AS_OF))).toEqual(['Loss']);
    expect(shown(value(cell(-1), cell('2025-01-15'), cell(''), 500, 300, 12, 15, AS_OF))).toEqual(['Loss']);
    expect(shown(value(cell(60), cell('2025-01-15'), cell(''), 500, 300, 12, 15, AS_OF))).toEqual(['Silver']);
    expect(shown(value(cell(null), cell('2025-01-15'), cell(''), 500, 300, 12, 15, AS_OF))).toEqual(['']);
  });

  it('asks for both cuts for a single row', () => {
    const error = failure(() => value(cell(500), cell(''), cell(''), 500));
    expect(error.code).toBe('#VALUE!');
    expect(error.message).toBe(
      'For a single row, give the Gold cut and the Silver cut as numbers (for example from SEGMENT.CUTOFF over the whole column), or give SEGMENT.VALUETIER the whole column.',
    );
  });

  it('marks unreadable margins, dates and days late #VALUE! in their own row only', () => {
    const result = value(column(500, 300, 'abc', 100), column(null, 'soon', null, null), column(0, 0, 0, 'late'), null, null, null, null, AS_OF);
    // Readable margins 500, 300, 100 (total 900): Gold cut 500 (≥ 450), Silver cut 300 (800 ≥ 720).
    expect(shown(result)).toEqual(['Gold', '#VALUE!', '#VALUE!', '#VALUE!']);
    expect((result[1][0] as CustomFunctions.Error).message).toBe('Row 2, customer since: "soon" is not a date; this row gets no segment.');
    expect((result[2][0] as CustomFunctions.Error).message).toBe('Row 3, margin: "abc" is not a number; this row gets no segment.');
    expect((result[3][0] as CustomFunctions.Error).message).toBe('Row 4, days late: "late" is not a number; this row gets no segment.');
    inDanish();
    const danish = value(column(500, 300), column(null, 'snart'));
    expect((danish[1][0] as CustomFunctions.Error).message).toBe('Række 2, kunde siden: "snart" er ikke en dato; rækken får intet segment.');
  });

  it('rejects a Gold cut below the Silver cut, negative months or days, and an unreadable day', () => {
    const order = failure(() => value(MARGINS, LEFT_OUT, LEFT_OUT, 100, 300));
    expect(order.code).toBe('#VALUE!');
    expect(order.message).toBe(
      'Value tiers and terms: the Gold cut (value 100) must be stricter than the Silver cut (value 300), else the segment between them stays empty: give the Gold cut a value of at least 300.',
    );
    // Only the Silver cut given, above the default Gold cut (Pareto 50 %: 500) on this data.
    expect(failure(() => value(MARGINS, LEFT_OUT, LEFT_OUT, null, 600)).message).toBe(
      'Value tiers and terms: on this data the Gold cut (500) is below the Silver cut (600), so the segment between them stays empty: set the Gold cut above the Silver cut.',
    );
    const months = failure(() => value(MARGINS, LEFT_OUT, LEFT_OUT, null, null, -1));
    expect([months.code, months.message]).toEqual(['#VALUE!', 'The months a customer counts as new must be 0 or more, not -1.']);
    const days = failure(() => value(MARGINS, LEFT_OUT, LEFT_OUT, null, null, 12, -5));
    expect([days.code, days.message]).toEqual(['#VALUE!', 'The days late allowed must be 0 or more, not -5.']);
    expect(failure(() => value(MARGINS, LEFT_OUT, LEFT_OUT, null, null, 12, 'soon')).message).toBe('The days late allowed must be a number, not "soon".');
    const day = failure(() => value(MARGINS, LEFT_OUT, LEFT_OUT, null, null, 12, 15, 'tomorrow'));
    expect(day.code).toBe('#VALUE!');
    expect(day.message).toBe('The as-of date must be a date (an Excel date or text such as 2025-01-31), not "tomorrow".');
    expect(failure(() => value(MARGINS, column(null, null))).message).toBe('Margin has 7 rows and customer since has 2: give ranges of the same length.');
  });
});

describe('SEGMENT.SCORE', () => {
  // Revenue (higher is better), satisfaction (higher), days late (lower is better).
  const RATINGS: Cell[][] = [
    [100, 4, 10],
    [300, 2, 0],
    [200, 5, 30],
    [500, 3, 20],
    [400, null, 5],
  ];
  // Weights 2, 1, 1 add up to 4: 0.5, 0.25, 0.25.
  // Revenue on 100–500: 0, 0.5, 0.25, 1. Satisfaction on 2–5: 2/3, 0, 1, 1/3.
  // Days late on 0–30, turned round: 1 − 10/30 = 2/3, 1, 0, 1 − 20/30 = 1/3.
  // Scores × 100: 0 + 1/6 + 1/6 = 33.33; 0.25 + 0 + 0.25 = 50; 0.125 + 0.25 + 0 = 37.5; 0.5 + 1/12 + 1/12 = 66.67.
  // The last row has no satisfaction: no score.
  const EXPECTED = [100 / 3, 50, 37.5, 200 / 3];

  function scores(result: unknown[][]): (string | number)[] {
    return shown(result);
  }

  function expectScores(result: unknown[][], expected: (number | string)[]): void {
    const actual = scores(result);
    expect(actual).toHaveLength(expected.length);
    expected.forEach((want, i) => (typeof want === 'number' ? expect(actual[i]).toBeCloseTo(want, 10) : expect(actual[i]).toBe(want)));
  }

  it('scores three factors by hand, one of them lower-is-better, with weights that do not sum to 1', () => {
    expectScores(score(RATINGS, row(2, 1, 1), row('higher', 'higher', 'lower')), [...EXPECTED, '']);
    // The same directions in Danish, as 1 / −1, and in any case; the same weights as shares or percent.
    expectScores(score(RATINGS, row(0.5, 0.25, 0.25), row('Højere', 'højere', 'LAVERE')), [...EXPECTED, '']);
    expectScores(score(RATINGS, row('50 %', '25 %', '25 %'), row(1, 1, -1)), [...EXPECTED, '']);
    // Weights given as a column of three cells work too.
    expectScores(score(RATINGS, column(2, 1, 1), row(1, '', -1)), [...EXPECTED, '']);
  });

  it('counts every column as higher-is-better without directions', () => {
    // Days late not turned round: 1/3, 0, 1, 2/3. Scores × 100: 0 + 1/6 + 1/12 = 25; 0.25 + 0 + 0 = 25;
    // 0.125 + 0.25 + 0.25 = 62.5; 0.5 + 1/12 + 1/6 = 75.
    expectScores(score(RATINGS, row(2, 1, 1)), [25, 25, 62.5, 75, '']);
  });

  it('leaves out a column of weight 0, so its blanks do not blank a row', () => {
    // Revenue alone: (400 − 100) / 400 = 0.75 for the last row.
    expectScores(score(RATINGS, row(1, 0, 0)), [0, 50, 25, 100, 75]);
  });

  it('marks an unreadable rating #VALUE! in its row only', () => {
    const result = score([[1, 'abc'], [2, 10], [3, 20]], row(1, 1));
    // The readable second column is 10–20: rows 2 and 3 score (0.5 × 0.5 + 0.5 × 0) and (0.5 × 1 + 0.5 × 1).
    expectScores(result, ['#VALUE!', 25, 100]);
    expect((result[0][0] as CustomFunctions.Error).message).toBe('Row 1, rating column 2: "abc" is not a number; this row gets no score.');
  });

  it('rejects mismatched widths, naming both sizes', () => {
    const weights = failure(() => score(RATINGS, row(1, 1)));
    expect(weights.code).toBe('#VALUE!');
    expect(weights.message).toBe('The ratings have 3 columns but the weights have 2 cells: give one weight per rating column.');
    const directions = failure(() => score(RATINGS, row(1, 1, 1), row('higher', 'lower', 'lower', 'higher')));
    expect(directions.message).toBe('The ratings have 3 columns but the directions have 4 cells: give one direction per rating column.');
    inDanish();
    expect(failure(() => score(RATINGS, row(1, 1))).message)
      .toBe('Vurderingerne har 3 kolonner, men vægtene har 2 celler: angiv én vægt pr. kolonne med vurderinger.');
  });

  it('rejects negative, blank and all-zero weights, unknown directions and a single row', () => {
    const negative = failure(() => score(RATINGS, row(2, -1, 1)));
    expect([negative.code, negative.message]).toEqual(['#VALUE!', 'Weight 2 is -1: weights must be 0 or more.']);
    const zero = failure(() => score(RATINGS, row(0, 0, 0)));
    expect(zero.code).toBe('#VALUE!');
    expect(zero.message).toBe('The weights add up to 0: give at least one weight above 0.');
    expect(failure(() => score(RATINGS, row(2, null, 1))).message).toBe('Weight 2 must be a number, not "": give a weight for every rating column.');
    expect(failure(() => score(RATINGS, row(2, 1, 1), row('higher', 'up', 'lower'))).message)
      .toBe('Unknown direction "up": use "higher" or "lower" (or 1 and -1).');
    expect(failure(() => score(row(100, 4, 10), row(1, 1, 1))).code).toBe('#VALUE!');
    expect(failure(() => score(RATINGS, [[1, 1], [1, 1]])).message).toBe('Give the weights as one row of cells (the range has 2 rows and 2 columns).');
  });
});

describe('the functions agree with the models that the task pane runs', () => {
  it('SEGMENT.MARGIN gives the margin model\'s true margin', () => {
    const headers = ['Omsætning', 'Vareforbrug', 'Serviceomkostninger', 'Timer'];
    const rows = [[1000, 400, 100, 0.5], [2000, 1200, 300, 1], [500, 300, 250, 0], [800, null, 50, 2]];
    const model = getModel('margin');
    const result = model.run(buildCustomerTable(headers, rows), defaultSettings(model));
    const engine = result.metrics.find((metric) => metric.key === 'trueMargin')!;
    const values = engine.format === 'text' ? [] : Array.from(engine.values, (v) => (Number.isNaN(v) ? '' : v));
    const pick = (index: number) => rows.map((cells) => [cells[index]]);
    expect(shown(margin(pick(0), pick(1), pick(2), pick(3)))).toEqual(values);
  });

  it('SEGMENT.SCORE gives the score model\'s score for a flat factor tree', () => {
    const headers = ['Omsætning', 'Tilfredshed', 'Dage for sent'];
    const rows = [[100, 4, 10], [300, 2, 0], [200, 5, 30], [500, 3, 20], [400, null, 5]];
    const factors: FactorNode = {
      id: 'root', name: 'Score', weight: 1, children: [
        // SEGMENT.SCORE scales each column by its min–max, so the tree it is compared with does too.
        { id: 'revenue', name: 'Revenue', weight: 2, source: 'role:revenue', direction: 'higher', scale: 'minmax' },
        { id: 'satisfaction', name: 'Satisfaction', weight: 1, source: 'role:satisfaction', direction: 'higher', scale: 'minmax' },
        { id: 'late', name: 'Days late', weight: 1, source: 'role:daysLate', direction: 'lower', scale: 'minmax' },
      ],
    };
    const table = buildCustomerTable(headers, rows);
    const model = getModel('score');
    const settings = { ...defaultSettings(model), factors };
    const engine = model.run(table, settings).metrics.find((metric) => metric.key === 'score')!;
    const { leaves } = flattenTree(table, factors, 650);
    const result = score(rows, [leaves.map((leaf) => leaf.weight)], [leaves.map((leaf) => leaf.node.direction ?? 'higher')]);
    const expected = engine.format === 'text' ? [] : Array.from(engine.values, (v) => (Number.isNaN(v) ? '' : v));
    expect(shown(result)).toEqual(expected);
  });
});
