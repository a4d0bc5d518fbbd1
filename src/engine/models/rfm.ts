import { customerKey } from '../lifetime/log-table';
import { rfmScores, type GroupCount, type QuantileScores } from '../lifetime/rfm-scores';
import { summarizeTransactions } from '../lifetime/transactions';
import { counted, NOUNS } from '../lifetime/wording';
import { formatAmount, formatNumber, inputsOf, numberSetting, tierName, type DataSetting, type ModelDefinition, type ModelSettings, type TierDefinition } from '../model';
import { PALETTE } from '../palette';
import { serialToJsDate } from '../parse';
import type { CustomerTable, OrderLogLink } from '../table';
import { lazyLocalized, type Language, type Localized } from '../types';

/**
 * RFM: R = days since the last order as of an analysis date, F = orders, M = revenue (total or
 * per order). Each is scored 1..g (g = 3, 4 or 5) by quantile groups in which equal values always
 * get equal scores (lifetime/rfm-scores.ts, min-rank shares: the lowest value scores 1), so the
 * scores never depend on the row order. The
 * named segment comes from the R × F grid, a 5 × 5 table in which every cell names a segment:
 * there is no "Others". With 3 or 4 groups a score is placed on the grid's 1–5 scale first
 * (gridPosition). M is shown but does not pick the segment, as in the usual R × F segment maps.
 */

export const RFM_TIER_IDS = [
  'Champions', 'Loyal', 'Potential loyalist', 'New', 'Promising', 'Need attention', 'About to sleep', 'At risk', "Can't lose them", 'Hibernating', 'Lost',
] as const;
export type RfmTierId = (typeof RFM_TIER_IDS)[number];

/** The grid as stored: GRID[r − 1][f − 1] is the segment of R score r and F score f (on the 1–5 scale). */
export type RfmGrid = RfmTierId[][];

/**
 * The usual R × F segment map (R rows from 1 = longest ago, F columns from 1 = fewest orders), with
 * its two lowest cells split so that a one-time buyer from longest ago is Lost, not Hibernating.
 */
export const DEFAULT_RFM_GRID: RfmGrid = [
  ['Lost', 'Hibernating', 'At risk', 'At risk', "Can't lose them"],
  ['Hibernating', 'Hibernating', 'At risk', 'At risk', "Can't lose them"],
  ['About to sleep', 'About to sleep', 'Need attention', 'Loyal', 'Loyal'],
  ['Promising', 'Potential loyalist', 'Potential loyalist', 'Loyal', 'Loyal'],
  ['New', 'Potential loyalist', 'Potential loyalist', 'Champions', 'Champions'],
];

/** What is wrong with a grid from the workbook or the pane: 5 rows of 5 known segment names. Empty when fine. */
export function rfmGridProblems(grid: unknown): string[] {
  if (!Array.isArray(grid) || grid.length !== 5) return ['The R × F grid must have 5 rows (R 1 to 5).'];
  const problems: string[] = [];
  grid.forEach((row, r) => {
    if (!Array.isArray(row) || row.length !== 5) { problems.push(`R ${r + 1}: the row must have 5 cells (F 1 to 5).`); return; }
    row.forEach((cell, f) => {
      if (!RFM_TIER_IDS.includes(cell as RfmTierId)) problems.push(`R ${r + 1}, F ${f + 1}: "${String(cell)}" is not one of ${RFM_TIER_IDS.join(', ')}.`);
    });
  });
  return problems;
}

function gridSetting(settings: ModelSettings): RfmGrid {
  const grid = settings.grid;
  const problems = rfmGridProblems(grid);
  if (problems.length > 0) throw new Error(`The RFM grid is not complete: ${problems.join(' ')}`);
  return grid as unknown as RfmGrid;
}

/** A score of 1..groups on the grid's 1–5 scale: 3 groups → 1, 3, 5; 4 groups → 1, 2, 4, 5. */
export function gridPosition(score: number, groups: GroupCount): number {
  return Math.round(((score - 1) * 4) / (groups - 1)) + 1;
}

function groupSetting(settings: ModelSettings): GroupCount {
  const groups = Number(settings.groups);
  if (groups !== 3 && groups !== 4 && groups !== 5) throw new Error(`Setting groups must be 3, 4 or 5, not ${String(settings.groups)}.`);
  return groups;
}

const tier = (id: RfmTierId, label: Localized, colors: { fill: string; font: string }, priority: number, action: Localized): TierDefinition => ({ id, label, ...colors, priority, action });

const RFM_TIERS: TierDefinition[] = [
  tier('Champions', { en: 'Champions: bought recently, buy often', da: 'Topkunder: har købt for nylig og køber ofte' }, PALETTE.green, 3,
    { en: 'Reward and keep close: early access, referrals, no discounts needed', da: 'Beløn og hold tæt: tidlig adgang, anbefalinger, ingen rabat nødvendig' }),
  tier('Loyal', { en: 'Loyal: buy often, not long ago', da: 'Loyale: køber ofte, for ikke længe siden' }, PALETTE.blue, 3,
    { en: 'Upsell higher-value products; ask for reviews', da: 'Mersalg af dyrere varer; bed om anmeldelser' }),
  tier('Potential loyalist', { en: 'Potential loyalist: recent, a few orders', da: 'Potentielt loyale: for nylig, nogle få ordrer' }, PALETTE.sky, 3,
    { en: 'Offer membership or a loyalty programme; recommend related products', da: 'Tilbyd medlemskab eller loyalitetsprogram; anbefal relaterede varer' }),
  tier('New', { en: 'New: bought very recently, once', da: 'Nye: har købt for ganske nylig, én gang' }, PALETTE.yellow, 4,
    { en: 'Welcome and help them to the second order', da: 'Byd velkommen og hjælp dem til anden ordre' }),
  tier('Promising', { en: 'Promising: recent, one order', da: 'Lovende: for nylig, én ordre' }, PALETTE.yellow, 4,
    { en: 'Build awareness: a reason to come back soon', da: 'Skab opmærksomhed: en grund til at komme igen snart' }),
  tier('Need attention', { en: 'Need attention: average on both', da: 'Kræver opmærksomhed: middel på begge' }, PALETTE.orange, 2,
    { en: 'A limited-time offer based on what they bought', da: 'Et tidsbegrænset tilbud ud fra det, de har købt' }),
  tier('About to sleep', { en: 'About to sleep: fading, few orders', da: 'Ved at sove ind: falmende, få ordrer' }, PALETTE.orange, 3,
    { en: 'Reactivate with popular products before they are lost', da: 'Genaktivér med populære varer, før de er tabt' }),
  tier('At risk', { en: 'At risk: bought often, long ago', da: 'I risiko: købte ofte, for længe siden' }, PALETTE.vermillion, 1,
    { en: 'Win back now: personal contact and a renewal offer', da: 'Vind tilbage nu: personlig kontakt og et fornyelsestilbud' }),
  tier("Can't lose them", { en: "Can't lose them: the most orders, but long ago", da: 'Må ikke mistes: flest ordrer, men for længe siden' }, PALETTE.purple, 1,
    { en: 'Call them first: find out why they stopped and win them back', da: 'Ring til dem først: find ud af, hvorfor de stoppede, og vind dem tilbage' }),
  tier('Hibernating', { en: 'Hibernating: long ago, few orders', da: 'I dvale: for længe siden, få ordrer' }, PALETTE.grey, 5,
    { en: 'Low-cost reactivation only: a newsletter or a relevant offer', da: 'Kun billig genaktivering: nyhedsbrev eller et relevant tilbud' }),
  tier('Lost', { en: 'Lost: one order, longest ago', da: 'Tabte: én ordre, længst siden' }, PALETTE.black, 5,
    { en: 'Do not spend on them; try once to win back, then let go', da: 'Brug ikke penge på dem; prøv én gang at vinde dem tilbage, og giv så slip' }),
];

const WORDS = {
  days: { en: 'days', da: 'dage' },
  day: { en: 'day', da: 'dag' },
  orders: { en: 'orders', da: 'ordrer' },
  order: { en: 'order', da: 'ordre' },
  missing: { en: 'no segment: {what} is missing', da: 'intet segment: {what} mangler' },
  lastOrder: { en: 'Last order', da: 'Seneste køb' },
  ordersLabel: { en: 'Orders', da: 'Antal ordrer' },
  revenue: { en: 'Revenue', da: 'Omsætning' },
} satisfies Record<string, Localized>;

/** "12 days" against the score's group "0–18": how a row's value sits in its group. */
function groupRange(scores: QuantileScores, score: number, language: Language, decimals: number): string {
  // Every row's explanation names its group's range: a few distinct texts, asked for thousands of times.
  let known = groupRanges.get(scores);
  if (!known) groupRanges.set(scores, (known = new Map()));
  const key = `${score} ${language} ${decimals}`;
  let range = known.get(key);
  if (range === undefined) known.set(key, (range = formatGroupRange(scores, score, language, decimals)));
  return range;
}

const groupRanges = new WeakMap<QuantileScores, Map<string, string>>();

function formatGroupRange(scores: QuantileScores, score: number, language: Language, decimals: number): string {
  const cut = scores.cuts[score - 1];
  const show = (value: number) => (decimals > 0 ? formatNumber(value, language, decimals) : formatAmount(value, language));
  return cut.min === cut.max ? show(cut.min) : `${show(cut.min)}–${show(cut.max)}`;
}

/** The note behind one score: "R (days since the last order): 5 = 0–18 (870), 4 = 19–50 (…), …". */
function cutsNote(label: Localized, scores: QuantileScores, decimals: number): Localized {
  const text = (language: Language) => {
    const groups = [...scores.cuts].reverse().map((cut) => {
      if (cut.count === 0) return `${cut.score} = ${language === 'da' ? 'ingen (en række ens værdier spænder over gruppen)' : 'none (a run of equal values spans the group)'}`;
      return `${cut.score} = ${groupRange(scores, cut.score, language, decimals)} (${formatNumber(cut.count, language, 0)})`;
    });
    return `${label[language]}: ${groups.join(', ')}.`;
  };
  return { en: text('en'), da: text('da') };
}

function isoDay(serial: number): string {
  return serialToJsDate(serial).toISOString().slice(0, 10);
}

/**
 * The analysis date the run uses: the setting; else the day after the last day an order log
 * covers (table.observedUntil), the same day CLV counts customer age to; else the day after the
 * last order in the table.
 */
function analysisDate(settings: ModelSettings, table: CustomerTable, lastOrder: Float64Array): number {
  const set = numberSetting(settings, 'asOf');
  if (set) return Math.floor(set);
  if (table.observedUntil !== undefined) return Math.floor(table.observedUntil) + 1;
  let last = -Infinity;
  for (let i = 0; i < lastOrder.length; i++) if (lastOrder[i] > last) last = lastOrder[i];
  return Number.isFinite(last) ? Math.floor(last) + 1 : 0;
}

/** R, F and M's inputs per table row: last order (serial day), orders, net revenue; NaN where none. */
interface History {
  lastOrder: Float64Array;
  orders: Float64Array;
  revenue: Float64Array;
}

/**
 * R, F and M's inputs from the order log, as of the analysis date: each table row's customer
 * (matched by customerKey) with the last purchase day, the distinct orders and the net revenue
 * (purchases minus credit notes) up to the day before `asOf`. The summary made with the table
 * serves when it ends there; otherwise the log's lines are summarised again to that day, and the
 * lines after it are counted (`leftOut`): an analysis date inside the log back-tests, as of that day.
 */
function historyFromLog(table: CustomerTable, link: OrderLogLink, asOf: number): History & { leftOut: number; lastLogDay: number } {
  const summaries = asOf - 1 === link.summaries.calibrationEnd ? link.summaries : summarizeTransactions(link.lines, { calibrationEnd: asOf - 1 });
  const leftOut = summaries === link.summaries ? 0 : summaries.lines.holdout + summaries.lines.afterHoldout;
  const index = new Map<string, number>();
  summaries.ids.forEach((id, c) => index.set(customerKey(id), c));
  const n = table.rowCount;
  const history: History = { lastOrder: new Float64Array(n).fill(NaN), orders: new Float64Array(n).fill(NaN), revenue: new Float64Array(n).fill(NaN) };
  const ids = table.texts.id ?? [];
  for (let i = 0; i < n; i++) {
    const c = ids[i] ? index.get(customerKey(ids[i])) : undefined;
    if (c === undefined || summaries.inCalibration[c] !== 1) continue;
    history.lastOrder[i] = summaries.lastDay[c];
    history.orders[i] = summaries.orders[c];
    history.revenue[i] = summaries.revenue[c];
  }
  return { ...history, leftOut, lastLogDay: summaries.holdoutEnd };
}

/**
 * Quantile scores place a customer among the others; with few customers per group one customer
 * moves a cut and ties leave groups empty, so a score says little more than a rank. Five per
 * group, the usual least expected count per cell (Cochran 1954), is the minimum: 25 customers
 * for 5 groups, 20 for 4, 15 for 3.
 */
export const MIN_CUSTOMERS_PER_GROUP = 5;

/** The note when fewer customers have a last order than MIN_CUSTOMERS_PER_GROUP × groups; null otherwise. */
function fewCustomersNote(customers: number, groups: GroupCount): Localized | null {
  const needed = MIN_CUSTOMERS_PER_GROUP * groups;
  if (customers >= needed) return null;
  return {
    en: `Too few customers for ${groups} score groups: ${counted(customers, NOUNS.customer, 'en')} with a last order, where quantile scores need at least ${needed} (${MIN_CUSTOMERS_PER_GROUP} per group) to say more than each customer's rank; read the scores and segments with care, or choose fewer groups.`,
    da: `For få kunder til ${groups} scoregrupper: ${counted(customers, NOUNS.customer, 'da')} med et seneste køb, hvor kvantilscorer kræver mindst ${needed} (${MIN_CUSTOMERS_PER_GROUP} pr. gruppe) for at sige mere end hver kundes placering; læs scorer og segmenter med forsigtighed, eller vælg færre grupper.`,
  };
}

/**
 * Refuses an analysis date on or before a customer's last order: recency would be 0 or negative
 * and orders after the date would count. The sentence (en/da) says how many and the latest order.
 * Only for a customer table's Last order column: an order log is summarised as of the date instead.
 */
function requireOrdersBefore(asOf: number, lastOrder: Float64Array): void {
  let after = 0;
  let latest = -Infinity;
  for (let i = 0; i < lastOrder.length; i++) {
    if (Math.floor(lastOrder[i]) >= asOf) after++;
    if (lastOrder[i] > latest) latest = lastOrder[i];
  }
  if (after === 0) return;
  throw new RfmDateError({
    en: `the analysis date ${isoDay(asOf)} is on or before the last order of ${counted(after, NOUNS.customer, 'en')} (the latest ${isoDay(Math.floor(latest))}): choose a day after the last order, or leave the analysis date empty`,
    da: `analysedatoen ${isoDay(asOf)} ligger på eller før seneste køb for ${counted(after, NOUNS.customer, 'da')} (det seneste ${isoDay(Math.floor(latest))}): vælg en dag efter seneste køb, eller lad analysedatoen stå tom`,
  });
}

/** An analysis date RFM cannot count recency to; `text` is why, as a clause (segment() leaves the model out with it). */
export class RfmDateError extends Error {
  constructor(readonly text: Localized) {
    super(text.en);
    this.name = 'RfmDateError';
  }
}

export const rfm: ModelDefinition = {
  id: 'rfm',
  name: { en: 'RFM segments', da: 'RFM-segmenter' },
  description: {
    en: 'Who is loyal, new, at risk or lost: recency, frequency and monetary scores 1–5 by quantiles (equal values, equal scores), and a named segment from an R × F grid in which every cell has a name.',
    da: 'Hvem er loyale, nye, i risiko eller tabte: scorer 1–5 for hvor nyligt, hvor ofte og for hvor meget efter kvantiler (ens værdier, ens score), og et navngivet segment fra et R × F-gitter, hvor hver celle har et navn.',
  },
  columnHeader: 'Segment RFM',
  functionName: 'RFM',
  inputs: ['lastOrder', 'orders', 'revenue'],
  settings: [
    {
      key: 'asOf', kind: 'date', label: { en: 'Analysis date (0: the day after the last order, or after the order log’s last day)', da: 'Analysedato (0: dagen efter seneste køb eller efter ordrelogens sidste dag)' },
      empty: { en: 'Empty: the day after the last order in the table.', da: 'Tomt: dagen efter seneste køb i tabellen.' },
    },
    { key: 'groups', kind: 'choice', label: { en: 'Score groups', da: 'Scoregrupper' }, options: [
      { value: '5', label: { en: '5 (quintiles)', da: '5 (kvintiler)' } },
      { value: '4', label: { en: '4 (quartiles)', da: '4 (kvartiler)' } },
      { value: '3', label: { en: '3 (terciles)', da: '3 (tertiler)' } },
    ] },
    { key: 'monetary', kind: 'choice', label: { en: 'Monetary value', da: 'Monetær værdi' }, options: [
      { value: 'total', label: { en: 'Total revenue', da: 'Samlet omsætning' } },
      { value: 'perOrder', label: { en: 'Revenue per order', da: 'Omsætning pr. ordre' } },
    ] },
    { key: 'grid', kind: 'data', editor: 'rfmGrid', label: { en: 'Segment per R × F score', da: 'Segment pr. R × F-score' } },
  ],
  defaults: { asOf: 0, groups: '5', monetary: 'total', grid: DEFAULT_RFM_GRID as unknown as DataSetting },
  tiers: RFM_TIERS,
  run(table: CustomerTable, settings) {
    if (!table.orderLog && (!table.numbers.lastOrder || !table.numbers.orders || !table.numbers.revenue)) throw new Error('RFM needs Last order, Orders and Revenue columns.');
    const groups = groupSetting(settings);
    const grid = gridSetting(settings);
    const perOrder = settings.monetary === 'perOrder';
    const asOf = analysisDate(settings, table, table.numbers.lastOrder ?? new Float64Array(0));
    const n = table.rowCount;
    // With an order log, R, F and M all come from it as of the analysis date (the table's own
    // Revenue column, which other models read, included); else from the table's three columns.
    const fromLog = table.orderLog ? historyFromLog(table, table.orderLog, asOf) : null;
    const { lastOrder, orders, revenue } = fromLog ?? { lastOrder: table.numbers.lastOrder!, orders: table.numbers.orders!, revenue: table.numbers.revenue! };
    if (!fromLog) requireOrdersBefore(asOf, lastOrder);
    const recencyDays = new Float64Array(n);
    const frequency = new Float64Array(n);
    const monetary = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      recencyDays[i] = asOf - Math.floor(lastOrder[i]);
      // A customer without a last order (only credit notes in a log) has no place in any of the
      // three rankings: scored on F or M alone it would shift the cuts of those who bought.
      const bought = !Number.isNaN(recencyDays[i]);
      frequency[i] = bought ? orders[i] : NaN;
      monetary[i] = !bought ? NaN : perOrder ? (orders[i] > 0 ? revenue[i] / orders[i] : NaN) : revenue[i];
    }
    // Min-rank shares: the fewest orders (and the longest ago) always score 1, so the grid's first
    // column and row, New, Promising and Lost, are reachable when most customers bought once.
    const scores = rfmScores(recencyDays, frequency, monetary, groups, 'min');
    let scored = 0;
    for (let i = 0; i < n; i++) if (!Number.isNaN(recencyDays[i])) scored++;
    const fewCustomers = fewCustomersNote(scored, groups);
    const tierIndex = new Map(RFM_TIERS.map((definition, index) => [definition.id, index]));
    const tiers = new Int8Array(n).fill(-1);
    const [rScore, fScore, mScore] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    for (let i = 0; i < n; i++) {
      const [r, f, m] = [scores.recency.scores[i], scores.frequency.scores[i], scores.monetary.scores[i]];
      rScore[i] = r || NaN;
      fScore[i] = f || NaN;
      mScore[i] = m || NaN;
      if (r > 0 && f > 0) tiers[i] = tierIndex.get(grid[gridPosition(r, groups) - 1][gridPosition(f, groups) - 1])!;
    }
    const mLabel: Localized = perOrder ? { en: 'revenue per order', da: 'omsætning pr. ordre' } : { en: 'revenue', da: 'omsætning' };
    const explain = (row: number): Localized => lazyLocalized((language) => {
      const missing = [Number.isNaN(recencyDays[row]) && WORDS.lastOrder, Number.isNaN(orders[row]) && WORDS.ordersLabel, Number.isNaN(monetary[row]) && WORDS.revenue]
        .filter((word): word is Localized => Boolean(word)).map((word) => word[language]);
      if (tiers[row] < 0) return WORDS.missing[language].replace('{what}', missing.join(', ') || WORDS.lastOrder[language]);
      const part = (letter: string, scoreSet: QuantileScores, value: number, unit: string, decimals: number) => {
        const score = scoreSet.scores[row];
        if (!score) return `${letter} – (${language === 'da' ? 'mangler' : 'missing'})`;
        const range = groupRange(scoreSet, score, language, decimals);
        const shown = decimals > 0 ? formatNumber(value, language, decimals) : formatAmount(value, language);
        const cut = scoreSet.cuts[score - 1];
        // A group of one value needs no range beside it.
        const within = cut.min === cut.max ? '' : `${language === 'da' ? ' i ' : ' in '}${range}`;
        return `${letter} ${score} (${shown}${unit ? ` ${unit}` : ''}${within})`;
      };
      return `${[
        part('R', scores.recency, recencyDays[row], (recencyDays[row] === 1 ? WORDS.day : WORDS.days)[language], 0),
        part('F', scores.frequency, orders[row], (orders[row] === 1 ? WORDS.order : WORDS.orders)[language], 0),
        part('M', scores.monetary, monetary[row], mLabel[language], 0),
      ].join(', ')}: ${tierName(RFM_TIERS[tiers[row]], language)}`;
    });
    const codes: Localized[] = new Array(n);
    return {
      modelId: 'rfm',
      inputs: fromLog ? { used: [], absent: [], computed: [logInputsNote(table.orderLog!, asOf)] } : inputsOf(table, ['lastOrder', 'orders', 'revenue']),
      tiers,
      cuts: [],
      measure: 'revenue',
      metrics: [
        { key: 'rfm.r', label: { en: 'R score', da: 'R-score' }, format: 'number', values: rScore, table: true, priority: true },
        { key: 'rfm.f', label: { en: 'F score', da: 'F-score' }, format: 'number', values: fScore, table: true, priority: true },
        { key: 'rfm.m', label: { en: 'M score', da: 'M-score' }, format: 'number', values: mScore, table: true, priority: true },
        {
          key: 'rfm.code', label: { en: 'RFM code', da: 'RFM-kode' }, format: 'text', table: true, priority: true,
          text: (row) => (codes[row] ??= rScore[row] > 0 && fScore[row] > 0 && mScore[row] > 0
            ? { en: `${rScore[row]}${fScore[row]}${mScore[row]}`, da: `${rScore[row]}${fScore[row]}${mScore[row]}` }
            : { en: '', da: '' }),
        },
        { key: 'rfm.recencyDays', label: { en: 'Days since last order', da: 'Dage siden seneste køb' }, format: 'number', values: recencyDays, table: true },
      ],
      notes: [
        ...(fewCustomers ? [fewCustomers] : []),
        {
          en: `Analysis date ${isoDay(asOf)}${numberSetting(settings, 'asOf') ? '' : table.observedUntil !== undefined ? ' (the day after the last day of the order log)' : ' (the day after the last order in the table)'}; ${groups} score groups by quantiles, equal values with equal scores, so the row order never matters.`,
          da: `Analysedato ${isoDay(asOf)}${numberSetting(settings, 'asOf') ? '' : table.observedUntil !== undefined ? ' (dagen efter ordrelogens sidste dag)' : ' (dagen efter seneste køb i tabellen)'}; ${groups} scoregrupper efter kvantiler, ens værdier med ens score, så rækkefølgen aldrig betyder noget.`,
        },
        ...(fromLog && fromLog.leftOut > 0 ? [leftOutNote(fromLog.leftOut, asOf, fromLog.lastLogDay)] : []),
        cutsNote({ en: 'R score by days since the last order', da: 'R-score efter dage siden seneste køb' }, scores.recency, 0),
        cutsNote({ en: 'F score by orders', da: 'F-score efter antal ordrer' }, scores.frequency, 0),
        cutsNote(perOrder ? { en: 'M score by revenue per order', da: 'M-score efter omsætning pr. ordre' } : { en: 'M score by revenue', da: 'M-score efter omsætning' }, scores.monetary, 0),
        gridNote(grid, groups),
      ],
      explain,
      priorityWithinTier: (row) => monetary[row],
    };
  },
  formula: () => null,
  valuesOnly: {
    en: 'RFM segments are written as values: the scores are quantile groups of the whole table, which no ordinary formula per row recomputes.',
    da: 'RFM-segmenter skrives som værdier: scorerne er kvantilgrupper af hele tabellen, som ingen almindelig formel pr. række genberegner.',
  },
};

/** What RFM read when an order log is present: R, F and M from the log up to the day before the analysis date. */
function logInputsNote(link: OrderLogLink, asOf: number): Localized {
  const until = isoDay(asOf - 1);
  return link.joined
    ? {
      en: `R, F and M from the transaction log joined on customer id: each customer's last purchase, distinct orders and net revenue (purchases minus credit notes) up to ${until}; the customer table's own Last order, Orders and Revenue columns are not used for RFM.`,
      da: `R, F og M fra transaktionsloggen koblet på kundenummer: hver kundes seneste køb, antal ordrer og nettoomsætning (køb minus kreditnotaer) til og med ${until}; kundetabellens egne kolonner for seneste køb, antal ordrer og omsætning bruges ikke til RFM.`,
    }
    : {
      en: `R, F and M from the transaction log: each customer's last purchase, distinct orders and net revenue (purchases minus credit notes) up to ${until}.`,
      da: `R, F og M fra transaktionsloggen: hver kundes seneste køb, antal ordrer og nettoomsætning (køb minus kreditnotaer) til og med ${until}.`,
    };
}

/** The note when an analysis date inside the log leaves its later lines out (a back-test as of that day). */
function leftOutNote(lines: number, asOf: number, lastLogDay: number): Localized {
  const one = lines === 1;
  return {
    en: `${counted(lines, NOUNS.line, 'en')} of the transaction log from the analysis date ${isoDay(asOf)} on (to ${isoDay(lastLogDay)}) ${one ? 'is' : 'are'} left out: R, F and M are as they stood the day before, as a back-test needs.`,
    da: `${counted(lines, NOUNS.line, 'da')} i transaktionsloggen fra analysedatoen ${isoDay(asOf)} og frem (til ${isoDay(lastLogDay)}) er udeladt: R, F og M er, som de stod dagen før, som en backtest kræver.`,
  };
}

/** The grid as one line per R score: "R 5: F 1 New, F 2–3 Potential loyalist, F 4–5 Champions". */
function gridNote(grid: RfmGrid, groups: GroupCount): Localized {
  const text = (language: Language) => {
    const name = (id: RfmTierId) => tierName(RFM_TIERS.find((definition) => definition.id === id)!, language);
    const lines: string[] = [];
    for (let r = groups; r >= 1; r--) {
      const cells: { from: number; to: number; id: RfmTierId }[] = [];
      for (let f = 1; f <= groups; f++) {
        const id = grid[gridPosition(r, groups) - 1][gridPosition(f, groups) - 1];
        const last = cells[cells.length - 1];
        if (last && last.id === id) last.to = f;
        else cells.push({ from: f, to: f, id });
      }
      lines.push(`R ${r}: ${cells.map((cell) => `F ${cell.from === cell.to ? cell.from : `${cell.from}–${cell.to}`} ${name(cell.id)}`).join(', ')}`);
    }
    return `${language === 'da' ? 'Segment pr. R × F-score' : 'Segment per R × F score'}: ${lines.join('; ')}.`;
  };
  return { en: text('en'), da: text('da') };
}
