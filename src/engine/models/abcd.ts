import { cutAt, isHigh, usedCut } from '../cuts';
import { allNumbers, atOrAbove } from '../excel-formulas';
import { cutSetting, explainAgainstCut, joinExplanations, segmentkitCall, tierLiterals, type ModelDefinition } from '../model';
import { PALETTE } from '../palette';
import { requireNumbers } from '../table';

/**
 * The ABCD basis model: revenue against potential. A grows what is big and can grow, B develops
 * potential not yet won, C keeps big accounts with little headroom, D is served lean.
 */
export function abcdSegment(revenueHigh: boolean, potentialHigh: boolean): number {
  if (revenueHigh) return potentialHigh ? 0 : 2;
  return potentialHigh ? 1 : 3;
}

const REVENUE = { en: 'Revenue', da: 'Omsætning' };
const POTENTIAL = { en: 'potential', da: 'potentiale' };

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
  run(table, settings) {
    const revenue = requireNumbers(table, 'revenue');
    const potential = requireNumbers(table, 'potential');
    const revenueSpec = cutSetting(settings, 'revenueCut');
    const potentialSpec = cutSetting(settings, 'potentialCut');
    const revenueResolved = cutAt(revenue, revenueSpec);
    const potentialResolved = cutAt(potential, potentialSpec);
    const revenueCut = revenueResolved.value;
    const potentialCut = potentialResolved.value;
    const tiers = new Int8Array(table.rowCount);
    const utilization = new Float64Array(table.rowCount);
    for (let i = 0; i < table.rowCount; i++) {
      const r = revenue[i];
      const p = potential[i];
      utilization[i] = p > 0 && !Number.isNaN(r) ? r / p : NaN;
      tiers[i] = Number.isNaN(r) || Number.isNaN(p) ? -1 : abcdSegment(isHigh(r, revenueCut, revenueSpec), isHigh(p, potentialCut, potentialSpec));
    }
    return {
      modelId: 'abcd',
      inputs: { used: ['revenue', 'potential'], absent: [] },
      tiers,
      measure: 'revenue',
      cuts: [
        usedCut('revenueCut', this.settings[0].label, revenueSpec, revenueResolved),
        usedCut('potentialCut', this.settings[1].label, potentialSpec, potentialResolved),
      ],
      notes: [],
      metrics: [{ key: 'utilization', label: { en: 'Utilization', da: 'Udnyttelse' }, format: 'percent', values: utilization }],
      explain: (row) => joinExplanations(
        explainAgainstCut(REVENUE, revenue[row], revenueCut, isHigh(revenue[row], revenueCut, revenueSpec), revenueResolved.tie),
        explainAgainstCut(POTENTIAL, potential[row], potentialCut, isHigh(potential[row], potentialCut, potentialSpec), potentialResolved.tie),
      ),
      // Within a segment, the largest untapped potential is called first.
      priorityWithinTier: (row) => potential[row] - revenue[row],
    };
  },
  formula({ roles, cuts }) {
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
