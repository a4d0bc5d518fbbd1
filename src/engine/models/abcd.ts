import { cutAt, isHigh, usedCut } from '../cuts';
import { allNumbers, atOrAbove } from '../excel-formulas';
import { cutSetting, settingLabel, explainAgainstCut, formatNumber, joinExplanations, segmentkitCall, tierLiterals, type ModelDefinition, type RunContext } from '../model';
import { PALETTE } from '../palette';
import { prospectRows } from '../prospects';
import { MissingRoleError, requireNumbers, type CustomerTable } from '../table';
import type { Localized } from '../types';

/**
 * The ABCD basis model: revenue against potential. A grows what is big and can grow, B develops
 * potential not yet won, C keeps big accounts with little headroom, D is served lean.
 */
export function abcdSegment(revenueHigh: boolean, potentialHigh: boolean): number {
  if (revenueHigh) return potentialHigh ? 0 : 2;
  return potentialHigh ? 1 : 3;
}

const REVENUE = { en: 'Revenue', da: 'Omsætning' };
const PROSPECT_REVENUE = { en: 'Revenue (a prospect: none yet)', da: 'Omsætning (et emne: ingen endnu)' };
const POTENTIAL = { en: 'potential', da: 'potentiale' };
const ESTIMATED_POTENTIAL_LABEL = { en: 'estimated potential', da: 'estimeret potentiale' };

/** The key of the twins model's metric that ABCD reads as potential where the table has none. */
export const ESTIMATED_POTENTIAL_METRIC = 'twins.estimatedPotential';

/** The potential per row (the column's, else twins' estimate), which rows are estimates, and the column as read. */
interface PotentialRead {
  values: Float64Array;
  estimated: Uint8Array;
  column?: Float64Array;
}

/**
 * The potential ABCD reads: the table's column, and where a row's is blank (or the table has no
 * potential column) the potential twins estimated, when twins is chosen in the same run.
 * @throws MissingRoleError for potential when there is neither
 */
function potentialOf(table: CustomerTable, context: RunContext | undefined): PotentialRead {
  const column = table.numbers.potential;
  const twins = context?.chosen.includes('twins') ? context.resultOf('twins') : undefined;
  const metric = twins?.metrics.find((candidate) => candidate.key === ESTIMATED_POTENTIAL_METRIC);
  const estimate = metric && metric.format !== 'text' ? metric.values : undefined;
  if (!column && !estimate) throw new MissingRoleError('potential');
  const values = new Float64Array(table.rowCount).fill(NaN);
  const estimated = new Uint8Array(table.rowCount);
  for (let i = 0; i < table.rowCount; i++) {
    if (column && !Number.isNaN(column[i])) values[i] = column[i];
    else if (estimate && !Number.isNaN(estimate[i])) {
      values[i] = estimate[i];
      estimated[i] = 1;
    }
  }
  // A potential column with no number at all cuts nothing: the estimates are cut then.
  const columnHasValues = column !== undefined && column.some((value) => !Number.isNaN(value));
  return { values, estimated, ...(columnHasValues ? { column } : {}) };
}

/**
 * Revenue per row, with 0 for a prospect (the customer type says so) whose revenue cell is blank:
 * a prospect buys nothing yet, so it is a B or a D. An unreadable revenue stays missing.
 */
function prospectRevenue(table: CustomerTable, revenue: Float64Array): { values: Float64Array; prospect: Uint8Array } {
  const prospects = prospectRows(table);
  const prospect = new Uint8Array(table.rowCount);
  if (!prospects) return { values: revenue, prospect };
  const header = table.headers[table.mapping.revenue!];
  const unreadable = new Set(table.problems.filter((problem) => problem.column === header).map((problem) => problem.row - table.origin.headerRow - 1));
  const values = Float64Array.from(revenue);
  for (let i = 0; i < table.rowCount; i++) {
    if (prospects[i] && Number.isNaN(values[i]) && !unreadable.has(i)) {
      values[i] = 0;
      prospect[i] = 1;
    }
  }
  return { values, prospect };
}

/** What ABCD worked out instead of reading: potential from twins, revenue 0 for prospects. */
function estimatedInputs(estimated: number, prospects: number): Localized[] {
  const lines: Localized[] = [];
  if (estimated > 0) {
    lines.push({
      en: `Potential estimated from twins for ${formatNumber(estimated, 'en', 0)} rows without one (Twins' Estimated potential (from twins)).`,
      da: `Potentiale estimeret fra tvillinger for ${formatNumber(estimated, 'da', 0)} rækker uden et (Tvillingers Estimeret potentiale (fra tvillinger)).`,
    });
  }
  if (prospects > 0) {
    lines.push({
      en: `Revenue counted as 0 for ${formatNumber(prospects, 'en', 0)} prospects (their customer type says so and their revenue is blank).`,
      da: `Omsætning regnet som 0 for ${formatNumber(prospects, 'da', 0)} emner (deres kundetype siger det, og deres omsætning er tom).`,
    });
  }
  return lines;
}

function potentialCutNote(fromColumn: boolean): Localized {
  return fromColumn
    ? { en: 'The potential cut is taken over the table\'s potentials; estimated potentials are placed against it.', da: 'Skæringen for potentiale er taget over tabellens potentialer; estimerede potentialer holdes op mod den.' }
    : { en: 'The potential cut is taken over the estimated potentials: the table has no potential.', da: 'Skæringen for potentiale er taget over de estimerede potentialer: tabellen har intet potentiale.' };
}

function valuesOnlyText(estimated: number, prospects: number): Localized {
  const text = (language: 'en' | 'da') => {
    const da = language === 'da';
    const n = (value: number) => formatNumber(value, language, 0);
    const parts = [
      ...(estimated > 0 ? [da ? `${n(estimated)} rækker bruger potentiale estimeret fra tvillinger` : `${n(estimated)} rows use potential estimated from twins`] : []),
      ...(prospects > 0 ? [da ? `${n(prospects)} emner omsætning 0` : `${n(prospects)} prospects revenue 0`] : []),
    ];
    return da
      ? `ABCD skrives som værdier i denne kørsel: ${parts.join(' og ')}, hvilket ingen formel over tabellens kolonner giver.`
      : `ABCD is written as values in this run: ${parts.join(' and ')}, which no formula over the table's columns gives.`;
  };
  return { en: text('en'), da: text('da') };
}

export const abcd: ModelDefinition = {
  id: 'abcd',
  name: { en: 'ABCD accounts', da: 'ABCD-kunder' },
  description: {
    en: 'Revenue against potential: which accounts to grow, develop, keep and serve lean.',
    da: 'Omsætning mod potentiale: hvilke kunder der skal vokse, udvikles, fastholdes og betjenes enkelt.',
  },
  columnHeader: 'Segment ABCD',
  functionName: 'ABCD',
  inputs: ['revenue', 'potential'],
  readsProvided: ['potential'],
  settings: [
    { key: 'revenueCut', kind: 'cut', role: 'revenue', label: { en: 'Revenue cut', da: 'Skæring for omsætning' } },
    { key: 'potentialCut', kind: 'cut', role: 'potential', label: { en: 'Potential cut', da: 'Skæring for potentiale' } },
  ],
  defaults: { revenueCut: { method: 'pareto', level: 0.8 }, potentialCut: { method: 'pareto', level: 0.8 } },
  tiers: [
    { id: 'A', label: { en: 'A: high revenue, high potential', da: 'A: høj omsætning, højt potentiale' }, ...PALETTE.blue, priority: 1,
      // Not "Grow": that is a quadrant of Grow / Fix / Model / Move, and a customer can be in both.
      action: { en: 'Expand: key account plan, senior contact, win the remaining wallet', da: 'Udbyg: key account-plan, ledelseskontakt, vind resten af potentialet' } },
    { id: 'B', label: { en: 'B: low revenue, high potential', da: 'B: lav omsætning, højt potentiale' }, ...PALETTE.orange, priority: 2,
      action: { en: 'Develop: targeted offers to win share of the potential', da: 'Udvikl: målrettede tilbud for at vinde andel af potentialet' } },
    { id: 'C', label: { en: 'C: high revenue, low potential', da: 'C: høj omsætning, lavt potentiale' }, ...PALETTE.green, priority: 3,
      action: { en: 'Keep: protect the revenue, serve efficiently', da: 'Fasthold: beskyt omsætningen, betjen effektivt' } },
    { id: 'D', label: { en: 'D: low revenue, low potential', da: 'D: lav omsætning, lavt potentiale' }, ...PALETTE.purple, priority: 4,
      action: { en: 'Serve lean: self-service and standard terms', da: 'Betjen enkelt: selvbetjening og standardvilkår' } },
  ],
  run(table, settings, context) {
    const revenueRead = requireNumbers(table, 'revenue');
    const potential = potentialOf(table, context);
    const revenue = prospectRevenue(table, revenueRead);
    const revenueSpec = cutSetting(settings, 'revenueCut');
    const potentialSpec = cutSetting(settings, 'potentialCut');
    // The revenue cut is over the customers' revenue as read: the prospects' 0 does not move it.
    const revenueResolved = cutAt(revenueRead, revenueSpec);
    // The potential cut is over the table's potentials where it has any, so customers keep their
    // segments whether twins runs beside ABCD or not; else over the estimates.
    const potentialResolved = cutAt(potential.column ?? potential.values, potentialSpec);
    const revenueCut = revenueResolved.value;
    const potentialCut = potentialResolved.value;
    const tiers = new Int8Array(table.rowCount);
    const utilization = new Float64Array(table.rowCount);
    let estimatedUsed = 0;
    let prospectsUsed = 0;
    for (let i = 0; i < table.rowCount; i++) {
      const r = revenue.values[i];
      const p = potential.values[i];
      utilization[i] = p > 0 && !Number.isNaN(r) ? r / p : NaN;
      tiers[i] = Number.isNaN(r) || Number.isNaN(p) ? -1 : abcdSegment(isHigh(r, revenueCut, revenueSpec), isHigh(p, potentialCut, potentialSpec));
      if (tiers[i] >= 0 && potential.estimated[i]) estimatedUsed++;
      if (tiers[i] >= 0 && revenue.prospect[i]) prospectsUsed++;
    }
    const revenueLabel = (row: number) => (revenue.prospect[row] ? PROSPECT_REVENUE : REVENUE);
    const potentialLabel = (row: number) => (potential.estimated[row] ? ESTIMATED_POTENTIAL_LABEL : POTENTIAL);
    return {
      modelId: 'abcd',
      inputs: {
        used: [...(prospectsUsed > 0 ? ['customerType' as const] : []), 'revenue', ...(potential.column ? ['potential' as const] : [])],
        absent: [],
        ...(estimatedUsed + prospectsUsed > 0 ? { computed: estimatedInputs(estimatedUsed, prospectsUsed) } : {}),
      },
      tiers,
      measure: 'revenue',
      cuts: [
        usedCut('revenueCut', settingLabel(this, 'revenueCut'), revenueSpec, revenueResolved),
        usedCut('potentialCut', settingLabel(this, 'potentialCut'), potentialSpec, potentialResolved),
      ],
      notes: estimatedUsed > 0 ? [potentialCutNote(potential.column !== undefined)] : [],
      metrics: [{ key: 'utilization', label: { en: 'Utilization', da: 'Udnyttelse' }, format: 'percent', values: utilization }],
      explain: (row) => joinExplanations(
        explainAgainstCut(revenueLabel(row), revenue.values[row], revenueCut, isHigh(revenue.values[row], revenueCut, revenueSpec), revenueResolved.tie),
        explainAgainstCut(potentialLabel(row), potential.values[row], potentialCut, isHigh(potential.values[row], potentialCut, potentialSpec), potentialResolved.tie),
      ),
      // Within a segment, the largest untapped potential is called first.
      priorityWithinTier: (row) => potential.values[row] - revenue.values[row],
      ...(estimatedUsed + prospectsUsed > 0 ? { valuesOnly: valuesOnlyText(estimatedUsed, prospectsUsed) } : {}),
    };
  },
  formula({ roles, cuts }) {
    if (!roles.revenue || !roles.potential) return null;
    return segmentkitCall(this.functionName, [roles.revenue!, roles.potential!, cuts.revenueCut, cuts.potentialCut]);
  },
  excelFormula({ form, roles, cuts, settings, language }) {
    const { revenue, potential } = roles;
    if (form !== 'row' || !revenue || !potential) return null;
    const [a, b, c, d] = tierLiterals(this, language);
    const potentialHigh = atOrAbove(potential, cuts.potentialCut, cutSetting(settings, 'potentialCut'));
    return `IF(${allNumbers([revenue, potential])},IF(${atOrAbove(revenue, cuts.revenueCut, cutSetting(settings, 'revenueCut'))},`
      + `IF(${potentialHigh},${a},${c}),IF(${potentialHigh},${b},${d})),"")`;
  },
};
