import { cutAt, isHigh, usedCut, type CutTie } from '../cuts';
import { allNumbers, atOrAbove } from '../excel-formulas';
import {
  cutSetting, settingLabel, explainAgainstCut, formatNumber, inputsOf, joinExplanations, segmentkitCall, tieAside, tierLiterals, type FormulaReferences, type InputsUsed,
  type ModelDefinition,
} from '../model';
import { PALETTE } from '../palette';
import { MissingRoleError, requireNumbers, type CustomerTable } from '../table';
import { lazyLocalized, type CellValue, type Language, type Localized } from '../types';

/**
 * Grow / Fix / Model / Move: share of wallet against satisfaction. Model customers buy most of
 * what they need from us and like it; Fix customers buy much but are unhappy (revenue at risk);
 * Grow customers are happy but buy most elsewhere (the easy potential, called first); Move are
 * neither, and are assessed one by one.
 *
 * The satisfaction cut defaults to the median answer with ties kept together (cutAt): satisfied
 * means "at or above the middle answer of these customers", whatever the scale (1–5, 0–10, NPS).
 * Answers are few distinct values, so the middle usually falls inside a run of equal answers; that
 * run goes whole to the side that keeps the split nearest half, and while answers differ neither
 * side is empty. On a lopsided scale (most answer 4 or 5 of 5) the top answer is then "satisfied"
 * and the 4s are the ones to look after; with answers 1, 1, 1, 4, 5 the 1s are unsatisfied, not
 * everyone satisfied as a plain "≥ median" gave. The tie note says when the split is not half.
 * A fixed line on the scale (4 of 5: top-two-box) is a value cut.
 */

export const QUADRANT_TIERS = { model: 0, fix: 1, grow: 2, move: 3 } as const;

export function quadrantSegment(shareHigh: boolean, satisfactionHigh: boolean): number {
  if (shareHigh) return satisfactionHigh ? QUADRANT_TIERS.model : QUADRANT_TIERS.fix;
  return satisfactionHigh ? QUADRANT_TIERS.grow : QUADRANT_TIERS.move;
}

/** How a share of wallet column is written: as fractions (0.35) or as whole percent points (35). */
export type ShareScale = 'fraction' | 'percentPoints';

/**
 * Decides once for a whole column how its shares are written, as the decimal separator is
 * decided: a value above 1 can only be percent points (a share above 100 % is not a share), so
 * one such value makes the whole column percent points and its 1 means 1 %, not 100 %. A column
 * with a "35 %" text is not percent points: its texts already read as fractions, and its bare
 * numbers are read one by one (above 1: percent points). `values` as parsed (NaN = blank);
 * `cells`, when given, are the raw cells the values came from, searched for "%" only when needed.
 */
export function shareScale(values: ArrayLike<number>, cells?: Iterable<CellValue>): ShareScale {
  let aboveOne = false;
  for (let i = 0; i < values.length && !aboveOne; i++) aboveOne = values[i] > 1;
  if (!aboveOne) return 'fraction';
  if (cells) for (const cell of cells) if (typeof cell === 'string' && cell.includes('%')) return 'fraction';
  return 'percentPoints';
}

/**
 * A column of shares of wallet as fractions (0–1; NaN stays NaN), its scale decided once for the
 * column by shareScale (pass the scale when the raw cells must be consulted). The one
 * implementation the model, the functions and the cuts use.
 */
export function sharesAsFractions(values: ArrayLike<number>, scale: ShareScale = shareScale(values)): Float64Array {
  const fractions = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    fractions[i] = scale === 'percentPoints' || value > 1 ? value / 100 : value;
  }
  return fractions;
}

/**
 * One share on its own (a cut typed as 50 or 0.5) as a fraction: a column of one value, so 50
 * means 50 % and 1 means 100 %.
 */
export function shareAsFraction(value: number): number {
  return sharesAsFractions([value])[0];
}

export interface ShareOfWallet {
  values: Float64Array;
  /** True when computed as revenue / potential because the table has no share column. */
  computed: boolean;
  /** How the table's share column is written; 'fraction' when computed. */
  scale: ShareScale;
}

/** The raw cells of one column, read lazily so a million rows are only walked when needed. */
function* columnCells(table: CustomerTable, column: number): Iterable<CellValue> {
  for (const row of table.cells) yield row[column];
}

const scaleCache = new WeakMap<CustomerTable, ShareScale>();

/** How the table's share of wallet column is written, decided once per table. */
export function tableShareScale(table: CustomerTable): ShareScale {
  const given = table.numbers.shareOfWallet;
  const column = table.mapping.shareOfWallet;
  if (!given || column === undefined) return 'fraction';
  let scale = scaleCache.get(table);
  if (!scale) scaleCache.set(table, (scale = shareScale(given, columnCells(table, column))));
  return scale;
}

/** The share of wallet column read as fractions, or revenue / potential without one. */
export function shareOfWallet(table: CustomerTable): ShareOfWallet {
  const given = table.numbers.shareOfWallet;
  if (given) {
    return { values: sharesAsFractions(given, tableShareScale(table)), computed: false, scale: tableShareScale(table) };
  }
  const values = new Float64Array(table.rowCount);
  const { revenue, potential } = table.numbers;
  if (!revenue || !potential) throw new MissingRoleError('shareOfWallet');
  for (let i = 0; i < values.length; i++) values[i] = potential[i] > 0 && revenue[i] >= 0 ? revenue[i] / potential[i] : NaN;
  return { values, computed: true, scale: 'fraction' };
}

const SHARE = { en: 'Share of wallet', da: 'Andel af køb' };
const SATISFACTION = { en: 'satisfaction', da: 'tilfredshed' };

function percentText(value: number, language: Language): string {
  return `${formatNumber(value * 100, language, 1)} %`;
}

function explainShare(value: number, cut: number, high: boolean, computed: boolean, tie?: CutTie): Localized {
  const text = (language: Language) => {
    if (Number.isNaN(value)) return language === 'da' ? `${SHARE.da} mangler` : `${SHARE.en} is missing`;
    const source = computed ? (language === 'da' ? ' (omsætning / potentiale)' : ' (revenue / potential)') : '';
    const tied = tie?.value === value ? ` (${tieAside(tie, language)})` : '';
    return `${SHARE[language]}${source} ${percentText(value, language)} ${high ? '≥' : '<'} ${language === 'da' ? 'skæring' : 'cut'} ${percentText(cut, language)}${tied}`;
  };
  return lazyLocalized(text);
}

export const quadrant: ModelDefinition = {
  id: 'quadrant',
  name: { en: 'Grow / Fix / Model / Move', da: 'Grow / Fix / Model / Move' },
  description: {
    en: 'Share of wallet against satisfaction: whom to grow, whom to fix, who is the model customer, and whom to assess. Satisfaction is cut at the median answer, equal answers kept on one side, so both sides have customers while answers differ; for a fixed line on the scale (4 of 5) set a value cut.',
    da: 'Andel af køb mod tilfredshed: hvem der skal vokse, hvem der skal repareres, hvem der er modelkunden, og hvem der skal vurderes. Tilfredshed skæres ved mediansvaret, og ens svar holdes på samme side, så begge sider har kunder, når svarene er forskellige; vil du have en fast grænse på skalaen (4 ud af 5), så vælg en værdi-skæring.',
  },
  columnHeader: 'Segment Quadrant',
  columnHeaderDa: 'Segment Kvadrant',
  functionName: 'QUADRANT',
  inputs: ['shareOfWallet', 'satisfaction'],
  alternatives: { shareOfWallet: [['revenue', 'potential']] },
  optionalInputs: ['revenue', 'potential'],
  settings: [
    { key: 'shareCut', kind: 'cut', role: 'shareOfWallet', label: { en: 'Share of wallet cut', da: 'Skæring for andel af køb' } },
    { key: 'satisfactionCut', kind: 'cut', role: 'satisfaction', label: { en: 'Satisfaction cut', da: 'Skæring for tilfredshed' } },
  ],
  defaults: { shareCut: { method: 'value', level: 0.5 }, satisfactionCut: { method: 'quantile', level: 0.5 } },
  tiers: [
    { id: 'Model', label: { en: 'Model: high share, high satisfaction', da: 'Model: høj andel, høj tilfredshed' }, ...PALETTE.blue, priority: 3,
      action: { en: 'Capitalize: references, cases and cross-sell', da: 'Kapitalisér: referencer, cases og mersalg' } },
    { id: 'Fix', label: { en: 'Fix: high share, low satisfaction', da: 'Fix: høj andel, lav tilfredshed' }, ...PALETTE.vermillion, priority: 2,
      action: { en: 'Repair: find and fix the complaint before the revenue leaves', da: 'Reparér: find og løs utilfredsheden, før omsætningen forsvinder' } },
    { id: 'Grow', label: { en: 'Grow: low share, high satisfaction', da: 'Grow: lav andel, høj tilfredshed' }, ...PALETTE.green, priority: 1,
      action: { en: 'Grow: call first and realize the easy potential', da: 'Vækst: ring først og indfri det lette potentiale' } },
    { id: 'Move', label: { en: 'Move: low share, low satisfaction', da: 'Move: lav andel, lav tilfredshed' }, ...PALETTE.grey, priority: 4,
      action: { en: 'Assess one by one: develop, serve lean or let go', da: 'Vurdér én for én: udvikl, betjen enkelt eller giv slip' } },
  ],
  run(table, settings) {
    const share = shareOfWallet(table);
    const satisfaction = requireNumbers(table, 'satisfaction');
    const shareSpec = cutSetting(settings, 'shareCut');
    const satisfactionSpec = cutSetting(settings, 'satisfactionCut');
    // A share cut typed as percent points (50) means 50 %, as the column's values do.
    const shareResolved = shareSpec.method === 'value' ? { value: shareAsFraction(shareSpec.level) } : cutAt(share.values, shareSpec);
    const satisfactionResolved = cutAt(satisfaction, satisfactionSpec);
    const shareCut = shareResolved.value;
    const satisfactionCut = satisfactionResolved.value;
    const tiers = new Int8Array(table.rowCount);
    const { revenue, potential } = table.numbers;
    const gap = new Float64Array(table.rowCount);
    for (let i = 0; i < table.rowCount; i++) {
      const s = share.values[i];
      const c = satisfaction[i];
      tiers[i] = Number.isNaN(s) || Number.isNaN(c) ? -1 : quadrantSegment(isHigh(s, shareCut, shareSpec), isHigh(c, satisfactionCut, satisfactionSpec));
      // Without a potential column, the share says what the whole wallet is: revenue / share.
      const wallet = potential ? potential[i] : revenue && s > 0 ? revenue[i] / s : NaN;
      gap[i] = revenue ? wallet - revenue[i] : NaN;
    }
    return {
      modelId: 'quadrant',
      inputs: quadrantInputs(table, share.computed),
      tiers,
      measure: 'revenue',
      cuts: [
        usedCut('shareCut', settingLabel(this, 'shareCut'), shareSpec, shareResolved),
        usedCut('satisfactionCut', settingLabel(this, 'satisfactionCut'), satisfactionSpec, satisfactionResolved),
      ],
      metrics: [{ key: 'shareOfWallet', label: SHARE, format: 'percent', values: share.values, priority: true }],
      // A computed share of wallet is said with the inputs (inputs.computed), on every surface.
      notes: [],
      explain: (row) => joinExplanations(
        explainShare(share.values[row], shareCut, isHigh(share.values[row], shareCut, shareSpec), share.computed, shareResolved.tie),
        explainAgainstCut(SATISFACTION, satisfaction[row], satisfactionCut, isHigh(satisfaction[row], satisfactionCut, satisfactionSpec), satisfactionResolved.tie),
      ),
      // Grow and Move by the potential still to win; Fix and Model by the revenue at stake.
      priorityWithinTier: (row) => (tiers[row] === QUADRANT_TIERS.grow || tiers[row] === QUADRANT_TIERS.move ? gap[row] : revenue ? revenue[row] : NaN),
    };
  },
  formula({ form, roles, cuts, settings, table }) {
    if (!roles.shareOfWallet || !roles.satisfaction) return null;
    if (form === 'row') {
      // One cell cannot tell its column is written in percent points (its 1 is 1 %), so the
      // formula hands the function that row's share already as a fraction; blanks and text pass as they are.
      const share = table && tableShareScale(table) === 'percentPoints'
        ? `IF(ISNUMBER(${roles.shareOfWallet}),${roles.shareOfWallet}/100,${roles.shareOfWallet})`
        : roles.shareOfWallet;
      return segmentkitCall(this.functionName, [share, roles.satisfaction, cuts.shareCut, cuts.satisfactionCut]);
    }
    // Over whole columns the function uses the default cuts; other cuts go per row.
    const shareSpec = cutSetting(settings, 'shareCut');
    const satisfactionSpec = cutSetting(settings, 'satisfactionCut');
    if (shareSpec.method !== 'value' || satisfactionSpec.method !== 'quantile' || satisfactionSpec.level !== 0.5) return null;
    return segmentkitCall(this.functionName, [roles.shareOfWallet, roles.satisfaction, shareSpec.level]);
  },
  excelFormula({ form, roles, cuts, settings, table, language }) {
    const { satisfaction } = roles;
    const share = shareExpression(roles, table ? tableShareScale(table) : 'fraction');
    if (form !== 'row' || !share || !satisfaction) return null;
    const [model, fix, grow, move] = tierLiterals(this, language);
    const satisfactionHigh = atOrAbove(satisfaction, cuts.satisfactionCut, cutSetting(settings, 'satisfactionCut'));
    return `IF(${share.present(satisfaction)},IF(${atOrAbove(share.value, cuts.shareCut, cutSetting(settings, 'shareCut'))},`
      + `IF(${satisfactionHigh},${model},${fix}),IF(${satisfactionHigh},${grow},${move})),"")`;
  },
};

/**
 * The columns the quadrant read: share of wallet (or revenue and potential it is computed from),
 * satisfaction, and revenue and potential where there, which order the Priority sheet.
 */
function quadrantInputs(table: CustomerTable, computed: boolean): InputsUsed {
  const inputs = inputsOf(table, ['shareOfWallet', 'satisfaction', 'revenue', 'potential'], ['shareOfWallet', 'revenue', 'potential']);
  if (computed) {
    inputs.computed = [{ en: 'Share of wallet computed as revenue ÷ potential.', da: 'Andel af køb beregnet som omsætning ÷ potentiale.' }];
  }
  return inputs;
}

/**
 * `shareOfWallet` for one row as formula text, read as the model reads its column: a column in
 * percent points (decided once per column, `shareScale`) is divided by 100 on every row, else a
 * value above 1 is percent points; without a share column, revenue / potential where potential > 0
 * and revenue ≥ 0. `present` is the test that the share and the other inputs are there.
 */
function shareExpression(roles: FormulaReferences['roles'], scale: ShareScale): { value: string; present: (...others: string[]) => string } | null {
  const { shareOfWallet: share, revenue, potential } = roles;
  if (share) {
    const value = scale === 'percentPoints' ? `${share}/100` : `IF(${share}>1,${share}/100,${share})`;
    return { value, present: (...others) => allNumbers([share, ...others]) };
  }
  if (!revenue || !potential) return null;
  // AND evaluates every argument, but comparing a text with a number is no error: the counts decide.
  return { value: `${revenue}/${potential}`, present: (...others) => `AND(${allNumbers([revenue, potential, ...others])},${potential}>0,${revenue}>=0)` };
}
